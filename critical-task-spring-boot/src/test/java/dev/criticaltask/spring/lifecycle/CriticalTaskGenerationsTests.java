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

package dev.criticaltask.spring.lifecycle;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.TaskState;
import dev.criticaltask.TaskContext;
import dev.criticaltask.SupervisedTask;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import dev.criticaltask.spring.actuate.endpoint.CriticalTasksEndpoint.TaskDescriptor;
import dev.criticaltask.spring.actuate.endpoint.CriticalTasksEndpoint;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.health.CriticalTaskHealthAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.endpoint.CriticalTaskEndpointAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.metrics.CriticalTaskMetricsAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.scheduling.CriticalJobAutoConfiguration;
import dev.criticaltask.spring.metrics.CriticalTaskMetrics;
import dev.criticaltask.spring.scheduling.Critical;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Stop and start, restart and pause of real contexts: each start runs every task again
 * under a fresh token below the root, which only a failure or the close cancels (issue
 * #12); a failure during the close still reaches the shutdown (issue #19, item 1).
 */
@Tag("spring")
@ExtendWith(OutputCaptureExtension.class)
class CriticalTaskGenerationsTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final FailedEvents failed = new FailedEvents();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CriticalTaskAutoConfiguration.class))
        .withPropertyValues("critical-task.shutdown.grace-period=2s")
        // supplied by the test, so that it can still be read once a failure has closed
        // the context
        .withBean(FailedEvents.class, () -> this.failed);

    @Test
    void whenStoppedAndStartedShouldRunEveryTaskAgainUnderAFreshToken() {
        this.contextRunner.withUserConfiguration(Worker.class).run((context) -> {
            ConfigurableApplicationContext source = context.getSourceApplicationContext();
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            CriticalTaskLifecycle lifecycle = context.getBean(CriticalTaskLifecycle.class);
            Worker worker = context.getBean(Worker.class);
            CriticalTaskHandle first = awaitRunning(registry, "worker");

            source.stop();

            assertThat(first.state()).isEqualTo(TaskState.CANCELLED);
            assertThat(registry.rootToken().isCancelled()).isFalse();
            assertThat(lifecycle.isRunning()).isFalse();
            assertThat(source.isRunning()).isFalse();
            assertThat(worker.tokens).hasSize(1);

            source.start();

            CriticalTaskHandle second = awaitRunning(registry, "worker");
            assertThat(second).isNotSameAs(first);
            assertThat(lifecycle.isRunning()).isTrue();
            assertThat(registry.tasks()).containsExactly(second);
            await().atMost(TIMEOUT).until(() -> worker.tokens.size() == 2);
            assertThat(worker.tokens.get(1)).isNotSameAs(worker.tokens.get(0));
            assertThat(worker.tokens.get(1).isCancelled()).isFalse();
            assertThat(registry.rootToken().isCancelled()).isFalse();
        });
    }

    @Test
    void whenStoppedAndStartedShouldKeepTheMetricSeriesAndReportTheCurrentGenerationsHealth() {
        this.contextRunner
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    CriticalTaskMetricsAutoConfiguration.class, CriticalTaskHealthAutoConfiguration.class))
            .withUserConfiguration(Worker.class)
            .run((context) -> {
                ConfigurableApplicationContext source = context.getSourceApplicationContext();
                CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                CompositeHealthContributor health = context.getBean("criticalTasksHealthContributor",
                        CompositeHealthContributor.class);
                awaitRunning(registry, "worker");
                // registered when the listeners hear of the start, just after it
                await().atMost(TIMEOUT)
                    .until(() -> meters.find(CriticalTaskMetrics.ACTIVE).tag("task", "worker").longTaskTimer() != null);
                LongTaskTimer active = meters.get(CriticalTaskMetrics.ACTIVE).tag("task", "worker").longTaskTimer();
                await().atMost(TIMEOUT).until(() -> active.activeTasks() == 1);

                source.stop();

                assertThat(active.activeTasks()).isZero();
                assertThat(status(health, "worker")).isEqualTo(Status.OUT_OF_SERVICE);

                source.start();

                awaitRunning(registry, "worker");
                // the same series, a new sample
                assertThat(meters.get(CriticalTaskMetrics.ACTIVE).tag("task", "worker").longTaskTimer())
                    .isSameAs(active);
                await().atMost(TIMEOUT).until(() -> active.activeTasks() == 1);
                assertThat(status(health, "worker")).isEqualTo(Status.UP);
            });
    }

    @Test
    void whenStoppedAndStartedShouldListOnlyTheCurrentGenerationAndKeepCountingRestarts() {
        this.contextRunner
            .withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class,
                    CompositeMeterRegistryAutoConfiguration.class, SimpleMetricsExportAutoConfiguration.class,
                    CriticalTaskMetricsAutoConfiguration.class, CriticalTaskEndpointAutoConfiguration.class))
            .withUserConfiguration(FlakyOnce.class)
            .withPropertyValues("management.endpoints.web.exposure.include=criticaltasks",
                    "critical-task.tasks.flaky.restart.max-restarts=1",
                    "critical-task.tasks.flaky.restart.backoff.initial=10ms",
                    "critical-task.tasks.flaky.restart.backoff.max=10ms")
            .run((context) -> {
                ConfigurableApplicationContext source = context.getSourceApplicationContext();
                MeterRegistry meters = context.getBean(MeterRegistry.class);
                CriticalTasksEndpoint endpoint = context.getBean(CriticalTasksEndpoint.class);
                FlakyOnce flaky = context.getBean(FlakyOnce.class);
                // each generation's first attempt fails and is restarted once
                assertThat(flaky.secondAttempts.poll(20, TimeUnit.SECONDS)).isNotNull();
                await().atMost(TIMEOUT).until(() -> restarts(meters) == 1.0);
                TaskDescriptor first = onlyFlaky(endpoint);
                assertThat(first.restarts()).isEqualTo(1);

                source.stop();
                source.start();

                assertThat(flaky.secondAttempts.poll(20, TimeUnit.SECONDS)).isNotNull();
                // the same series counts on across generations
                await().atMost(TIMEOUT).until(() -> restarts(meters) == 2.0);
                // the endpoint lists the current generation's task only, with its own
                // count
                TaskDescriptor current = onlyFlaky(endpoint);
                assertThat(current.state()).isEqualTo(TaskState.RUNNING);
                assertThat(current.restarts()).isEqualTo(1);
                assertThat(current.startedAt()).isAfter(first.startedAt());
            });
    }

    private static double restarts(MeterRegistry meters) {
        Counter counter = meters.find(CriticalTaskMetrics.RESTARTS).tag("task", "flaky").counter();
        return (counter != null) ? counter.count() : 0.0;
    }

    private static TaskDescriptor onlyFlaky(CriticalTasksEndpoint endpoint) {
        List<TaskDescriptor> flaky = endpoint.criticalTasks(SecurityContext.NONE)
            .tasks()
            .stream()
            .filter((task) -> task.name().equals("flaky"))
            .toList();
        assertThat(flaky).hasSize(1);
        return flaky.get(0);
    }

    private static Status status(CompositeHealthContributor health, String name) {
        HealthIndicator indicator = (HealthIndicator) health.getContributor(name);
        assertThat(indicator).isNotNull();
        return indicator.health().getStatus();
    }

    @Test
    void whenAStartComesWhileTheStopIsStillUnderWayShouldWaitForItThenRunTheTasksAgain() {
        this.contextRunner.withUserConfiguration(SlowToStop.class).run((context) -> {
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            CriticalTaskLifecycle lifecycle = context.getBean(CriticalTaskLifecycle.class);
            SlowToStop slow = context.getBean(SlowToStop.class);
            CriticalTaskHandle first = awaitRunning(registry, "slow");
            CountDownLatch calledBack = new CountDownLatch(1);

            // as DefaultLifecycleProcessor does when its phase timed out: the callback
            // has
            // not come, and the next start is already here
            lifecycle.stop(calledBack::countDown);
            assertThat(slow.stopping.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
            java.util.concurrent.CompletableFuture<Void> start = java.util.concurrent.CompletableFuture
                .runAsync(lifecycle::start);
            assertThat(start).isNotDone();
            slow.release.countDown();

            assertThat(start).succeedsWithin(TIMEOUT);
            assertThat(calledBack.getCount()).isZero();
            assertThat(first.state()).isEqualTo(TaskState.CANCELLED);
            assertThat(awaitRunning(registry, "slow")).isNotSameAs(first);
            assertThat(lifecycle.isRunning()).isTrue();
        });
    }

    @Test
    void whenATaskOfTheStoppedGenerationStillHoldsItsNameShouldFailTheStartNamingIt() {
        this.contextRunner.withPropertyValues("critical-task.shutdown.grace-period=0s")
            .withUserConfiguration(Stubborn.class)
            .run((context) -> {
                ConfigurableApplicationContext source = context.getSourceApplicationContext();
                CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
                CriticalTaskLifecycle lifecycle = context.getBean(CriticalTaskLifecycle.class);
                Stubborn stubborn = context.getBean(Stubborn.class);
                awaitRunning(registry, "stubborn");
                // ignores its cancellation and its interrupt: the stop reports it and
                // goes
                // on
                source.stop();

                assertThatIllegalStateException().isThrownBy(lifecycle::start)
                    .withMessage("Cannot start critical tasks: A critical task named 'stubborn' is already running");
                assertThat(lifecycle.isRunning()).isFalse();

                stubborn.release.countDown();
                await().atMost(TIMEOUT).until(() -> registry.find("stubborn").orElseThrow().isFinished());
                lifecycle.start();
                assertThat(lifecycle.isRunning()).isTrue();
            });
    }

    @Test
    void whenRestartedShouldRunEveryTaskAgain() {
        this.contextRunner.withUserConfiguration(Worker.class).run((context) -> {
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            CriticalTaskHandle first = awaitRunning(registry, "worker");

            context.getSourceApplicationContext().restart();

            assertThat(first.state()).isEqualTo(TaskState.CANCELLED);
            CriticalTaskHandle second = awaitRunning(registry, "worker");
            assertThat(second).isNotSameAs(first);
            assertThat(context.getBean(CriticalTaskLifecycle.class).isRunning()).isTrue();
        });
    }

    @Test
    void whenPausedShouldStopTheWorkersAndARestartShouldRunThemAgain() {
        this.contextRunner.withUserConfiguration(Worker.class).run((context) -> {
            ConfigurableApplicationContext source = context.getSourceApplicationContext();
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            CriticalTaskLifecycle lifecycle = context.getBean(CriticalTaskLifecycle.class);
            CriticalTaskHandle first = awaitRunning(registry, "worker");

            source.pause();

            assertThat(first.state()).isEqualTo(TaskState.CANCELLED);
            assertThat(lifecycle.isRunning()).isFalse();
            assertThat(registry.isPaused()).isTrue();
            assertThat(registry.rootToken().isCancelled()).isFalse();

            source.restart();

            assertThat(awaitRunning(registry, "worker")).isNotSameAs(first);
            assertThat(lifecycle.isRunning()).isTrue();
        });
    }

    @Test
    void whenATaskFailsAfterAStopAndStartShouldShutTheApplicationDown() {
        this.contextRunner.withUserConfiguration(FailOnSignal.class).run((context) -> {
            ConfigurableApplicationContext source = context.getSourceApplicationContext();
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            awaitRunning(registry, "failing");
            source.stop();
            source.start();
            awaitRunning(registry, "failing");

            context.getBean(FailOnSignal.class).fail.countDown();

            await().atMost(TIMEOUT).until(() -> !source.isActive());
            assertThat(this.failed.events).singleElement()
                .satisfies((event) -> assertThat(event.getTaskName()).isEqualTo("failing"));
        });
    }

    @Test
    void whenAStartComesAfterAFailureShouldStartNothingAndSaySo(CapturedOutput output) {
        this.contextRunner.withUserConfiguration(Worker.class).run((context) -> {
            ConfigurableApplicationContext source = context.getSourceApplicationContext();
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            CriticalTaskLifecycle lifecycle = context.getBean(CriticalTaskLifecycle.class);
            awaitRunning(registry, "worker");
            source.stop();
            // a failure the lifecycle did not start: the root is cancelled
            registry.rootToken().cancel(new IllegalStateException("cancelled from outside"));

            source.start();

            assertThat(lifecycle.isRunning()).isFalse();
            assertThat(registry.find("worker"))
                .hasValueSatisfying((task) -> assertThat(task.state()).isEqualTo(TaskState.CANCELLED));
            assertThat(output).contains("Not starting critical tasks: the root token is already cancelled");
        });
    }

    @Test
    void whenStoppedShouldStopTasksSpawnedAtRunTimeAndNotRunThemAgain() {
        this.contextRunner.withUserConfiguration(Worker.class).run((context) -> {
            ConfigurableApplicationContext source = context.getSourceApplicationContext();
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            CriticalTaskHandle spawned = registry.spawn("spawned", CancellationToken::await);

            source.stop();

            assertThat(spawned.state()).isEqualTo(TaskState.CANCELLED);
            assertThatIllegalStateException().isThrownBy(() -> registry.spawn("meanwhile", CancellationToken::await))
                .withMessageContaining("the registry is paused");

            source.start();

            awaitRunning(registry, "worker");
            // the stopped generation is history for every reader: health, endpoint,
            // metrics
            assertThat(registry.find("spawned")).isEmpty();
            assertThat(registry.tasks()).extracting(CriticalTaskHandle::description).containsExactly("worker");
            assertThat(registry.spawn("spawned", CancellationToken::await).state()).isEqualTo(TaskState.RUNNING);
        });
    }

    @Test
    void whenATaskFailsWhileTheContextClosesShouldHandTheFailureToTheShutdownOnce(CapturedOutput output) {
        this.contextRunner.withUserConfiguration(FailWhenCancelled.class).run((context) -> {
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            CriticalTaskLifecycle lifecycle = context.getBean(CriticalTaskLifecycle.class);
            awaitRunning(registry, "failing");

            context.getSourceApplicationContext().close();

            assertThat(registry.firstFailure())
                .hasValueSatisfying((failure) -> assertThat(failure.getCause()).isInstanceOf(IOException.class));
            assertThat(lifecycle.handedOver()).isEqualTo(registry.firstFailure());
            assertThat(output).doesNotContain("Critical tasks stopped gracefully")
                .contains("Critical tasks stopped; critical task 'failing' failed, so the application shuts down");
        });
    }

    @Test
    void whenATaskFailsWhileTheContextStopsShouldShutTheApplicationDown() {
        this.contextRunner.withUserConfiguration(FailWhenCancelled.class).run((context) -> {
            ConfigurableApplicationContext source = context.getSourceApplicationContext();
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            CriticalTaskLifecycle lifecycle = context.getBean(CriticalTaskLifecycle.class);
            awaitRunning(registry, "failing");

            source.stop();

            assertThat(registry.rootToken().reason()).containsSame(registry.firstFailure().orElseThrow());
            assertThat(lifecycle.handedOver()).isEqualTo(registry.firstFailure());
            // a stopped context has started all the same: the shutdown closes it, as
            // after any failure
            await().atMost(TIMEOUT).until(() -> !source.isActive());
            assertThat(this.failed.events).singleElement()
                .satisfies((event) -> assertThat(event.getTaskName()).isEqualTo("failing"));
        });
    }

    @Test
    void whenATaskFailsWhileTheContextIsStoppedShouldShutTheApplicationDown() {
        this.contextRunner.withUserConfiguration(Worker.class).run((context) -> {
            ConfigurableApplicationContext source = context.getSourceApplicationContext();
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            awaitRunning(registry, "worker");
            source.stop();

            // not the registry's (a stopped registry spawns nothing), but under its root
            CriticalTaskHandle.spawn("outside", (token) -> {
                throw new IllegalStateException("failed while the context was stopped");
            }, registry.rootToken()).detach();

            await().atMost(TIMEOUT).until(() -> !source.isActive());
            assertThat(this.failed.events).singleElement()
                .satisfies((event) -> assertThat(event.getTaskName()).isEqualTo("outside"));
        });
    }

    @Test
    void whenAStoppedContextClosesShouldStopTheRegistryForGood() {
        this.contextRunner.withUserConfiguration(Worker.class).run((context) -> {
            ConfigurableApplicationContext source = context.getSourceApplicationContext();
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            awaitRunning(registry, "worker");
            source.stop();
            assertThat(registry.rootToken().isCancelled()).isFalse();

            // the lifecycle is not running, so the close does not stop it: its
            // destruction does
            source.close();

            assertThat(registry.rootToken().isCancelled()).isTrue();
            assertThat(registry.isStopping()).isTrue();
        });
    }

    @Test
    void whenACriticalScheduledJobFailsAfterAStopAndStartShouldShutTheApplicationDown(CapturedOutput output) {
        Ticker ticker = new Ticker();
        this.contextRunner
            .withConfiguration(
                    AutoConfigurations.of(CriticalJobAutoConfiguration.class, TaskSchedulingAutoConfiguration.class))
            .withUserConfiguration(Scheduling.class)
            .withBean("ticker", Ticker.class, () -> ticker)
            .run((context) -> {
                ConfigurableApplicationContext source = context.getSourceApplicationContext();
                CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
                CriticalTaskHandle first = awaitRunning(registry, "ticker.tick");
                await().atMost(TIMEOUT).until(() -> ticker.runs.get() > 0);
                source.stop();
                source.start();
                CriticalTaskHandle second = awaitRunning(registry, "ticker.tick");
                assertThat(second).isNotSameAs(first);
                int before = ticker.runs.get();
                await().atMost(TIMEOUT).until(() -> ticker.runs.get() > before);

                ticker.fail.set(true);

                await().atMost(TIMEOUT).until(() -> !source.isActive());
                assertThat(this.failed.events).singleElement().satisfies((event) -> {
                    assertThat(event.getTaskName()).isEqualTo("ticker.tick");
                    assertThat(event.getCause()).hasMessage("failed after a restart");
                });
                assertThat(second.state()).isEqualTo(TaskState.FAILED);
            });
        // runs that fail once the shutdown has begun are only logged; none was dismissed
        // as a run of a stopped context
        assertThat(output).doesNotContain("failed after its task had stopped; it runs again");
    }

    private static CriticalTaskHandle awaitRunning(CriticalTaskRegistry registry, String name) {
        AtomicReference<CriticalTaskHandle> running = new AtomicReference<>();
        await().atMost(TIMEOUT).until(() -> {
            registry.find(name).filter((task) -> task.state() == TaskState.RUNNING).ifPresent(running::set);
            return running.get() != null;
        });
        return running.get();
    }

    static class FailedEvents implements ApplicationListener<CriticalTaskFailedEvent> {

        final List<CriticalTaskFailedEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(CriticalTaskFailedEvent event) {
            this.events.add(event);
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Worker {

        final List<CancellationToken> tokens = new CopyOnWriteArrayList<>();

        @Bean
        CriticalTask worker() {
            return (token) -> {
                this.tokens.add(token);
                token.await();
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class FlakyOnce {

        final BlockingQueue<TaskContext> secondAttempts = new LinkedBlockingQueue<>();

        @Bean
        SupervisedTask flaky() {
            return (context) -> {
                if (context.attempt() == 1) {
                    throw new IOException("first attempt of a generation");
                }
                this.secondAttempts.add(context);
                context.cancellation().await();
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class FailOnSignal {

        final CountDownLatch fail = new CountDownLatch(1);

        @Bean
        CriticalTask failing() {
            return (token) -> {
                while (!this.fail.await(10, TimeUnit.MILLISECONDS)) {
                    if (token.isCancelled()) {
                        return;
                    }
                }
                throw new IllegalStateException("boom");
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class SlowToStop {

        final CountDownLatch stopping = new CountDownLatch(1);

        final CountDownLatch release = new CountDownLatch(1);

        @Bean
        CriticalTask slow() {
            return (token) -> {
                token.await();
                this.stopping.countDown();
                this.release.await();
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Stubborn {

        final CountDownLatch release = new CountDownLatch(1);

        @Bean
        CriticalTask stubborn() {
            return (token) -> {
                while (true) {
                    try {
                        if (this.release.await(10, TimeUnit.SECONDS)) {
                            return;
                        }
                    }
                    catch (InterruptedException ignored) {
                        // a worker that will not stop
                    }
                }
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class FailWhenCancelled {

        @Bean
        CriticalTask failing() {
            return (token) -> {
                token.await();
                throw new IOException("disk gone while stopping");
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class Scheduling {

    }

    static class Ticker {

        final AtomicInteger runs = new AtomicInteger();

        final java.util.concurrent.atomic.AtomicBoolean fail = new java.util.concurrent.atomic.AtomicBoolean();

        @Critical
        @Scheduled(fixedDelay = 10)
        void tick() {
            this.runs.incrementAndGet();
            if (this.fail.get()) {
                throw new IllegalStateException("failed after a restart");
            }
        }

    }

}
