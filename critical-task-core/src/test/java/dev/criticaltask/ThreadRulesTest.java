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

import dev.criticaltask.testsupport.SilentLogger;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 4: the thread rules that {@link CriticalTaskListener} states, one test
 * per kind of thread: the task's own, the supervision timer's, the one that completes an
 * asynchronous stage, and the one that stops the registry.
 */
@Tag("core")
class ThreadRulesTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    private static final RestartPolicy QUICK = RestartPolicy.limited(3, Duration.ofMinutes(1))
        .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5));

    private final CriticalTaskRegistry registry = CriticalTaskRegistry.builder().logger(new SilentLogger()).build();

    /** "event task" to the names of the threads that ran the callback (or predicate). */
    private final Map<String, Set<String>> threads = new ConcurrentHashMap<>();

    private final ExecutorService completer = Executors
        .newSingleThreadExecutor(runnable -> new Thread(runnable, "completer"));

    ThreadRulesTest() {
        registry.addListener(new CriticalTaskListener() {
            @Override
            public void started(CriticalTaskHandle task) {
                record("started", task);
            }

            @Override
            public void completed(CriticalTaskHandle task) {
                record("completed", task);
            }

            @Override
            public void cancelled(CriticalTaskHandle task) {
                record("cancelled", task);
            }

            @Override
            public void restarted(CriticalTaskHandle task, Throwable cause, Duration backoff) {
                record("restarted", task);
            }

            @Override
            public void stalled(CriticalTaskHandle task, Duration silentFor) {
                record("stalled", task);
            }

            @Override
            public void failed(CriticalTaskHandle task, CriticalTaskFailedException failure) {
                record("failed", task);
            }
        });
    }

    @AfterEach
    void stop() throws InterruptedException {
        registry.stop(LONG);
        completer.shutdownNow();
    }

    @Test
    void aBlockingTaskHearsEverythingButAStallOnItsOwnThread() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CriticalTaskHandle flaky = registry.spawn(CriticalTaskSpec.of("flaky", token -> {
            if (runs.incrementAndGet() == 1) {
                throw new IOException("first");
            }
        }).withRestartPolicy(QUICK.retryOn(thrown -> recordPredicate("flaky"))));
        flaky.join();
        CriticalTaskHandle broken = registry.spawn("broken", token -> {
            throw new IllegalStateException("broken");
        });
        assertThat(broken.completion().toCompletableFuture().handle((ok, failure) -> failure).get(10, TimeUnit.SECONDS))
            .hasCauseInstanceOf(CriticalTaskFailedException.class);

        assertThat(threads).containsEntry("started flaky", Set.of("critical-task-flaky"))
            .containsEntry("retryOn flaky", Set.of("critical-task-flaky"))
            .containsEntry("restarted flaky", Set.of("critical-task-flaky"))
            .containsEntry("completed flaky", Set.of("critical-task-flaky"))
            .containsEntry("started broken", Set.of("critical-task-broken"))
            .containsEntry("failed broken", Set.of("critical-task-broken"));
    }

    @Test
    void aStallIsHeardOnTheSupervisionTimerAndSoIsTheRestartPolicyAskedAboutIt() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        CriticalTaskHandle sleepy = registry.spawn(CriticalTaskSpec.supervised("sleepy", context -> {
            try {
                context.cancellation().await(); // silent until the stall cancels (and
                                                // interrupts) this attempt
            }
            finally {
                stalled.countDown();
            }
        })
            .withRestartPolicy(QUICK.retryOn(thrown -> recordPredicate("sleepy")))
            .withHeartbeat(Duration.ofMillis(200), StallAction.FAIL));
        assertThat(stalled.await(10, TimeUnit.SECONDS)).isTrue();
        org.awaitility.Awaitility.await().atMost(LONG).until(() -> sleepy.attempt() >= 2);

        assertThat(threads).containsEntry("stalled sleepy", Set.of(SupervisionTimer.THREAD_NAME))
            .containsEntry("retryOn sleepy", Set.of(SupervisionTimer.THREAD_NAME, "critical-task-sleepy"))
            .containsEntry("restarted sleepy", Set.of("critical-task-sleepy"));
    }

    @Test
    void anAsynchronousTaskEndsOnTheThreadThatCompletesItsStage() throws Exception {
        CompletableFuture<Void> first = new CompletableFuture<>();
        CompletableFuture<Void> second = new CompletableFuture<>();
        AtomicInteger starts = new AtomicInteger();
        CriticalTaskHandle consumer = registry.spawn(CriticalTaskSpec.async("consumer", token -> {
            put("start " + starts.incrementAndGet());
            return starts.get() == 1 ? first : second;
        }).withRestartPolicy(QUICK.retryOn(thrown -> recordPredicate("consumer"))));
        org.awaitility.Awaitility.await().atMost(LONG).until(() -> consumer.attempt() == 1);

        completer.execute(() -> first.completeExceptionally(new IOException("first")));
        org.awaitility.Awaitility.await().atMost(LONG).until(() -> consumer.attempt() == 2);
        completer.execute(() -> second.complete(null));
        assertThat(consumer.join(LONG)).isTrue();

        assertThat(threads).containsEntry("start 1", Set.of("critical-task-consumer"))
            .containsEntry("start 2", Set.of("critical-task-consumer"))
            .containsEntry("retryOn consumer", Set.of("completer"))
            .containsEntry("restarted consumer", Set.of("completer"))
            .containsEntry("completed consumer", Set.of("completer"));
    }

    @Test
    void anAsynchronousTaskWaitingOutABackoffEndsOnTheThreadThatStops() throws Exception {
        CountDownLatch restarting = new CountDownLatch(1);
        registry.addListener(new CriticalTaskListener() {
            @Override
            public void restarted(CriticalTaskHandle task, Throwable cause, Duration backoff) {
                restarting.countDown();
            }
        });
        registry
            .spawn(CriticalTaskSpec.async("patient", token -> CompletableFuture.failedFuture(new IOException("down")))
                .withRestartPolicy(RestartPolicy.limited(3, Duration.ofMinutes(1))
                    .withBackoff(Duration.ofMinutes(10), Duration.ofMinutes(10))));
        assertThat(restarting.await(10, TimeUnit.SECONDS)).isTrue();
        // the backoff is set up once the thread that ended the attempt (here the task's)
        // has let go
        org.awaitility.Awaitility.await()
            .atMost(LONG)
            .until(() -> Thread.getAllStackTraces()
                .keySet()
                .stream()
                .noneMatch(thread -> thread.getName().equals("critical-task-patient")));

        CompletableFuture<StopReport> stopped = Outcomes.stopOnAnotherThread(registry, LONG);

        assertThat(stopped.get(10, TimeUnit.SECONDS).isClean()).isTrue();
        assertThat(threads).containsEntry("cancelled patient", Set.of("stopper"));
    }

    private void record(String event, CriticalTaskHandle task) {
        put(event + " " + task.description());
    }

    private boolean recordPredicate(String task) {
        put("retryOn " + task);
        return true;
    }

    private void put(String key) {
        threads.computeIfAbsent(key, any -> ConcurrentHashMap.newKeySet()).add(Thread.currentThread().getName());
    }

}
