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

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.IntStream;

import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.RestartPolicy;
import dev.criticaltask.StallAction;
import dev.criticaltask.SupervisedTask;
import dev.criticaltask.TaskState;
import dev.criticaltask.spring.CriticalTaskRestartedEvent;
import dev.criticaltask.spring.CriticalTaskStalledEvent;
import dev.criticaltask.spring.autoconfigure.health.CriticalTaskHealthAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.metrics.CriticalTaskMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Restart policies and heartbeats set per task, by property or by a definition bean, with
 * their events, metrics and health.
 */
@Tag("spring")
@ExtendWith(OutputCaptureExtension.class)
class CriticalTaskSupervisionTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(CriticalTaskAutoConfiguration.class, CriticalTaskHealthAutoConfiguration.class,
                        MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                        SimpleMetricsExportAutoConfiguration.class, CriticalTaskMetricsAutoConfiguration.class))
        .withPropertyValues("critical-task.shutdown.grace-period=2s")
        .withBean(SupervisionEventsRecorder.class);

    @Test
    void whenRestartPropertiesAreSetShouldLetAFlakyTaskRecoverWithoutShuttingDown() {
        this.contextRunner.withUserConfiguration(Flaky.class)
            .withPropertyValues("critical-task.tasks.flaky.restart.max-restarts=3",
                    "critical-task.tasks.flaky.restart.within=1m",
                    "critical-task.tasks.flaky.restart.backoff.initial=1ms",
                    "critical-task.tasks.flaky.restart.backoff.max=5ms")
            .run((context) -> {
                CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
                CriticalTaskHandle flaky = registry.find("flaky").orElseThrow();
                await().atMost(TIMEOUT).until(() -> flaky.attempt() == 3);
                assertThat(flaky.restartCount()).isEqualTo(2);
                assertThat(registry.rootToken().isCancelled()).isFalse();
                assertThat(context.getSourceApplicationContext().isActive()).isTrue();

                List<CriticalTaskRestartedEvent> restarts = context.getBean(SupervisionEventsRecorder.class)
                    .ofType(CriticalTaskRestartedEvent.class);
                assertThat(restarts).extracting(CriticalTaskRestartedEvent::getRestarts).containsExactly(1, 2);
                assertThat(restarts).allSatisfy((event) -> {
                    assertThat(event.getTaskName()).isEqualTo("flaky");
                    assertThat(event.getCause()).isInstanceOf(IOException.class);
                    assertThat(event.getBackoff()).isBetween(Duration.ofMillis(1), Duration.ofMillis(5));
                });
                assertThat(context.getBean(MeterRegistry.class)
                    .get("critical.task.restarts")
                    .tag("task", "flaky")
                    .counter()
                    .count()).isEqualTo(2);

                // UP again, and health still shows what it recovered from
                HealthIndicator health = (HealthIndicator) context
                    .getBean("criticalTasksHealthContributor", CompositeHealthContributor.class)
                    .getContributor("flaky");
                assertThat(health.health().getStatus()).isEqualTo(Status.UP);
                assertThat(health.health().getDetails()).containsEntry("restarts", 2)
                    .containsEntry("lastRestartCause", "java.io.IOException: attempt 2");
            });
    }

    @Test
    void whenTheRestartBudgetIsSpentShouldEscalateAndShutTheContextDown() {
        this.contextRunner.withUserConfiguration(AlwaysFails.class)
            .withPropertyValues("critical-task.tasks.doomed.restart.max-restarts=2",
                    "critical-task.tasks.doomed.restart.backoff.initial=1ms",
                    "critical-task.tasks.doomed.restart.backoff.max=1ms")
            .run((context) -> {
                CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
                AlwaysFails doomed = context.getBean(AlwaysFails.class);
                await().atMost(TIMEOUT).until(() -> !context.getSourceApplicationContext().isActive());
                assertThat(registry.firstFailure()).hasValueSatisfying((failure) -> {
                    assertThat(failure).hasRootCauseMessage("run 3");
                    assertThat(failure.getSuppressed()).extracting(Throwable::getMessage)
                        .containsExactly("run 1", "run 2");
                });
                assertThat(doomed.runs).hasValue(3);
            });
    }

    @Test
    void whenTheRestartBudgetIsSpentShouldLogTheEscalatedFailureOnceWithTheEarlierCausesSuppressed(
            CapturedOutput output) {
        this.contextRunner.withUserConfiguration(AlwaysFails.class)
            .withPropertyValues("critical-task.tasks.doomed.restart.max-restarts=2",
                    "critical-task.tasks.doomed.restart.backoff.initial=1ms",
                    "critical-task.tasks.doomed.restart.backoff.max=1ms")
            .run((context) -> await().atMost(TIMEOUT).until(() -> !context.getSourceApplicationContext().isActive()));
        // the restarts are warnings; the escalation is the one error, and its stack
        // carries the causes the budget was spent on
        List<String> lines = output.toString().lines().toList();
        List<Integer> errors = IntStream.range(0, lines.size())
            .filter((line) -> lines.get(line).contains(" ERROR "))
            .boxed()
            .toList();
        assertThat(errors).singleElement()
            .satisfies((line) -> assertThat(lines.get(line))
                .contains("Critical task 'doomed' failed: java.io.IOException (after 2 restarts)"));
        List<String> stack = stackAfter(lines, errors.get(0));
        assertThat(stack).first()
            .asString()
            .startsWith("dev.criticaltask.CriticalTaskFailedException: Critical task 'doomed' failed");
        assertThat(stack).filteredOn((line) -> line.contains("Suppressed: "))
            .map(String::strip)
            .containsExactly("Suppressed: java.io.IOException: run 1", "Suppressed: java.io.IOException: run 2");
        assertThat(stack).contains("Caused by: java.io.IOException: run 3");
    }

    @Test
    void whenADefinitionBeanSetsSupervisionInCodeShouldLetPropertiesWin() {
        this.contextRunner.withUserConfiguration(Definitions.class)
            .withPropertyValues("critical-task.tasks.lease-keeper.restart.max-restarts=7")
            .run((context) -> {
                CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
                CriticalTaskHandle keeper = registry.find("lease-keeper").orElseThrow();
                assertThat(keeper.state()).isEqualTo(TaskState.RUNNING);
                CriticalTaskSpec spec = context.getBean(CriticalTaskSpec.class);
                CriticalTaskSpec applied = new TaskDefinitions(context.getBean(CriticalTaskProperties.class).getTasks())
                    .withProperties(spec, TaskDefinitions.kind(spec));
                assertThat(applied.restartPolicy().maxRestarts()).isEqualTo(7);
                assertThat(applied.restartPolicy().within()).isEqualTo(Duration.ofMinutes(5));
                assertThat(applied.restartPolicy().initialBackoff()).isEqualTo(Duration.ofSeconds(1));
                assertThat(applied.heartbeatTimeout()).contains(Duration.ofSeconds(30));
                assertThat(applied.stallAction()).isEqualTo(StallAction.FAIL);
            });
    }

    @Test
    void whenATaskStallsShouldBeDownInHealthCountedAndPublished() {
        this.contextRunner.withUserConfiguration(Silent.class)
            .withPropertyValues("critical-task.tasks.silent.heartbeat.timeout=200ms",
                    "critical-task.tasks.silent.heartbeat.on-stall=report")
            .run((context) -> {
                CriticalTaskHandle silent = context.getBean(CriticalTaskRegistry.class).find("silent").orElseThrow();
                await().atMost(TIMEOUT).until(() -> silent.state() == TaskState.STALLED);
                HealthIndicator health = (HealthIndicator) context
                    .getBean("criticalTasksHealthContributor", CompositeHealthContributor.class)
                    .getContributor("silent");
                assertThat(health.health().getStatus()).isEqualTo(Status.DOWN);
                assertThat(health.health().getDetails()).containsEntry("state", "STALLED")
                    .containsKey("sinceLastHeartbeat");
                assertThat(context.getBean(MeterRegistry.class)
                    .get("critical.task.stalled")
                    .tag("task", "silent")
                    .gauge()
                    .value()).isEqualTo(1);
                await().atMost(TIMEOUT)
                    .until(() -> !context.getBean(SupervisionEventsRecorder.class)
                        .ofType(CriticalTaskStalledEvent.class)
                        .isEmpty());
                assertThat(context.getBean(SupervisionEventsRecorder.class).ofType(CriticalTaskStalledEvent.class))
                    .singleElement()
                    .satisfies((event) -> {
                        assertThat(event.getTaskName()).isEqualTo("silent");
                        assertThat(event.getSilentFor()).isGreaterThanOrEqualTo(Duration.ofMillis(200));
                        assertThat(event.getStall()).isNotNull();
                        assertThat(event.getStall().attempt()).isEqualTo(1);
                        assertThat(event.getStall().stackTrace()).extracting(StackTraceElement::getMethodName)
                            .contains("await");
                        assertThat(event.getStall().threadName()).isEqualTo("critical-task-silent");
                    });
                assertThat(context.getSourceApplicationContext().isActive()).isTrue();
            });
    }

    @Test
    void whenAPropertyNamesNoTaskShouldFailStartUpNamingIt() {
        this.contextRunner.withUserConfiguration(Flaky.class)
            .withPropertyValues("critical-task.tasks.nope.restart.max-restarts=1")
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("critical-task.tasks.nope")
                    .contains("no critical task is named 'nope'");
                assertThat(analysis.getAction()).contains("[flaky]");
            });
    }

    @Test
    void whenAPlainTaskIsGivenAHeartbeatShouldFailStartUp() {
        this.contextRunner.withUserConfiguration(Flaky.class)
            .withPropertyValues("critical-task.tasks.flaky.heartbeat.timeout=1s")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(analyze(context.getStartupFailure()).getDescription())
                    .contains("critical-task.tasks.flaky.heartbeat.timeout")
                    .contains("plain CriticalTask");
            });
    }

    @Test
    void whenSupervisionPropertiesAreInvalidShouldFailStartUpNamingTheProperty() {
        this.contextRunner.withUserConfiguration(Flaky.class)
            .withPropertyValues("critical-task.tasks.flaky.restart.max-restarts=-1")
            .run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
                .contains("critical-task.tasks.flaky.restart.max-restarts"));
        this.contextRunner.withUserConfiguration(Flaky.class)
            .withPropertyValues("critical-task.tasks.flaky.restart.backoff.initial=2s",
                    "critical-task.tasks.flaky.restart.backoff.max=1s")
            .run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
                .contains("critical-task.tasks.flaky.restart.backoff.max"));
        this.contextRunner.withUserConfiguration(Silent.class)
            .withPropertyValues("critical-task.tasks.silent.heartbeat.timeout=0s")
            .run((context) -> assertThat(analyze(context.getStartupFailure()).getDescription())
                .contains("critical-task.tasks.silent.heartbeat.timeout"));
    }

    private static FailureAnalysis analyze(Throwable failure) {
        Throwable cause = failure;
        while (cause != null && !(cause instanceof InvalidCriticalTaskPropertyException)) {
            cause = cause.getCause();
        }
        assertThat(cause).as("an InvalidCriticalTaskPropertyException in %s", failure).isNotNull();
        return FailureAnalyses.ofInvalidProperty(failure);
    }

    /**
     * The stack logged with the line at {@code index}: the lines after it up to the next
     * log line.
     */
    private static List<String> stackAfter(List<String> lines, int index) {
        List<String> stack = new ArrayList<>();
        for (int line = index + 1; line < lines.size(); line++) {
            String text = lines.get(line);
            if (stack.isEmpty() && text.isBlank()) {
                // Boot's console pattern (%wEx) puts a blank line before the stack, once
                // an earlier test of this JVM has initialized Boot's logging system
                continue;
            }
            if (!stack.isEmpty() && !text.startsWith("\t") && !text.startsWith("Caused by: ")) {
                break;
            }
            stack.add(text);
        }
        return stack;
    }

    @Configuration(proxyBeanMethods = false)
    static class Flaky {

        @Bean
        CriticalTask flaky() {
            AtomicInteger runs = new AtomicInteger();
            return (token) -> {
                int run = runs.incrementAndGet();
                if (run < 3) {
                    throw new IOException("attempt " + run);
                }
                token.await();
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class AlwaysFails {

        final AtomicInteger runs = new AtomicInteger();

        @Bean
        CriticalTask doomed() {
            return (token) -> {
                throw new IOException("run " + this.runs.incrementAndGet());
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Definitions {

        @Bean
        CriticalTaskSpec leaseKeeper() {
            return CriticalTaskSpec.supervised("lease-keeper", (context) -> {
                while (!context.cancellation().await(Duration.ofMillis(50))) {
                    context.heartbeat();
                }
            })
                .withRestartPolicy(RestartPolicy.limited(3, Duration.ofMinutes(5))
                    .withBackoff(Duration.ofSeconds(1), Duration.ofSeconds(30)))
                .withHeartbeat(Duration.ofSeconds(30), StallAction.FAIL);
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Silent {

        @Bean
        SupervisedTask silent() {
            return (context) -> context.cancellation().await();
        }

    }

    static final class SupervisionEventsRecorder implements ApplicationListener<ApplicationEvent> {

        private final List<ApplicationEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof CriticalTaskRestartedEvent || event instanceof CriticalTaskStalledEvent) {
                this.events.add(event);
            }
        }

        <T> List<T> ofType(Class<T> type) {
            return this.events.stream().filter(type::isInstance).map(type::cast).toList();
        }

    }

}
