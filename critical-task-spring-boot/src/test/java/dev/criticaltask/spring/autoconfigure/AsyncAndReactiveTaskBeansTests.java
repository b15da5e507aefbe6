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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.criticaltask.AsyncCriticalTask;
import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.TaskState;
import dev.criticaltask.reactor.ReactiveCriticalTask;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.core.publisher.Sinks;
import reactor.test.publisher.PublisherProbe;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@link AsyncCriticalTask} and {@link ReactiveCriticalTask} beans on a real application
 * context: run under their bean names, their failure closing the context, their
 * completion shutting nothing down, the context's stop cancelling them, the per-task
 * properties applied to them, and the starter without Reactor.
 */
@Tag("spring")
class AsyncAndReactiveTaskBeansTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    /**
     * Owned by the test, not fetched from the context: a failure may close the context
     * before the test asks for a bean, and a closed context would make a new, empty one.
     */
    private final FailureEvents failureEvents = new FailureEvents();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(CriticalTaskAutoConfiguration.class, ReactiveCriticalTaskAutoConfiguration.class))
        .withPropertyValues("critical-task.shutdown.grace-period=2s")
        .withBean(FailureEvents.class, () -> this.failureEvents);

    // --- CompletionStage tasks
    // -----------------------------------------------------------------

    @Test
    void whenAStageFailsShouldCloseTheContextNamingTheTaskAndTheCause() {
        this.contextRunner.withUserConfiguration(StageTasks.class).run((context) -> {
            IOException cause = new IOException("broker gone");
            context.getBean(StageTasks.class).stage.completeExceptionally(cause);
            assertFailureClosed(context, "stage", cause);
        });
    }

    @Test
    void whenAStageCompletesShouldCompleteTheTaskAndShutNothingDown() {
        this.contextRunner.withUserConfiguration(StageTasks.class).run((context) -> {
            context.getBean(StageTasks.class).stage.complete("done");
            CriticalTaskHandle handle = context.getBean(CriticalTaskRegistry.class).find("stage").orElseThrow();
            await().atMost(TIMEOUT).until(() -> handle.state() == TaskState.COMPLETED);
            assertThat(context.getSourceApplicationContext().isActive()).isTrue();
            assertThat(context.getBean(CriticalTaskRegistry.class).firstFailure()).isEmpty();
        });
    }

    @Test
    void whenTheContextStopsShouldCancelTheStage() {
        this.contextRunner.withUserConfiguration(StageTasks.class).run((context) -> {
            CompletableFuture<Object> stage = context.getBean(StageTasks.class).stage;
            CriticalTaskHandle handle = context.getBean(CriticalTaskRegistry.class).find("stage").orElseThrow();
            context.getSourceApplicationContext().close();
            assertThat(stage).isCancelled();
            assertThat(handle.isFinished()).isTrue();
        });
    }

    @Test
    void whenTheContextStopCancelsAStageShouldEndTheTaskGracefully() {
        this.contextRunner.withUserConfiguration(StageTasks.class).run((context) -> {
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            CriticalTaskHandle handle = registry.find("stage").orElseThrow();
            context.getSourceApplicationContext().close();
            assertThat(handle.state()).isEqualTo(TaskState.CANCELLED);
            assertThat(registry.firstFailure()).isEmpty();
        });
    }

    @Test
    void whenStartThrowsShouldFailTheTask() {
        this.contextRunner.withBean("unstartable", AsyncCriticalTask.class, () -> (token) -> {
            throw new IOException("no route to broker");
        }).run((context) -> assertFailureClosed(context, "unstartable", IOException.class, "no route to broker"));
    }

    @Test
    void whenRestartPropertiesAreSetShouldApplyThemToAStageTask() {
        AtomicInteger starts = new AtomicInteger();
        CompletableFuture<Object> last = new CompletableFuture<>();
        this.contextRunner
            .withBean("flakyStage", AsyncCriticalTask.class,
                    () -> (token) -> (starts.incrementAndGet() < 3)
                            ? CompletableFuture.failedFuture(new IOException("attempt " + starts.get())) : last)
            .withPropertyValues("critical-task.tasks.flakyStage.restart.max-restarts=2",
                    "critical-task.tasks.flakyStage.restart.backoff.initial=1ms",
                    "critical-task.tasks.flakyStage.restart.backoff.max=1ms")
            .run((context) -> {
                CriticalTaskHandle handle = context.getBean(CriticalTaskRegistry.class)
                    .find("flakyStage")
                    .orElseThrow();
                await().atMost(TIMEOUT).until(() -> starts.get() == 3);
                assertThat(handle.restartCount()).isEqualTo(2);
                assertThat(handle.state()).isEqualTo(TaskState.RUNNING);
                assertThat(context.getSourceApplicationContext().isActive()).isTrue();
                last.complete(null);
                await().atMost(TIMEOUT).until(() -> handle.state() == TaskState.COMPLETED);
            });
    }

    @Test
    void whenAStageTaskIsGivenAHeartbeatShouldFailStartUpNamingItsKind() {
        this.contextRunner.withUserConfiguration(StageTasks.class)
            .withPropertyValues("critical-task.tasks.stage.heartbeat.timeout=1s")
            .run((context) -> {
                FailureAnalysis analysis = analyze(context);
                assertThat(analysis.getDescription()).contains("critical-task.tasks.stage.heartbeat.timeout")
                    .contains("'stage' is an AsyncCriticalTask")
                    .doesNotContain("plain CriticalTask");
                assertThat(analysis.getAction()).contains("asynchronous tasks have no heartbeat");
            });
    }

    // --- reactive tasks
    // ------------------------------------------------------------------------

    @Test
    void whenAPublisherSignalsAnErrorShouldCloseTheContextNamingTheTaskAndTheCause() {
        this.contextRunner.withUserConfiguration(ReactiveTasks.class).run((context) -> {
            IOException cause = new IOException("feed down");
            assertThat(context.getBean(ReactiveTasks.class).mono.tryEmitError(cause).isSuccess()).isTrue();
            assertFailureClosed(context, "monoTask", cause);
        });
    }

    @Test
    void whenAFluxCompletesShouldCompleteTheTaskAndShutNothingDown() {
        this.contextRunner.withUserConfiguration(ReactiveTasks.class).run((context) -> {
            ReactiveTasks tasks = context.getBean(ReactiveTasks.class);
            CriticalTaskHandle handle = context.getBean(CriticalTaskRegistry.class).find("fluxTask").orElseThrow();
            await().atMost(TIMEOUT).until(() -> tasks.flux.currentSubscriberCount() == 1);
            tasks.flux.tryEmitNext("ignored");
            tasks.flux.tryEmitComplete();
            await().atMost(TIMEOUT).until(() -> handle.state() == TaskState.COMPLETED);
            assertThat(context.getSourceApplicationContext().isActive()).isTrue();
            assertThat(context.getBean(CriticalTaskRegistry.class).firstFailure()).isEmpty();
        });
    }

    @Test
    void whenTheContextStopsShouldCancelTheSubscriptionsAndEndTheTasksGracefully() {
        this.contextRunner.withUserConfiguration(ReactiveTasks.class).run((context) -> {
            ReactiveTasks tasks = context.getBean(ReactiveTasks.class);
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            FailureEvents events = context.getBean(FailureEvents.class);
            await().atMost(TIMEOUT).until(() -> tasks.probe.wasSubscribed());
            context.getSourceApplicationContext().close();
            tasks.probe.assertWasCancelled();
            assertThat(registry.tasks()).extracting(CriticalTaskHandle::state).containsOnly(TaskState.CANCELLED);
            assertThat(registry.firstFailure()).isEmpty();
            assertThat(events.events).isEmpty();
        });
    }

    @Test
    void whenASiblingFailsShouldCancelAReactiveTasksSubscription() {
        CountDownLatch fail = new CountDownLatch(1);
        this.contextRunner.withUserConfiguration(ReactiveTasks.class)
            .withBean("failing", CriticalTask.class, () -> (token) -> {
                fail.await();
                throw new IllegalStateException("sibling");
            })
            .run((context) -> {
                ReactiveTasks tasks = context.getBean(ReactiveTasks.class);
                CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
                await().atMost(TIMEOUT).until(() -> tasks.probe.wasSubscribed());
                fail.countDown();
                await().atMost(TIMEOUT).until(() -> !context.getSourceApplicationContext().isActive());
                tasks.probe.assertWasCancelled();
                assertThat(registry.tasks()).filteredOn((handle) -> handle.description().equals("probeTask"))
                    .extracting(CriticalTaskHandle::state)
                    .containsExactly(TaskState.CANCELLED);
                assertThat(registry.firstFailure())
                    .hasValueSatisfying((failure) -> assertThat(failure.taskDescription()).isEqualTo("failing"));
            });
    }

    @Test
    void whenRestartPropertiesAreSetShouldSubscribeToAReactiveTaskAgain() {
        AtomicInteger runs = new AtomicInteger();
        PublisherProbe<Object> probe = PublisherProbe.of(Flux
            .defer(() -> (runs.get() < 3) ? Flux.error(new IOException("attempt " + runs.get())) : Flux.never()));
        this.contextRunner.withBean("flakyFlux", ReactiveCriticalTask.class, () -> (token) -> {
            runs.incrementAndGet();
            return probe.flux();
        })
            .withPropertyValues("critical-task.tasks.flakyFlux.restart.max-restarts=2",
                    "critical-task.tasks.flakyFlux.restart.backoff.initial=1ms",
                    "critical-task.tasks.flakyFlux.restart.backoff.max=1ms")
            .run((context) -> {
                CriticalTaskHandle handle = context.getBean(CriticalTaskRegistry.class).find("flakyFlux").orElseThrow();
                await().atMost(TIMEOUT).until(() -> probe.subscribeCount() == 3);
                assertThat(handle.restartCount()).isEqualTo(2);
                assertThat(handle.state()).isEqualTo(TaskState.RUNNING);
                assertThat(context.getSourceApplicationContext().isActive()).isTrue();
            });
    }

    @Test
    void whenAReactiveTaskIsGivenAHeartbeatShouldFailStartUpNamingItsKind() {
        this.contextRunner.withUserConfiguration(ReactiveTasks.class)
            .withPropertyValues("critical-task.tasks.fluxTask.heartbeat.timeout=1s")
            .run((context) -> assertThat(analyze(context).getDescription())
                .contains("critical-task.tasks.fluxTask.heartbeat.timeout")
                .contains("'fluxTask' is a ReactiveCriticalTask")
                .doesNotContain("plain CriticalTask"));
    }

    @Test
    void whenAPropertyNamesNoTaskShouldListTheReactiveAndAsyncTasks() {
        this.contextRunner.withUserConfiguration(ReactiveTasks.class, StageTasks.class)
            .withPropertyValues("critical-task.tasks.nope.restart.max-restarts=1")
            .run((context) -> assertThat(analyze(context).getAction())
                .contains("AsyncCriticalTask, ReactiveCriticalTask")
                .contains("stage")
                .contains("fluxTask"));
    }

    // --- without Reactor
    // ------------------------------------------------------------------------

    @Test
    void whenReactorIsMissingShouldStillRunTheOtherTasks() {
        this.contextRunner.withClassLoader(new FilteredClassLoader("reactor.", "org.reactivestreams."))
            .withUserConfiguration(StageTasks.class)
            .withBean("plain", CriticalTask.class, () -> (token) -> token.await())
            .run((context) -> {
                assertThat(context).hasNotFailed();
                CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
                assertThat(registry.tasks()).extracting(CriticalTaskHandle::description)
                    .containsExactlyInAnyOrder("stage", "plain");
                IOException cause = new IOException("still critical");
                context.getBean(StageTasks.class).stage.completeExceptionally(cause);
                assertFailureClosed(context, "stage", cause);
            });
    }

    @Test
    void whenReactorIsMissingShouldFailStartUpForAReactiveTaskBean() {
        this.contextRunner.withClassLoader(new FilteredClassLoader("reactor.", "org.reactivestreams."))
            .withBean("orphan", ReactiveCriticalTask.class, () -> (token) -> Mono.never())
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("[orphan]")
                    .hasMessageContaining("Reactor (io.projectreactor:reactor-core) is not on the classpath");
            });
    }

    // --- helpers
    // ---------------------------------------------------------------------------------

    private void assertFailureClosed(AssertableApplicationContext context, String task, Throwable cause) {
        CriticalTaskRegistry registry = assertFailureClosed(context, task, cause.getClass(), cause.getMessage());
        assertThat(registry.firstFailure().orElseThrow()).cause().isSameAs(cause);
    }

    /**
     * Waits for the failure to close the context, and checks what it left behind: the
     * registry is the failure event's source, as the context may be closed before it
     * could be asked for it.
     */
    private CriticalTaskRegistry assertFailureClosed(AssertableApplicationContext context, String task,
            Class<? extends Throwable> causeType, String causeMessage) {
        ConfigurableApplicationContext source = context.getSourceApplicationContext();
        await().atMost(TIMEOUT).until(() -> !source.isActive() && !this.failureEvents.events.isEmpty());
        CriticalTaskFailedEvent event = this.failureEvents.events.get(0);
        assertThat(this.failureEvents.events).singleElement().satisfies((only) -> {
            assertThat(only.getTaskName()).isEqualTo(task);
            assertThat(only.getCause()).isInstanceOf(causeType).hasMessage(causeMessage);
        });
        CriticalTaskRegistry registry = event.getSource();
        assertThat(registry.firstFailure()).hasValueSatisfying((failure) -> {
            assertThat(failure.taskDescription()).isEqualTo(task);
            assertThat(failure).hasMessageContaining("'" + task + "'")
                .cause()
                .isInstanceOf(causeType)
                .hasMessage(causeMessage);
        });
        assertThat(registry.rootToken().isCancelled()).isTrue();
        return registry;
    }

    private static FailureAnalysis analyze(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        return FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
    }

    @Configuration(proxyBeanMethods = false)
    static class StageTasks {

        final CompletableFuture<Object> stage = new CompletableFuture<>();

        @Bean
        AsyncCriticalTask stage() {
            return (token) -> this.stage;
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class ReactiveTasks {

        final Sinks.Empty<Void> mono = Sinks.empty();

        final Sinks.Many<String> flux = Sinks.many().multicast().directBestEffort();

        final PublisherProbe<Object> probe = PublisherProbe.of(Flux.never());

        @Bean
        ReactiveCriticalTask monoTask() {
            return (token) -> this.mono.asMono();
        }

        @Bean
        ReactiveCriticalTask fluxTask() {
            return (token) -> this.flux.asFlux();
        }

        @Bean
        ReactiveCriticalTask probeTask() {
            return (token) -> this.probe.flux();
        }

    }

    static final class FailureEvents implements ApplicationListener<CriticalTaskFailedEvent> {

        final List<CriticalTaskFailedEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(CriticalTaskFailedEvent event) {
            this.events.add(event);
        }

    }

}
