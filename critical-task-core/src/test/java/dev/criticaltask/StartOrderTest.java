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

package dev.criticaltask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.criticaltask.testsupport.SilentLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Readiness and start order (issue 15): a task starts after those it depends on are
 * ready, stops before them, and bad graphs are refused naming the tasks.
 */
@Tag("core")
@Timeout(30)
class StartOrderTest {

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final CriticalTaskRegistry registry = CriticalTaskRegistry.builder().logger(new SilentLogger()).build();

    @AfterEach
    void stop() throws InterruptedException {
        registry.stop(Duration.ofSeconds(10));
    }

    @Test
    void aDependentStartsOnlyOnceWhatItDependsOnSaysItIsReady() throws Exception {
        CountDownLatch warm = new CountDownLatch(1);
        CriticalTaskSpec cache = CriticalTaskSpec.supervised("cache", context -> {
            events.add("cache started");
            warm.await();
            events.add("cache ready");
            context.ready();
            context.cancellation().await();
        }).withAwaitReady(true);
        CriticalTaskSpec orders = CriticalTaskSpec.of("orders", token -> {
            events.add("orders started");
            token.await();
        }).withDependsOn("cache");

        List<CriticalTaskHandle> handles = registry.spawnAll(List.of(orders, cache));

        await().until(() -> events.contains("cache started"));
        CriticalTaskHandle waiting = handles.get(0);
        assertThat(waiting.state()).isEqualTo(TaskState.RUNNING);
        assertThat(waiting.startedAt()).as("waiting for 'cache', not started").isEmpty();
        assertThat(handles.get(1).isReady()).isFalse();
        assertThat(handles.get(1).readyAt()).isEmpty();
        assertThat(events).containsExactly("cache started");

        warm.countDown();
        await().until(() -> events.contains("orders started"));
        assertThat(events).containsExactly("cache started", "cache ready", "orders started");
        assertThat(handles.get(1).isReady()).isTrue();
        assertThat(handles.get(1).readyAt()).isPresent();
        await().until(waiting::isReady);
    }

    @Test
    void aTaskThatDoesNotAwaitItsReadySignalIsReadyWhenItStartsAndReadyDoesNothing() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicInteger heard = new AtomicInteger();
        registry.addListener(new CriticalTaskListener() {
            @Override
            public void ready(CriticalTaskHandle task) {
                heard.incrementAndGet();
            }
        });
        CriticalTaskHandle plain = registry.spawn("plain", token -> {
            running.countDown();
            token.await();
        });
        CriticalTaskHandle supervised = registry.spawn(CriticalTaskSpec.supervised("supervised", context -> {
            context.ready(); // harmless: it was ready when it began
            context.ready();
            context.cancellation().await();
        }));
        running.await();
        await().until(() -> plain.isReady() && supervised.isReady());
        await().until(() -> heard.get() == 2);
        assertThat(plain.snapshot().readyAt()).isPresent();
        plain.cancel();
        plain.join();
        assertThat(plain.isReady()).as("finished is not ready").isFalse();
        assertThat(heard).hasValue(2);
    }

    @Test
    void aPlainDependencyIsReadyOnceItHasBegun() throws Exception {
        // 'first' can only begin once 'cache' says it is ready, so whether 'second' waits
        // for first's beginning, not merely for its spawn, shows. What 'second' sees as
        // its body runs is asserted, not the order of the bodies: 'first' is ready as its
        // attempt begins, so its own body may well run after the dependent's.
        CountDownLatch warm = new CountDownLatch(1);
        CriticalTaskSpec cache = CriticalTaskSpec.supervised("cache", context -> {
            warm.await();
            context.ready();
            context.cancellation().await();
        }).withAwaitReady(true);
        CriticalTaskSpec first = CriticalTaskSpec.of("first", CancellationToken::await).withDependsOn("cache");
        CriticalTaskSpec second = CriticalTaskSpec.of("second", token -> {
            CriticalTaskHandle dependency = registry.find("first").orElseThrow();
            events.add("first ready=" + dependency.isReady() + " begun=" + dependency.startedAt().isPresent());
            token.await();
        }).withDependsOn("first");

        List<CriticalTaskHandle> handles = registry.spawnAll(List.of(second, first, cache));

        await().until(() -> handles.get(2).startedAt().isPresent());
        assertThat(handles.get(1).startedAt()).as("'first' waits for 'cache'").isEmpty();
        assertThat(handles.get(0).startedAt()).as("'second' waits for 'first' to begin").isEmpty();
        warm.countDown();
        await().until(() -> events.size() == 1);
        assertThat(events).containsExactly("first ready=true begun=true");
    }

    @Test
    void anAsynchronousTaskSaysItIsReadyThroughItsContext() throws Exception {
        CompletableFuture<Void> connected = new CompletableFuture<>();
        CriticalTaskSpec feed = CriticalTaskSpec.supervisedAsync("feed", context -> {
            CompletableFuture<Void> work = new CompletableFuture<>();
            connected.thenRun(context::ready);
            return work;
        }).withAwaitReady(true);
        CriticalTaskSpec consumer = CriticalTaskSpec.of("consumer", token -> {
            events.add("consumer");
            token.await();
        }).withDependsOn("feed");
        List<CriticalTaskHandle> handles = registry.spawnAll(List.of(feed, consumer));
        await().until(() -> handles.get(0).startedAt().isPresent());
        assertThat(handles.get(1).startedAt()).isEmpty();

        new Thread(() -> connected.complete(null)).start();
        await().until(() -> events.contains("consumer"));
        assertThat(handles.get(0).isReady()).isTrue();
    }

    @Test
    void aStopEndsDependentsBeforeWhatTheyDependOn() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(3);
        CriticalTaskSpec database = CriticalTaskSpec.of("database", token -> {
            bothRunning.countDown();
            token.await();
            events.add("database stopped");
        });
        CriticalTaskSpec cache = CriticalTaskSpec.of("cache", token -> {
            bothRunning.countDown();
            token.await();
            events.add("cache stopped");
        }).withDependsOn("database");
        CriticalTaskSpec web = CriticalTaskSpec.of("web", token -> {
            bothRunning.countDown();
            token.await();
            events.add("web stopped");
        }).withDependsOn("cache", "database");
        registry.spawnAll(List.of(database, web, cache));
        bothRunning.await();

        StopReport report = registry.stop(Duration.ofSeconds(5));

        assertThat(report.isClean()).isTrue();
        assertThat(events).containsExactly("web stopped", "cache stopped", "database stopped");
    }

    @Test
    void aPauseEndsDependentsBeforeWhatTheyDependOnToo() throws Exception {
        CountDownLatch running = new CountDownLatch(2);
        registry.spawnAll(List.of(CriticalTaskSpec.of("database", token -> {
            running.countDown();
            token.await();
            events.add("database stopped");
        }), CriticalTaskSpec.of("web", token -> {
            running.countDown();
            token.await();
            events.add("web stopped");
        }).withDependsOn("database")));
        running.await();

        assertThat(registry.pause(Duration.ofSeconds(5)).isClean()).isTrue();

        assertThat(events).containsExactly("web stopped", "database stopped");
        assertThat(registry.rootToken().isCancelled()).isFalse();
    }

    @Test
    void aDecoratedTaskStillSaysItIsReadyThroughItsContext() throws Exception {
        AtomicInteger wrapped = new AtomicInteger();
        CompletableFuture<Void> work = new CompletableFuture<>();
        CriticalTaskSpec feed = CriticalTaskSpec.supervisedAsync("feed", context -> {
            context.ready();
            return work;
        }).withAwaitReady(true).withDecoratedTask(task -> task, task -> token -> {
            wrapped.incrementAndGet();
            return task.start(token);
        });
        CriticalTaskSpec blocking = CriticalTaskSpec.supervised("blocking", context -> {
            context.ready();
            context.cancellation().await();
        }).withAwaitReady(true).withDecoratedTask(task -> context -> {
            wrapped.incrementAndGet();
            task.run(context);
        }, task -> task);
        assertThat(feed.awaitsReady()).isTrue();
        assertThat(blocking.canSignalReady()).isTrue();
        List<CriticalTaskHandle> handles = registry.spawnAll(List.of(feed, blocking));
        await().until(() -> handles.stream().allMatch(CriticalTaskHandle::isReady));
        assertThat(wrapped).hasValue(2);
    }

    @Test
    void aStopWhileATaskWaitsForItsDependencyEndsItWithoutEverStartingIt() throws Exception {
        CountDownLatch started = new CountDownLatch(1);
        CriticalTaskSpec never = CriticalTaskSpec.supervised("never-ready", context -> {
            started.countDown();
            context.cancellation().await();
        }).withAwaitReady(true);
        AtomicInteger ran = new AtomicInteger();
        CriticalTaskSpec dependent = CriticalTaskSpec.of("dependent", token -> ran.incrementAndGet())
            .withDependsOn("never-ready");
        List<CriticalTaskHandle> handles = registry.spawnAll(List.of(never, dependent));
        started.await();

        long before = System.nanoTime();
        StopReport report = registry.stop(Duration.ofSeconds(20));

        assertThat(report.isClean()).isTrue();
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(5));
        assertThat(handles.get(1).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(handles.get(1).startedAt()).as("it never began").isEmpty();
        assertThat(ran).hasValue(0);
    }

    @Test
    void aCycleIsRefusedNamingItsTasksAndNothingIsSpawned() {
        CriticalTask idle = CancellationToken::await;
        assertThatIllegalArgumentException()
            .isThrownBy(() -> registry.spawnAll(List.of(CriticalTaskSpec.of("a", idle).withDependsOn("b"),
                    CriticalTaskSpec.of("b", idle).withDependsOn("c"),
                    CriticalTaskSpec.of("c", idle).withDependsOn("a"), CriticalTaskSpec.of("free", idle))))
            .withMessage("Critical tasks depend on each other in a cycle: a -> b -> c -> a");
        assertThat(registry.tasks()).isEmpty();
    }

    @Test
    void anUnknownDependencyIsRefusedNamingBothTasksAndNothingIsSpawned() {
        CriticalTask idle = CancellationToken::await;
        assertThatIllegalArgumentException()
            .isThrownBy(() -> registry.spawnAll(List.of(CriticalTaskSpec.of("orders", idle).withDependsOn("prices"),
                    CriticalTaskSpec.of("prizes", idle))))
            .withMessage("Critical tasks depend on tasks that do not exist: 'orders' depends on 'prices' "
                    + "(known: 'orders', 'prizes')");
        assertThat(registry.tasks()).isEmpty();
        assertThatIllegalArgumentException()
            .isThrownBy(() -> registry.spawn(CriticalTaskSpec.of("late", idle).withDependsOn("nobody")))
            .withMessageContaining("'late' depends on 'nobody'");
        assertThat(registry.tasks()).isEmpty();
    }

    @Test
    void aSpecRefusesReadinessItCannotHaveAndASelfDependency() {
        CriticalTask idle = CancellationToken::await;
        assertThatIllegalStateException().isThrownBy(() -> CriticalTaskSpec.of("plain", idle).withAwaitReady(true))
            .withMessageContaining("'plain' is a plain CriticalTask, which cannot say it is ready");
        assertThatIllegalStateException()
            .isThrownBy(() -> CriticalTaskSpec.async("async", token -> new CompletableFuture<>()).withAwaitReady(true))
            .withMessageContaining("an AsyncCriticalTask");
        assertThatIllegalStateException().isThrownBy(() -> CriticalTaskSpec.supervised("s", context -> {
        }).withStartupTimeout(Duration.ofSeconds(1))).withMessageContaining("does not await its ready signal");
        assertThatIllegalArgumentException().isThrownBy(() -> CriticalTaskSpec.of("self", idle).withDependsOn("self"))
            .withMessage("Critical task 'self' cannot depend on itself");
        assertThatIllegalArgumentException().isThrownBy(() -> CriticalTaskSpec.supervised("s", context -> {
        }).withAwaitReady(true).withStartupTimeout(Duration.ZERO)).withMessageContaining("must be positive");
    }

    @Test
    void aDependencyThatCompletedCountsAsReady() throws Exception {
        CriticalTaskHandle migration = registry.spawn("migration", token -> events.add("migrated"));
        migration.join();
        CriticalTaskHandle app = registry.spawn(CriticalTaskSpec.of("app", token -> {
            events.add("app");
            token.await();
        }).withDependsOn("migration"));
        await().atMost(10, TimeUnit.SECONDS).until(() -> events.contains("app"));
        assertThat(app.dependsOn()).containsExactly("migration");
    }

}
