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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.TaskState;
import dev.criticaltask.spring.lifecycle.CriticalTaskLifecycle;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.context.annotation.ImportCandidates;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.diagnostics.FailureAnalyzer;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.io.support.SpringFactoriesLoader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CriticalTaskAutoConfiguration}.
 */
@Tag("spring")
@ExtendWith(OutputCaptureExtension.class)
class CriticalTaskAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CriticalTaskAutoConfiguration.class,
                ApplicationAvailabilityAutoConfiguration.class))
        .withPropertyValues("critical-task.shutdown.grace-period=2s");

    @Test
    void whenImportsAreReadShouldListTheAutoConfiguration() {
        assertThat(ImportCandidates.load(AutoConfiguration.class, getClass().getClassLoader()).getCandidates())
            .contains(CriticalTaskAutoConfiguration.class.getName());
    }

    @Test
    void whenAutoConfiguredShouldDefineRootTokenRegistryAndLifecycle() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasSingleBean(CancellationToken.class)
                .hasBean("criticalTaskRootToken")
                .hasSingleBean(CriticalTaskRegistry.class)
                .hasSingleBean(CriticalTaskLifecycle.class)
                .hasBean("criticalTaskLifecycle")
                .hasSingleBean(CriticalTaskProperties.class);
            assertThat(context.getBean(CriticalTaskRegistry.class).rootToken())
                .isSameAs(context.getBean("criticalTaskRootToken"));
        });
    }

    @Test
    void whenDisabledShouldBackOff() {
        this.contextRunner.withPropertyValues("critical-task.enabled=false")
            .withUserConfiguration(Tasks.class)
            .run((context) -> {
                assertThat(context).doesNotHaveBean(CancellationToken.class)
                    .doesNotHaveBean(CriticalTaskRegistry.class)
                    .doesNotHaveBean(CriticalTaskLifecycle.class)
                    .doesNotHaveBean(CriticalTaskProperties.class);
                assertThat(context.getBean(Tasks.class).runs).isEmpty();
            });
    }

    @Test
    void whenUserDefinesRootTokenShouldUseIt() {
        this.contextRunner.withUserConfiguration(UserRootToken.class).run((context) -> {
            assertThat(context).hasSingleBean(CancellationToken.class).doesNotHaveBean("criticalTaskRootToken");
            assertThat(context.getBean(CriticalTaskRegistry.class).rootToken())
                .isSameAs(context.getBean(UserRootToken.class).token);
        });
    }

    @Test
    void whenUserDefinesRegistryShouldUseIt() {
        this.contextRunner.withUserConfiguration(UserRegistry.class, Tasks.class).run((context) -> {
            CriticalTaskRegistry registry = context.getBean(UserRegistry.class).registry;
            assertThat(context).hasSingleBean(CriticalTaskRegistry.class);
            assertThat(context.getBean(CriticalTaskRegistry.class)).isSameAs(registry);
            await().atMost(Duration.ofSeconds(10)).until(() -> registry.find("worker").isPresent());
        });
    }

    @Test
    void whenUserDefinesLifecycleBeanOfTheSameNameShouldBackOff() {
        this.contextRunner.withUserConfiguration(UserLifecycle.class, Tasks.class).run((context) -> {
            assertThat(context).doesNotHaveBean(CriticalTaskLifecycle.class).hasBean("criticalTaskLifecycle");
            assertThat(context.getBean(CriticalTaskRegistry.class).tasks()).isEmpty();
        });
    }

    @Test
    void whenContextStartsShouldSpawnEveryTaskBeanNamedAfterItsBeanAndStopThemGracefullyOnClose(CapturedOutput output) {
        AtomicReference<CriticalTaskRegistry> registry = new AtomicReference<>();
        this.contextRunner.withUserConfiguration(Tasks.class).run((context) -> {
            registry.set(context.getBean(CriticalTaskRegistry.class));
            Tasks tasks = context.getBean(Tasks.class);
            assertThat(tasks.started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(registry.get().tasks()).extracting((task) -> task.description())
                .containsExactlyInAnyOrder("worker", "otherWorker");
            assertThat(tasks.runs).allSatisfy((thread) -> assertThat(thread).startsWith("critical-task-"));
        });
        assertThat(registry.get().tasks())
            .allSatisfy((task) -> assertThat(task.state()).isEqualTo(TaskState.CANCELLED));
        assertThat(output).contains("Critical tasks stopped gracefully");
    }

    @Test
    void whenUserDefinesContributorShouldRunItsTasksAfterTheTaskBeansWithTheirProperties() {
        this.contextRunner.withBean("plain", CriticalTask.class, () -> (token) -> token.await())
            .withBean("contributor", CriticalTaskContributor.class,
                    () -> (definitions) -> definitions.add(CriticalTaskSpec.of("contributed", (token) -> token.await()),
                            "a contributed task"))
            .withPropertyValues("critical-task.tasks.contributed.restart.max-restarts=3")
            .run((context) -> {
                CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
                assertThat(registry.tasks()).extracting(CriticalTaskHandle::description)
                    .containsExactly("plain", "contributed");
                assertThat(registry.find("contributed").orElseThrow().state()).isEqualTo(TaskState.RUNNING);
            });
    }

    @Test
    void whenAContributorReusesANameShouldFailStartupNamingIt() {
        this.contextRunner.withBean("plain", CriticalTask.class, () -> (token) -> token.await())
            .withBean("contributor", CriticalTaskContributor.class,
                    () -> (definitions) -> definitions.add(CriticalTaskSpec.of("plain", (token) -> token.await()),
                            "a contributed task"))
            .run((context) -> assertThat(context).hasFailed()
                .getFailure()
                .rootCause()
                .hasMessageContaining("Two critical task definitions are named 'plain'"));
    }

    @Test
    void whenNothingIsSetShouldRunTasksOnDaemonPlatformThreads() {
        this.contextRunner.withUserConfiguration(Tasks.class).run((context) -> {
            Tasks tasks = context.getBean(Tasks.class);
            assertThat(tasks.started.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(tasks.daemon).containsOnly(true);
        });
    }

    @Test
    void whenSpringThreadsVirtualEnabledShouldFollowItWhereVirtualThreadsExist() {
        this.contextRunner.withPropertyValues("spring.threads.virtual.enabled=true")
            .withUserConfiguration(Tasks.class)
            .run((context) -> {
                assertThat(context).hasNotFailed();
                Tasks tasks = context.getBean(Tasks.class);
                assertThat(tasks.started.await(10, TimeUnit.SECONDS)).isTrue();
                // Boot's switch is off before Java 21: platform threads there
                assertThat(tasks.virtual).containsOnly(CriticalTaskRegistry.virtualThreadsAvailable());
            });
    }

    @Test
    void whenVirtualThreadsOffShouldOverrideSpringThreadsVirtualEnabled() {
        this.contextRunner
            .withPropertyValues("spring.threads.virtual.enabled=true", "critical-task.threads.virtual=false")
            .withUserConfiguration(Tasks.class)
            .run((context) -> {
                Tasks tasks = context.getBean(Tasks.class);
                assertThat(tasks.started.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(tasks.virtual).containsOnly(false);
            });
    }

    @Test
    void whenEnabledIsNotABooleanShouldFailNamingItRatherThanTurnEverythingOff() {
        // @ConditionalOnBooleanProperty reads "treu" as not true: every
        // auto-configuration
        // backed off, and the tasks never ran, without a word
        this.contextRunner.withPropertyValues("critical-task.enabled=treu")
            .withUserConfiguration(Tasks.class)
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("'treu'")
                    .contains("'critical-task.enabled'")
                    .contains("not a boolean");
                assertThat(analysis.getAction()).contains("true or false");
            });
    }

    @Test
    void whenEnabledIsOneOfSpringsBooleanWordsShouldReadItAsSpringDoes() {
        this.contextRunner.withPropertyValues("critical-task.enabled=off")
            .run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(CriticalTaskRegistry.class));
        this.contextRunner.withPropertyValues("critical-task.enabled=TRUE")
            .run((context) -> assertThat(context).hasSingleBean(CriticalTaskRegistry.class));
    }

    @Test
    void whenVirtualThreadsOnBeforeJava21ShouldFailWithAClearMessage() {
        if (CriticalTaskRegistry.virtualThreadsAvailable()) {
            this.contextRunner.withPropertyValues("critical-task.threads.virtual=true")
                .run((context) -> assertThat(context).hasNotFailed());
            return;
        }
        this.contextRunner.withPropertyValues("critical-task.threads.virtual=true").run((context) -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("'critical-task.threads.virtual'")
                .contains("virtual threads need Java 21 or later");
            assertThat(analysis.getAction()).contains("'critical-task.threads.virtual'");
        });
    }

    @Test
    void whenPhaseIsNotSetShouldStartBeforeAndStopAfterTheWebServer() {
        this.contextRunner.run((context) -> {
            int phase = context.getBean(CriticalTaskLifecycle.class).getPhase();
            // Boot's web server starts and stops at DEFAULT_PHASE - 2048, and shuts down
            // gracefully at
            // DEFAULT_PHASE - 1024: lower phases start before and stop after
            assertThat(phase).isEqualTo(CriticalTaskProperties.DEFAULT_PHASE)
                .isLessThan(SmartLifecycle.DEFAULT_PHASE - 1024)
                .isLessThan(SmartLifecycle.DEFAULT_PHASE - 2048);
        });
    }

    @Test
    void whenPhaseIsSetShouldUseIt() {
        this.contextRunner.withPropertyValues("critical-task.phase=42")
            .run((context) -> assertThat(context.getBean(CriticalTaskLifecycle.class).getPhase()).isEqualTo(42));
    }

    @Test
    void whenShutdownPropertiesAreSetShouldBindThem() {
        this.contextRunner
            .withPropertyValues("critical-task.shutdown.grace-period=5s", "critical-task.shutdown.exit-code=3",
                    "critical-task.shutdown.exit-process=false")
            .run((context) -> {
                CriticalTaskProperties properties = context.getBean(CriticalTaskProperties.class);
                assertThat(properties.getShutdown().getGracePeriod()).isEqualTo(Duration.ofSeconds(5));
                assertThat(properties.getShutdown().getExitCode()).isEqualTo(3);
                assertThat(properties.getShutdown().isExitProcess()).isFalse();
            });
    }

    @Test
    void whenNothingIsSetShouldUseTheDefaults() {
        CriticalTaskProperties properties = new CriticalTaskProperties();
        assertThat(properties.isEnabled()).isTrue();
        assertThat(properties.getPhase()).isEqualTo(SmartLifecycle.DEFAULT_PHASE - 4096);
        assertThat(properties.getShutdown().getGracePeriod()).isEqualTo(Duration.ofSeconds(20));
        assertThat(properties.getShutdown().getExitCode()).isEqualTo(1);
        assertThat(properties.getShutdown().isExitProcess()).isTrue();
        assertThat(properties.getThreads().getVirtual()).isNull();
    }

    @Test
    void whenExitCodeIsZeroShouldFailStartup() {
        assertInvalid("critical-task.shutdown.exit-code=0", "critical-task.shutdown.exit-code", "'0'");
    }

    @Test
    void whenExitCodeIsAbove255ShouldFailStartup() {
        assertInvalid("critical-task.shutdown.exit-code=256", "critical-task.shutdown.exit-code", "'256'");
    }

    @Test
    void whenGracePeriodIsNegativeShouldFailStartup() {
        assertInvalid("critical-task.shutdown.grace-period=-1s", "critical-task.shutdown.grace-period", "'PT-1S'");
    }

    @Test
    void whenFailureAnalyzersAreLoadedShouldIncludeThePropertyAnalyzers() {
        assertThat(SpringFactoriesLoader.forDefaultResourceLocation(getClass().getClassLoader())
            .load(FailureAnalyzer.class,
                    SpringFactoriesLoader.ArgumentResolver.of(Environment.class, new StandardEnvironment()),
                    SpringFactoriesLoader.FailureHandler.handleMessage((message, failure) -> {
                        // other analyzers want constructor arguments: not the point here
                    })))
            .hasAtLeastOneElementOfType(InvalidCriticalTaskPropertyFailureAnalyzer.class)
            .hasAtLeastOneElementOfType(UnknownCriticalTaskPropertyFailureAnalyzer.class);
    }

    @Test
    void whenGracePeriodDoesNotFitTheShutdownPhaseShouldWarn(CapturedOutput output) {
        this.contextRunner.withPropertyValues("critical-task.shutdown.grace-period=30s")
            .run((context) -> assertThat(output).contains(
                    "critical-task.shutdown.grace-period (PT30S, plus PT1S for interrupted tasks) does not fit inside "
                            + "spring.lifecycle.timeout-per-shutdown-phase (PT30S)"));
    }

    @Test
    void whenShutdownPhaseIsShorterShouldWarn(CapturedOutput output) {
        this.contextRunner
            .withPropertyValues("critical-task.shutdown.grace-period=5s",
                    "spring.lifecycle.timeout-per-shutdown-phase=5s")
            .run((context) -> assertThat(output)
                .contains("does not fit inside spring.lifecycle.timeout-per-shutdown-phase (PT5S)"));
    }

    @Test
    void whenDefaultGracePeriodFitsShouldNotWarn(CapturedOutput output) {
        new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(CriticalTaskAutoConfiguration.class))
            .run((context) -> assertThat(output).doesNotContain("does not fit inside"));
    }

    private void assertInvalid(String property, String name, String value) {
        this.contextRunner.withPropertyValues(property).run((context) -> {
            assertThat(context).hasFailed();
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains("'" + name + "'").contains(value);
            assertThat(analysis.getAction()).contains("'" + name + "'");
        });
    }

    static FailureAnalysis analyze(Throwable failure) {
        FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(failure);
        assertThat(analysis).isNotNull();
        return analysis;
    }

    @Configuration(proxyBeanMethods = false)
    static class Tasks {

        final List<String> runs = new CopyOnWriteArrayList<>();

        final List<Boolean> daemon = new CopyOnWriteArrayList<>();

        final List<Boolean> virtual = new CopyOnWriteArrayList<>();

        final CountDownLatch started = new CountDownLatch(2);

        @Bean
        CriticalTask worker() {
            return this::run;
        }

        @Bean
        CriticalTask otherWorker() {
            return this::run;
        }

        private void run(CancellationToken token) throws InterruptedException {
            Thread thread = Thread.currentThread();
            this.runs.add(thread.getName());
            this.daemon.add(thread.isDaemon());
            this.virtual.add(!thread.getClass().getName().equals(Thread.class.getName()));
            this.started.countDown();
            token.await();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class UserRootToken {

        final CancellationToken token = CancellationToken.create();

        @Bean
        CancellationToken myRoot() {
            return this.token;
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class UserRegistry {

        final CriticalTaskRegistry registry = CriticalTaskRegistry.builder().daemonThreads(true).build();

        @Bean(destroyMethod = "")
        CriticalTaskRegistry myRegistry() {
            return this.registry;
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class UserLifecycle {

        @Bean
        Object criticalTaskLifecycle() {
            return new Object();
        }

    }

}
