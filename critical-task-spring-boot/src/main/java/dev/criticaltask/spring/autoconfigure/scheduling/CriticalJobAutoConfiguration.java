/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.criticaltask.spring.autoconfigure.scheduling;

import dev.criticaltask.spring.autoconfigure.ConditionalOnCriticalTaskEnabled;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.CriticalTaskContributor;
import dev.criticaltask.spring.autoconfigure.CriticalTaskProperties;
import dev.criticaltask.spring.scheduling.Critical;
import dev.criticaltask.spring.scheduling.CriticalJobPostProcessor;
import dev.criticaltask.spring.scheduling.CriticalJobs;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Role;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.config.ScheduledTaskHolder;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of critical jobs, the critical {@code @Scheduled} and
 * {@code @Async} methods: a bean post-processor that finds the methods annotated
 * {@link Critical @Critical} (or all of them, with
 * {@code critical-task.scheduling.all-critical=true}) and advises them to report their
 * failures; the {@link CriticalJobs} bean that describes them; and the
 * {@link CriticalTaskContributor} that makes each a critical task of the lifecycle.
 *
 * <p>
 * It never replaces or configures the application's scheduler, executor,
 * {@code ErrorHandler} or {@code AsyncConfigurer}. Off with
 * {@code critical-task.enabled=false}, and when the application defines its own
 * {@link CriticalTaskRegistry} without the lifecycle to run the jobs.
 */
@AutoConfiguration(after = CriticalTaskAutoConfiguration.class)
@ConditionalOnClass(Scheduled.class)
@ConditionalOnCriticalTaskEnabled
@ConditionalOnBean(name = CriticalTaskAutoConfiguration.LIFECYCLE_BEAN_NAME)
public final class CriticalJobAutoConfiguration {

    /**
     * Creates the auto-configuration; Spring Boot does so when its conditions match.
     */
    public CriticalJobAutoConfiguration() {
    }

    // Static: a post-processor is created before any configuration class, and so before
    // the
    // properties bean; it reads its one property from the environment.
    @Bean
    @Role(BeanDefinition.ROLE_INFRASTRUCTURE)
    @ConditionalOnMissingBean
    static CriticalJobPostProcessor criticalJobPostProcessor(Environment environment) {
        boolean allCritical = Binder.get(environment)
            .bind(CriticalJobPostProcessor.ALL_CRITICAL_PROPERTY, Boolean.class)
            .orElse(false);
        return new CriticalJobPostProcessor(allCritical);
    }

    @Bean
    @ConditionalOnMissingBean
    CriticalJobs criticalJobs(CriticalJobPostProcessor criticalJobPostProcessor) {
        return criticalJobPostProcessor.jobs();
    }

    /**
     * Puts the jobs' advice back outermost (inside {@code @Async}) on the proxies that
     * post-processors running later advised again.
     */
    @Bean
    @ConditionalOnMissingBean(name = "criticalJobAdvicePlacement")
    static SmartInitializingSingleton criticalJobAdvicePlacement(
            ObjectProvider<CriticalJobPostProcessor> criticalJobPostProcessor) {
        return () -> criticalJobPostProcessor.ifAvailable(CriticalJobPostProcessor::placeOutermost);
    }

    /**
     * Hands the jobs Spring's scheduled-task holders, for their schedules and next runs.
     */
    @Bean
    @ConditionalOnMissingBean(name = "criticalJobScheduleSource")
    SmartInitializingSingleton criticalJobScheduleSource(CriticalJobs criticalJobs,
            ObjectProvider<ScheduledTaskHolder> scheduledTaskHolders) {
        return () -> criticalJobs.useScheduledTaskHolders(scheduledTaskHolders.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean(name = "criticalJobContributor")
    CriticalTaskContributor criticalJobContributor(CriticalJobs criticalJobs,
            ObjectProvider<CriticalTaskRegistry> registry, CriticalTaskProperties properties, Environment environment,
            ConfigurableListableBeanFactory beanFactory) {
        return new CriticalJobContributor(criticalJobs, registry, properties.getTasks(), environment, beanFactory);
    }

}
