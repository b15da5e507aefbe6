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
import io.micrometer.common.KeyValue;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.tck.TestObservationRegistry;
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
    void whenACriticalJobRunsShouldObserveEachRunWithItsOutcome() {
        this.contextRunner.withBean(TestObservationRegistry.class, () -> this.observations)
            .withUserConfiguration(Ticking.class)
            .run((context) -> {
                Ticker ticker = context.getBean(Ticker.class);
                assertThat(ticker.awaitThreeRuns()).isTrue();
                await().atMost(TIMEOUT).until(() -> named(CriticalTaskObservations.JOB_RUN).size() >= 3);
                assertThat(named(CriticalTaskObservations.JOB_RUN)).allSatisfy((run) -> {
                    assertThat(run.getLowCardinalityKeyValues()).contains(KeyValue.of("task", "ticker.tick"),
                            KeyValue.of("outcome", "success"), KeyValue.of("exception", "none"));
                    assertThat(run.getContextualName()).isEqualTo("critical job ticker.tick");
                });
            });
    }

    @Test
    void whenNoObservationRegistryExistsShouldObserveNothingAndWrapNothing() {
        this.contextRunner.withUserConfiguration(FlakyOnce.class)
            .withPropertyValues("critical-task.tasks.flaky.restart.max-restarts=2",
                    "critical-task.tasks.flaky.restart.backoff.initial=5ms")
            .run((context) -> {
                assertThat(context).doesNotHaveBean(CriticalTaskObservations.class)
                    .doesNotHaveBean(CriticalTaskSpecDecorator.class);
                CriticalTaskHandle flaky = context.getBean(CriticalTaskRegistry.class).find("flaky").orElseThrow();
                await().atMost(TIMEOUT).until(() -> flaky.state() == TaskState.COMPLETED);
                assertThat(this.observations).doesNotHaveAnyObservation();
            });
    }

    @Test
    void whenObservationsAreTurnedOffForATaskShouldObserveOnlyTheOthers() {
        this.contextRunner.withBean(TestObservationRegistry.class, () -> this.observations)
            .withUserConfiguration(FlakyOnce.class, Ticking.class)
            .withPropertyValues("critical-task.tasks.flaky.restart.max-restarts=2",
                    "critical-task.tasks.flaky.restart.backoff.initial=5ms",
                    "critical-task.tasks.flaky.observations.enabled=false",
                    "critical-task.tasks[ticker.tick].observations.enabled=false")
            .run((context) -> {
                CriticalTaskHandle flaky = context.getBean(CriticalTaskRegistry.class).find("flaky").orElseThrow();
                await().atMost(TIMEOUT).until(() -> flaky.state() == TaskState.COMPLETED);
                assertThat(context.getBean(Ticker.class).awaitThreeRuns()).isTrue();
                context.stop();
                assertThat(this.observations).doesNotHaveAnyObservation();
                assertThat(this.events).isEmpty();
            });
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
