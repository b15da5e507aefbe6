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
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.criticaltask.testsupport.SilentLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Asynchronous tasks whose stages end on other threads while restarts, failures and a
 * stop race with them: every task must reach exactly the terminal state its script
 * allows, no restart may exceed its budget or follow the cancel, the root's reason must
 * be the recorded first failure, and nothing may stay linked or running. Each round's
 * scripts are seeded, so a failing seed can be replayed on its own.
 */
@Tag("core")
class AsyncTaskStressTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    private final ScheduledExecutorService completers = Executors.newScheduledThreadPool(4, runnable -> {
        Thread thread = new Thread(runnable, "stage-completer");
        thread.setDaemon(true);
        return thread;
    });

    @AfterEach
    void stopCompleters() {
        completers.shutdownNow();
    }

    static long[] seeds() {
        long[] seeds = new long[20];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = 0xA5C0L + i;
        }
        return seeds;
    }

    enum Script {

        /** Never ends by itself: only the token's cancel ends it. */
        ENDLESS,
        /** Completes normally after a while. */
        COMPLETES,
        /**
         * Fails every attempt after a while, so it escalates once its budget is spent.
         */
        FAILS,
        /** Fails its first attempts, then never ends by itself. */
        RECOVERS

    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void everyTaskEndsAsItsScriptAllows(long seed) throws Exception {
        // SplittableRandom: java.util.Random gives nearly the same first draws for
        // neighbouring seeds
        SplittableRandom random = new SplittableRandom(seed);
        int count = 50 + random.nextInt(150);
        // on Java 21+ every other round starts and restarts its tasks on virtual threads
        boolean virtual = random.nextBoolean() && CriticalTaskRegistry.virtualThreadsAvailable();
        CriticalTaskRegistry registry = CriticalTaskRegistry.builder()
            .daemonThreads(true)
            .virtualThreads(virtual)
            .logger(new SilentLogger())
            .build();
        List<Script> scripts = new ArrayList<>(count);
        List<AtomicInteger> starts = new ArrayList<>(count);
        List<Integer> budgets = new ArrayList<>(count);
        List<CriticalTaskHandle> handles = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            Script script = Script.values()[random.nextInt(Script.values().length)];
            int budget = random.nextInt(3);
            long delayMicros = random.nextInt(2_000);
            AtomicInteger started = new AtomicInteger();
            scripts.add(script);
            starts.add(started);
            budgets.add(budget);
            CriticalTaskSpec spec = CriticalTaskSpec.async("task-" + i, token -> {
                int attempt = started.incrementAndGet();
                CompletableFuture<Void> stage = new CompletableFuture<>();
                switch (script) {
                    case ENDLESS -> {
                    }
                    case COMPLETES ->
                        completers.schedule(() -> stage.complete(null), delayMicros, TimeUnit.MICROSECONDS);
                    case FAILS ->
                        completers.schedule(() -> stage.completeExceptionally(new IOException("attempt " + attempt)),
                                delayMicros, TimeUnit.MICROSECONDS);
                    case RECOVERS -> {
                        if (attempt <= budget) {
                            completers.schedule(
                                    () -> stage.completeExceptionally(new IOException("attempt " + attempt)),
                                    delayMicros, TimeUnit.MICROSECONDS);
                        }
                    }
                }
                return stage;
            });
            if (budget > 0) {
                spec = spec.withRestartPolicy(RestartPolicy.limited(budget, Duration.ofMinutes(1))
                    .withBackoff(Duration.ofNanos(1 + random.nextInt(500_000)), Duration.ofMillis(1)));
            }
            handles.add(registry.spawn(spec));
        }
        boolean stopEarly = random.nextBoolean();
        if (stopEarly) {
            Thread.onSpinWait();
        }
        else if (scripts.contains(Script.FAILS)) {
            await().atMost(LONG).until(() -> registry.rootToken().isCancelled());
        }

        assertThat(registry.stop(LONG).isClean()).as("seed %d: every task stopped", seed).isTrue();

        CriticalTaskFailedException first = registry.firstFailure().orElse(null);
        for (int i = 0; i < count; i++) {
            CriticalTaskHandle handle = handles.get(i);
            TaskState state = handle.state();
            Script script = scripts.get(i);
            boolean spentBudget = starts.get(i).get() == budgets.get(i) + 1;
            String what = "seed " + seed + ": " + handle + " " + script + " budget " + budgets.get(i);
            assertThat(handle.isFinished()).as(what).isTrue();
            assertThat(starts.get(i).get()).as(what)
                .isLessThanOrEqualTo(budgets.get(i) + 1)
                .isEqualTo(handle.attempt());
            switch (script) {
                case ENDLESS -> assertThat(state).as(what).isEqualTo(TaskState.CANCELLED);
                case COMPLETES -> assertThat(state).as(what).isIn(TaskState.COMPLETED, TaskState.CANCELLED);
                case FAILS, RECOVERS -> assertThat(state).as(what).isIn(TaskState.FAILED, TaskState.CANCELLED);
            }
            if (state == TaskState.FAILED && !spentBudget) {
                // no restart once the root is cancelled: a failure then is final, but it
                // came after
                // the cancel, so it cannot be what cancelled the root unless the stop did
                assertThat(stopEarly || handle.failure().orElseThrow() != first).as(what).isTrue();
            }
        }
        boolean anyFailed = handles.stream().anyMatch(handle -> handle.state() == TaskState.FAILED);
        assertThat(first != null).as("seed %d", seed).isEqualTo(anyFailed);
        if (first != null) {
            if (stopEarly) {
                // the stop may have cancelled the root, without a reason, before the
                // first failure
                registry.rootToken().reason().ifPresent(reason -> assertThat(reason).isSameAs(first));
            }
            else {
                assertThat(registry.rootToken().reason()).containsSame(first);
            }
            CriticalTaskHandle culprit = handles.stream()
                .filter(handle -> handle.failure().orElse(null) == first)
                .findFirst()
                .orElseThrow();
            int index = handles.indexOf(culprit);
            if (!stopEarly) {
                // the root was cancelled by a failure, and only a spent budget escalates
                assertThat(scripts.get(index)).as("seed %d: %s", seed, culprit).isEqualTo(Script.FAILS);
                assertThat(starts.get(index)).as("seed %d: %s", seed, culprit).hasValue(budgets.get(index) + 1);
            }
        }
        assertThat(registry.rootToken().linkedCount()).as("seed %d: nothing stays linked", seed).isZero();
        await().atMost(LONG)
            .until(() -> Thread.getAllStackTraces()
                .keySet()
                .stream()
                .noneMatch(thread -> thread.getName().startsWith("critical-task-task-") && thread.isAlive()));
    }

}
