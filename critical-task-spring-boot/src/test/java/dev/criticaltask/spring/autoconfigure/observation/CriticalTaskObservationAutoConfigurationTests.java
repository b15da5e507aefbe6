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

package dev.criticaltask.spring.autoconfigure.observation;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.SupervisedTask;
import dev.criticaltask.TaskState;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.CriticalTaskSpecDecorator;
import dev.criticaltask.spring.autoconfigure.scheduling.CriticalJobAutoConfiguration;
import dev.criticaltask.spring.observation.CriticalTaskObservations;
import dev.criticaltask.spring.scheduling.Critical;
import dev.criticaltask.spring.scheduling.CriticalJobStatus;
import dev.criticaltask.spring.scheduling.CriticalJobs;
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import io.micrometer.observation.tck.TestObservationRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Observations of attempts and job runs, read back from a
 * {@link TestObservationRegistry}.
 */
@Tag("spring")
class CriticalTaskObservationAutoConfigurationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final TestObservationRegistry observations = TestObservationRegistry.create();

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CriticalTaskAutoConfiguration.class,
                CriticalJobAutoConfiguration.class, CriticalTaskObservationAutoConfiguration.class,
                TaskSchedulingAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
        .withPropertyValues("critical-task.shutdown.grace-period=2s");

    CriticalTaskObservationAutoConfigurationTests() {
        this.observations.observationConfig().observationHandler(new ObservationHandler<>() {
            @Override
            public void onEvent(Observation.Event event, Observation.Context context) {
                CriticalTaskObservationAutoConfigurationTests.this.events
                    .add(context.getName() + " " + event.getName() + " " + event.getContextualName());
            }

            @Override
            public boolean supportsContext(Observation.Context context) {
                return true;
            }
        });
    }

    @Test
    void whenAnObservationRegistryExistsShouldObserveEachAttemptWithItsOutcomeAndKeys() {
        this.contextRunner.withBean(TestObservationRegistry.class, () -> this.observations)
            .withUserConfiguration(FlakyOnce.class)
            .withPropertyValues("critical-task.tasks.flaky.restart.max-restarts=2",
                    "critical-task.tasks.flaky.restart.backoff.initial=5ms")
            .run((context) -> {
                CriticalTaskHandle flaky = context.getBean(CriticalTaskRegistry.class).find("flaky").orElseThrow();
                await().atMost(TIMEOUT).until(() -> flaky.state() == TaskState.COMPLETED);
                List<Observation.Context> attempts = attempts();
                assertThat(attempts).hasSize(2);
                Observation.Context first = attempts.get(0);
                assertThat(first.getLowCardinalityKeyValues()).contains(KeyValue.of("task", "flaky"),
                        KeyValue.of("outcome", "failed"), KeyValue.of("exception", "IOException"),
                        KeyValue.of("restart.cause", "none"));
                assertThat(first.getHighCardinalityKeyValues()).contains(KeyValue.of("attempt", "1"),
                        KeyValue.of("exception.type", IOException.class.getName()));
                assertThat(first.getError()).isInstanceOf(IOException.class);
                // the message is the error's only: no key carries it
                assertThat(first.getAllKeyValues()).noneMatch((keyValue) -> keyValue.getValue().contains("secret"));
                Observation.Context second = attempts.get(1);
                assertThat(second.getLowCardinalityKeyValues()).contains(KeyValue.of("task", "flaky"),
                        KeyValue.of("outcome", "completed"), KeyValue.of("exception", "none"),
                        KeyValue.of("restart.cause", "IOException"));
                assertThat(second.getHighCardinalityKeyValues()).contains(KeyValue.of("attempt", "2"));
                assertThat(second.getError()).isNull();
                assertThat(this.events).singleElement()
                    .asString()
                    .startsWith("critical.task.attempt critical.task.restarted critical.task.restarted: after "
                            + IOException.class.getName() + ", backoff ");
            });
    }

    @Test
    void whenATaskIsStoppedItsAttemptShouldEndCancelled() {
        this.contextRunner.withBean(TestObservationRegistry.class, () -> this.observations)
            .withUserConfiguration(Waiting.class)
            .run((context) -> {
                CriticalTaskHandle waiting = context.getBean(CriticalTaskRegistry.class).find("waiting").orElseThrow();
                await().atMost(TIMEOUT).until(() -> waiting.startedAt().isPresent());
                assertThat(attempts()).isEmpty(); // still running: not stopped yet
                context.stop();
                await().atMost(TIMEOUT).until(() -> attempts().size() == 1);
                assertThat(attempts().get(0).getLowCardinalityKeyValues()).contains(KeyValue.of("outcome", "cancelled"),
                        KeyValue.of("exception", "none"));
            });
    }

    @Test
    void whenATaskStallsItsAttemptShouldGetAStalledEvent() {
        this.contextRunner.withBean(TestObservationRegistry.class, () -> this.observations)
            .withUserConfiguration(Silent.class)
            .withPropertyValues("critical-task.tasks.silent.heartbeat.timeout=50ms")
            .run((context) -> {
                await().atMost(TIMEOUT).until(() -> !this.events.isEmpty());
                assertThat(this.events).first()
                    .asString()
                    .startsWith("critical.task.attempt critical.task.stalled critical.task.stalled: no heartbeat for ")
                    .endsWith("on attempt 1");
            });
    }

    @Test
    void whenACriticalJobRunsShouldObserveEachRunOnceWithItsOutcome() {
        this.contextRunner.withBean(TestObservationRegistry.class, () -> this.observations)
            .withUserConfiguration(Ticking.class)
            .run((context) -> {
                Ticker ticker = context.getBean(Ticker.class);
                CriticalJobs jobs = context.getBean(CriticalJobs.class);
                assertThat(ticker.awaitThreeRuns()).isTrue();
                // closed, no run is left to start: the count of runs is final
                context.close();
                await().atMost(TIMEOUT)
                    .until(() -> jobs.find("ticker.tick")
                        .map((job) -> job.lastOutcome() != CriticalJobStatus.Outcome.RUNNING)
                        .orElse(false));
                long runs = jobs.find("ticker.tick").orElseThrow().runs();
                assertThat(runs).isGreaterThanOrEqualTo(3);
                assertThat(jobRuns("ticker.tick")).hasSize((int) runs).allSatisfy((run) -> {
                    assertThat(run.getLowCardinalityKeyValues()).contains(KeyValue.of("task", "ticker.tick"),
                            KeyValue.of("outcome", "success"), KeyValue.of("exception", "none"));
                    assertThat(run.getContextualName()).isEqualTo("critical job ticker.tick");
                    assertThat(run.getError()).isNull();
                });
            });
    }

    @Test
    void whenACriticalJobRunFailsShouldObserveItAsAFailureNamingTheExceptionClass() {
        this.contextRunner.withBean(TestObservationRegistry.class, () -> this.observations)
            .withUserConfiguration(Failing.class)
            .run((context) -> {
                CriticalJobs jobs = context.getBean(CriticalJobs.class);
                CriticalTaskHandle job = context.getBean(CriticalTaskRegistry.class)
                    .find("failingTicker.tick")
                    .orElseThrow();
                await().atMost(TIMEOUT).until(() -> job.state() == TaskState.FAILED);
                // the scheduler may run it again until the failure has closed the
                // context: every run fails, each is one observation
                context.close();
                await().atMost(TIMEOUT)
                    .until(() -> jobs.find("failingTicker.tick")
                        .map((status) -> status.lastOutcome() != CriticalJobStatus.Outcome.RUNNING)
                        .orElse(false));
                long runs = jobs.find("failingTicker.tick").orElseThrow().runs();
                assertThat(runs).isPositive();
                assertThat(jobRuns("failingTicker.tick")).hasSize((int) runs).allSatisfy((run) -> {
                    assertThat(run.getLowCardinalityKeyValues()).contains(KeyValue.of("task", "failingTicker.tick"),
                            KeyValue.of("outcome", "failure"), KeyValue.of("exception", "IllegalStateException"));
                    assertThat(run.getHighCardinalityKeyValues())
                        .contains(KeyValue.of("exception.type", IllegalStateException.class.getName()));
                    assertThat(run.getError()).isInstanceOf(IllegalStateException.class);
                    assertThat(run.getAllKeyValues()).noneMatch((keyValue) -> keyValue.getValue().contains("secret"));
                });
            });
    }

    @Test
    void whenNoObservationRegistryExistsShouldObserveNothingAndWrapNothing() {
        this.contextRunner.withUserConfiguration(FlakyOnce.class)
            .withPropertyValues("critical-task.tasks.flaky.restart.max-restarts=2",
                    "critical-task.tasks.flaky.restart.backoff.initial=5ms")
            .run((context) -> {
                // no registry to observe into: nothing may be looking for one either
                assertThat(context).doesNotHaveBean(ObservationRegistry.class)
                    .doesNotHaveBean(CriticalTaskObservations.class)
                    .doesNotHaveBean(CriticalTaskSpecDecorator.class);
                CriticalTaskHandle flaky = context.getBean(CriticalTaskRegistry.class).find("flaky").orElseThrow();
                await().atMost(TIMEOUT).until(() -> flaky.state() == TaskState.COMPLETED);
            });
    }

    @Test
    void whenObservationsAreTurnedOffForATaskShouldObserveOnlyTheOthers() {
        this.contextRunner.withBean(TestObservationRegistry.class, () -> this.observations)
            .withUserConfiguration(FlakyOnce.class, Ticking.class)
            .withPropertyValues("critical-task.tasks.flaky.restart.max-restarts=2",
                    "critical-task.tasks.flaky.restart.backoff.initial=5ms",
                    "critical-task.tasks.flaky.observations.enabled=false")
            .run((context) -> {
                assertThat(context.getBean(ObservationRegistry.class)).isSameAs(this.observations);
                CriticalTaskHandle flaky = context.getBean(CriticalTaskRegistry.class).find("flaky").orElseThrow();
                await().atMost(TIMEOUT).until(() -> flaky.state() == TaskState.COMPLETED);
                assertThat(context.getBean(Ticker.class).awaitThreeRuns()).isTrue();
                context.stop();
                await().atMost(TIMEOUT).until(() -> jobRuns("ticker.tick").size() >= 3);
                assertThat(this.observations).hasHandledContextsThatSatisfy((contexts) -> assertThat(contexts)
                    .noneMatch((observed) -> "flaky".equals(valueOf(observed, "task"))));
                // flaky's restart would have been an event on its attempt
                assertThat(this.events).isEmpty();
            });
    }

    @Test
    void whenObservationsAreTurnedOffForAJobShouldObserveOnlyTheOthers() {
        this.contextRunner.withBean(TestObservationRegistry.class, () -> this.observations)
            .withUserConfiguration(FlakyOnce.class, Ticking.class)
            .withPropertyValues("critical-task.tasks.flaky.restart.max-restarts=2",
                    "critical-task.tasks.flaky.restart.backoff.initial=5ms",
                    "critical-task.tasks[ticker.tick].observations.enabled=false")
            .run((context) -> {
                assertThat(context.getBean(ObservationRegistry.class)).isSameAs(this.observations);
                CriticalTaskHandle flaky = context.getBean(CriticalTaskRegistry.class).find("flaky").orElseThrow();
                await().atMost(TIMEOUT).until(() -> flaky.state() == TaskState.COMPLETED);
                assertThat(context.getBean(Ticker.class).awaitThreeRuns()).isTrue();
                context.stop();
                assertThat(attempts()).hasSize(2)
                    .allSatisfy((attempt) -> assertThat(valueOf(attempt, "task")).isEqualTo("flaky"));
                assertThat(this.observations).hasHandledContextsThatSatisfy((contexts) -> assertThat(contexts)
                    .noneMatch((observed) -> "ticker.tick".equals(valueOf(observed, "task"))));
            });
    }

    private static @Nullable String valueOf(Observation.Context context, String key) {
        KeyValue keyValue = context.getLowCardinalityKeyValue(key);
        return (keyValue != null) ? keyValue.getValue() : null;
    }

    private List<Observation.Context> jobRuns(String task) {
        return named(CriticalTaskObservations.JOB_RUN).stream()
            .filter((run) -> task.equals(valueOf(run, "task")))
            .toList();
    }

    private List<Observation.Context> attempts() {
        return named(CriticalTaskObservations.ATTEMPT);
    }

    private List<Observation.Context> named(String name) {
        List<Observation.Context> found = new CopyOnWriteArrayList<>();
        assertThat(this.observations).hasHandledContextsThatSatisfy((contexts) -> found.addAll(contexts.stream()
            .filter((context) -> name.equals(context.getName()))
            .filter((context) -> context.getLowCardinalityKeyValue("outcome") != null)
            .collect(Collectors.toList())));
        return found;
    }

    @Configuration(proxyBeanMethods = false)
    static class FlakyOnce {

        @Bean
        CriticalTask flaky() {
            AtomicInteger runs = new AtomicInteger();
            return (token) -> {
                if (runs.incrementAndGet() == 1) {
                    throw new IOException("secret detail");
                }
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Waiting {

        @Bean
        CriticalTask waiting() {
            return (token) -> token.await();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Silent {

        @Bean
        SupervisedTask silent() {
            return (context) -> context.cancellation().await();
        }

    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class Failing {

        @Bean
        FailingTicker failingTicker() {
            return new FailingTicker();
        }

    }

    static class FailingTicker {

        @Critical
        @Scheduled(fixedDelay = 10)
        void tick() {
            throw new IllegalStateException("secret detail");
        }

    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class Ticking {

        @Bean
        Ticker ticker() {
            return new Ticker();
        }

    }

    static class Ticker {

        private final CountDownLatch ranThreeTimes = new CountDownLatch(3);

        @Critical
        @Scheduled(fixedDelay = 10)
        void tick() {
            this.ranThreeTimes.countDown();
        }

        // a method, not the field: the bean is a class proxy
        boolean awaitThreeRuns() throws InterruptedException {
            return this.ranThreeTimes.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        }

    }

}
