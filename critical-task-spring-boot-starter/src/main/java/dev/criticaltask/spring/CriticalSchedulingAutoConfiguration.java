package dev.criticaltask.spring;

import dev.criticaltask.CriticalTaskRegistry;

import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration Auto-configuration} of
 * critical {@code @Scheduled} and {@code @Async} methods: a bean post-processor that finds the
 * methods annotated {@link Critical @Critical} (or all of them, with
 * {@code critical-task.scheduling.all-critical=true}), supervises each as a critical task, and
 * advises it to report its failures; and the {@link CriticalJobs} bean that describes them.
 *
 * <p>It never replaces or configures the application's scheduler, executor, {@code ErrorHandler} or
 * {@code AsyncConfigurer}. Off with {@code critical-task.enabled=false}, and when the application
 * defines its own {@link CriticalTaskRegistry} without the starter's lifecycle to run the jobs.
 */
@AutoConfiguration(after = CriticalTaskAutoConfiguration.class)
@ConditionalOnClass(Scheduled.class)
@ConditionalOnBooleanProperty(name = "critical-task.enabled", matchIfMissing = true)
@ConditionalOnBean(name = CriticalTaskAutoConfiguration.LIFECYCLE_BEAN_NAME)
public final class CriticalSchedulingAutoConfiguration {

    private static final String ALL_CRITICAL = "critical-task.scheduling.all-critical";

    // Static: a post-processor is created before any configuration class, and so before the
    // properties bean; it reads its one property from the environment.
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    static CriticalMethodPostProcessor criticalMethodPostProcessor(Environment environment) {
        boolean allCritical = Binder.get(environment).bind(ALL_CRITICAL, Boolean.class).orElse(false);
        return new CriticalMethodPostProcessor(new CriticalJobs(), allCritical);
    }

    @Bean
    CriticalJobs criticalJobs(CriticalMethodPostProcessor criticalMethodPostProcessor) {
        return criticalMethodPostProcessor.jobs();
    }

    /**
     * Puts the critical methods' advice back outermost (inside {@code @Async}) on the proxies that
     * post-processors running later advised again.
     */
    @Bean
    static SmartInitializingSingleton criticalMethodAdvicePlacement(
            ObjectProvider<CriticalMethodPostProcessor> criticalMethodPostProcessor) {
        return () -> criticalMethodPostProcessor.ifAvailable(CriticalMethodPostProcessor::placeOutermost);
    }

    /** Hands the jobs Spring's scheduled-task holders, for their schedules and next runs. */
    @Bean
    SmartInitializingSingleton criticalJobsScheduleSource(CriticalJobs criticalJobs,
            ObjectProvider<ScheduledTaskHolder> scheduledTaskHolders) {
        return () -> criticalJobs.useScheduledTaskHolders(scheduledTaskHolders.orderedStream().toList());
    }

}
