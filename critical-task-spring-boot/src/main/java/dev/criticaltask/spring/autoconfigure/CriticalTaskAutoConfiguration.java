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

package dev.criticaltask.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.LeaderElection;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.spring.lifecycle.CommonsLoggingSystemLogger;
import dev.criticaltask.spring.lifecycle.CriticalTaskExitCodeGenerator;
import dev.criticaltask.spring.lifecycle.CriticalTaskLifecycle;
import dev.criticaltask.spring.lifecycle.ProcessExit;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.aot.AotDetector;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.ExitCodeExceptionMapper;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.thread.Threading;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ImportRuntimeHints;
import org.springframework.core.env.Environment;
import org.springframework.util.ClassUtils;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for critical tasks: a root {@link CancellationToken}, a
 * {@link CriticalTaskRegistry} under it, and a {@link CriticalTaskLifecycle} that runs
 * every task the {@link CriticalTaskContributor contributors} define (here the
 * {@code CriticalTask}, {@code SupervisedTask}, {@code AsyncCriticalTask} and
 * {@code CriticalTaskSpec} beans) and turns the first failure into a shutdown of the
 * application with a non-zero exit code.
 *
 * <p>
 * Each bean backs off when the application defines its own; all of it is off with
 * {@code critical-task.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnCriticalTaskEnabled
@EnableConfigurationProperties(CriticalTaskProperties.class)
@ImportRuntimeHints(CriticalTaskPropertiesRuntimeHints.class)
public final class CriticalTaskAutoConfiguration {

    /** The name of the root token bean. */
    public static final String ROOT_TOKEN_BEAN_NAME = "criticalTaskRootToken";

    /** The name of the lifecycle bean; define a bean with this name to replace it. */
    public static final String LIFECYCLE_BEAN_NAME = "criticalTaskLifecycle";

    private static final Log logger = LogFactory.getLog(CriticalTaskAutoConfiguration.class);

    private static final Duration DEFAULT_SHUTDOWN_PHASE_TIMEOUT = Duration.ofSeconds(30);

    /** The remedy of a property that Spring AOT fixed at build time. */
    private static final String WHERE_AOT_READS_IT = "where the AOT processing reads it (application.properties at "
            + "build time), or run this JVM without the AOT artifacts (-Dspring.aot.enabled=false)";

    private final CriticalTaskProperties properties;

    private final Environment environment;

    CriticalTaskAutoConfiguration(CriticalTaskProperties properties, Environment environment) {
        this.properties = properties;
        this.environment = environment;
        warnIfDisabledAtRunTimeOnly(environment, AotDetector.useGeneratedArtifacts());
        CriticalTaskPropertiesValidator.validate(properties, environment);
        if (properties.getLeadership().getElection() == CriticalTaskProperties.Election.LOCK_REGISTRY
                && !ClassUtils.isPresent("org.springframework.integration.support.leader.LockRegistryLeaderInitiator",
                        getClass().getClassLoader())) {
            throw new InvalidCriticalTaskPropertyException("critical-task.leadership.election", "lock-registry",
                    "spring-integration-core is not on the class path, so there is no lock-based election",
                    "add org.springframework.integration:spring-integration-core (and a LockRegistry, or "
                            + "spring-integration-jdbc with a DataSource), or 'auto'");
        }
        useVirtualThreads();
        warnIfGracePeriodDoesNotFit();
    }

    @Bean(ROOT_TOKEN_BEAN_NAME)
    @ConditionalOnMissingBean
    CancellationToken criticalTaskRootToken() {
        return CancellationToken.create();
    }

    // The lifecycle owns stopping: closing the registry a second time would wait the
    // grace again.
    @Bean(destroyMethod = "")
    @ConditionalOnMissingBean
    CriticalTaskRegistry criticalTaskRegistry(CancellationToken criticalTaskRootToken,
            ObjectProvider<LeaderElection> leaderElection) {
        CriticalTaskRegistry.Builder builder = CriticalTaskRegistry.builder()
            .rootToken(criticalTaskRootToken)
            .logger(new CommonsLoggingSystemLogger(CriticalTaskRegistry.class.getName()))
            .closeGracePeriod(this.properties.getShutdown().getGracePeriod());
        if (useVirtualThreads()) {
            builder.virtualThreads(true);
        }
        else {
            // The keep-alive thread, not the task threads, keeps the JVM alive: a task
            // that ignores
            // its cancellation must not keep a stopped application from exiting.
            builder.daemonThreads(true);
        }
        LeaderElection election = leaderElection.getIfAvailable();
        checkLeadershipBuiltIn(this.properties, election != null, AotDetector.useGeneratedArtifacts());
        if (election != null) {
            builder.leaderElection(election);
        }
        return builder.build();
    }

    @Bean(LIFECYCLE_BEAN_NAME)
    @ConditionalOnMissingBean(name = LIFECYCLE_BEAN_NAME)
    CriticalTaskLifecycle criticalTaskLifecycle(CriticalTaskRegistry criticalTaskRegistry,
            ConfigurableApplicationContext applicationContext, ObjectProvider<CriticalTaskContributor> contributors,
            ObjectProvider<CriticalTaskSpecDecorator> decorators,
            CriticalTaskExitCodeGenerator criticalTaskExitCodeGenerator) {
        CriticalTaskProperties.Shutdown shutdown = this.properties.getShutdown();
        // Created while the context refreshes, so on the thread that created the context.
        ProcessExit processExit = new ProcessExit(criticalTaskExitCodeGenerator, shutdown.isExitProcess(),
                shutdown.getTerminationMessagePath());
        return new CriticalTaskLifecycle(criticalTaskRegistry, applicationContext,
                () -> decorated(TaskDefinitions.collect(List.copyOf(contributors.orderedStream().toList()),
                        this.properties.getTasks()), decorators.orderedStream().toList()),
                this.properties.getPhase(), shutdown.getGracePeriod(), processExit);
    }

    @Bean
    @ConditionalOnMissingBean
    CriticalTaskExitCodeGenerator criticalTaskExitCodeGenerator(CriticalTaskRegistry criticalTaskRegistry,
            ObjectProvider<ExitCodeExceptionMapper> exitCodeExceptionMappers) {
        return new CriticalTaskExitCodeGenerator(criticalTaskRegistry, this.properties.getShutdown().getExitCode(),
                () -> exitCodeExceptionMappers.orderedStream().toList());
    }

    @Bean
    @ConditionalOnMissingBean(name = "criticalTaskBeanContributor")
    CriticalTaskContributor criticalTaskBeanContributor(ListableBeanFactory beanFactory) {
        return new TaskBeanContributor(beanFactory);
    }

    private boolean useVirtualThreads() {
        Boolean virtual = this.properties.getThreads().getVirtual();
        if (virtual == null) {
            // Boot's own switch is inactive before Java 21, so following it never fails.
            return Threading.VIRTUAL.isActive(this.environment);
        }
        if (virtual && !CriticalTaskRegistry.virtualThreadsAvailable()) {
            throw new InvalidCriticalTaskPropertyException("critical-task.threads.virtual", true,
                    "virtual threads need Java 21 or later, but this is Java " + Runtime.version().feature(),
                    "false, or run on Java 21 or later");
        }
        return virtual;
    }

    /**
     * Under Spring AOT the conditions were evaluated at build time: this class exists
     * because critical-task.enabled was true then, and setting it false now changes
     * nothing. Say so rather than run tasks the configuration seems to turn off.
     */
    static void warnIfDisabledAtRunTimeOnly(Environment environment, boolean aot) {
        if (aot && Boolean.FALSE.equals(OnCriticalTaskEnabledCondition.enabled(environment))) {
            logger.warn("critical-task.enabled=false is ignored: this application runs with the bean definitions "
                    + "that Spring AOT generated at build time, when critical-task.enabled was true, and conditions "
                    + "are not evaluated again at run time, so the critical tasks run. To leave them out, set "
                    + "critical-task.enabled=false " + WHERE_AOT_READS_IT + ".");
        }
    }

    /**
     * Under Spring AOT the leadership auto-configuration exists only if a role or
     * {@code election=lock-registry} was set at build time. Set only at run time, a role
     * would silently be local (its task running on every replica) and
     * {@code lock-registry} would silently not be enforced: the first is said at WARN,
     * the second fails start-up, as it does without AOT when no election can be made.
     */
    static void checkLeadershipBuiltIn(CriticalTaskProperties properties, boolean electionPresent, boolean aot) {
        if (!aot || electionPresent) {
            return;
        }
        String rebuild = "set it " + WHERE_AOT_READS_IT;
        if (properties.getLeadership().getElection() == CriticalTaskProperties.Election.LOCK_REGISTRY) {
            throw new InvalidCriticalTaskPropertyException("critical-task.leadership.election", "lock-registry",
                    "this application runs with the bean definitions that Spring AOT generated at build time, "
                            + "when leadership was not in use, so there is no lock-based election to use",
                    rebuild);
        }
        List<String> roles = new ArrayList<>();
        properties.getTasks().forEach((name, task) -> {
            if (task.getLeadership().getRole() != null) {
                roles.add(name + " (" + task.getLeadership().getRole() + ")");
            }
        });
        if (!roles.isEmpty()) {
            logger.warn("critical-task.tasks.<name>.leadership.role is set for " + String.join(", ", roles)
                    + ", but this application runs with the bean definitions that Spring AOT generated at build "
                    + "time, when no role was set, so there is no lock-based election: these roles are local, and "
                    + "their tasks run on every replica. To elect a leader, " + rebuild + ".");
        }
    }

    private static List<CriticalTaskSpec> decorated(List<CriticalTaskSpec> specs,
            List<CriticalTaskSpecDecorator> decorators) {
        if (decorators.isEmpty()) {
            return specs;
        }
        List<CriticalTaskSpec> decorated = new ArrayList<>(specs.size());
        for (CriticalTaskSpec spec : specs) {
            CriticalTaskSpec current = spec;
            for (CriticalTaskSpecDecorator decorator : decorators) {
                current = decorator.decorate(current);
            }
            decorated.add(current);
        }
        return decorated;
    }

    private void warnIfGracePeriodDoesNotFit() {
        Duration timeout = Binder.get(this.environment)
            .bind("spring.lifecycle.timeout-per-shutdown-phase", Duration.class)
            .orElse(DEFAULT_SHUTDOWN_PHASE_TIMEOUT);
        Duration grace = this.properties.getShutdown().getGracePeriod();
        Duration stopTime = grace.plus(CriticalTaskRegistry.DEFAULT_INTERRUPT_WAIT);
        if (stopTime.compareTo(timeout) >= 0) {
            logger.warn("critical-task.shutdown.grace-period (" + grace + ", plus "
                    + CriticalTaskRegistry.DEFAULT_INTERRUPT_WAIT
                    + " for interrupted tasks) does not fit inside spring.lifecycle.timeout-per-shutdown-phase ("
                    + timeout + "): Spring may stop waiting before the critical tasks have stopped, and the "
                    + "report naming the tasks that did not stop would be lost. Lower the grace period or raise the timeout.");
        }
    }

}
