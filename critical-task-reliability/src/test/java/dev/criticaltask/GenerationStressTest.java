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

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.reliability.SeededRounds;
import dev.criticaltask.testsupport.SilentLogger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Seeded rounds of generations (issue #12): a registry runs its tasks, is
 * {@link CriticalTaskRegistry#pause(Duration) paused} and
 * {@link CriticalTaskRegistry#resume() resumed} two to five times, as a Spring context's
 * stop and start do, and is finally {@link CriticalTaskRegistry#stop(Duration) stopped},
 * as its close does. Failures race every step: tasks that throw a moment after their
 * generation starts (racing the pause), tasks that throw once cancelled (during a pause,
 * or during the final stop, which cancels the root without a reason: the interleaving of
 * issue #19, item 1), beside tasks that stop gracefully, by returning, by
 * {@code InterruptedException}, or only when interrupted after the grace period. The
 * driver starts no new generation once the root is cancelled, as the lifecycle refuses
 * to.
 *
 * <p>
 * After every round exactly one outcome holds: a shutdown (a task failed: the registry's
 * listeners heard each failure once, {@code firstFailure()} is the first of them, and the
 * root's reason is that failure unless the stop had already cancelled it), or a clean
 * stop (no task failed, nothing recorded). Never neither: a task that threw is FAILED and
 * was heard. After each pause every task of that generation has ended and its thread is
 * gone, and the next generation's spawns of the same names are accepted. A failing round
 * prints its seed; {@code -Dreliability.seed=N} replays it.
 */
@Tag("core")
class GenerationStressTest {

    static final long BASE_SEED = 0x6E4E_0000L;

    static final Duration THREAD_END = Duration.ofSeconds(5);

    /**
     * How long a straggler sleeps unless interrupted: far beyond the grace, so that it is
     * interrupted, and ends by itself when its thread started only after the interrupt.
     */
    static final Duration STRAGGLE = Duration.ofMillis(200);

    enum Kind {

        /** Waits for its token; returns when cancelled. */
        AWAIT,
        /** Throws {@code InterruptedException} once its token is cancelled. */
        INTERRUPTED_WHEN_CANCELLED,
        /**
         * Ignores its token; sleeps until interrupted after the grace period (or, when
         * its thread had not started by then, for {@link #STRAGGLE}).
         */
        STRAGGLER,
        /** Returns at once. */
        COMPLETE,
        /** Throws (checked or unchecked) a moment after its generation starts. */
        FAIL_RACING_STOP,
        /** Waits for its token, then throws an {@code IOException}. */
        FAIL_WHEN_CANCELLED;

        boolean fails() {
            return this == FAIL_RACING_STOP || this == FAIL_WHEN_CANCELLED;
        }

    }

    @Test
    void seededGenerationRounds() {
        Map<String, Integer> outcomes = SeededRounds.run("Generation stress", BASE_SEED, "reliability.generationRounds",
                400, (seed) -> new Round(seed).run());
        if (!SeededRounds.isReplay()) {
            // every outcome is reached, or the rounds test less than they claim
            assertThat(outcomes).containsKeys("clean stop", "shutdown while running or stopping",
                    "shutdown during the final stop (issue 19.1)");
        }
    }

    static final class Round {

        final long seed;

        final SplittableRandom random;

        final List<CriticalTaskFailedException> heard = new CopyOnWriteArrayList<>();

        final List<CriticalTaskHandle> failedHeard = new CopyOnWriteArrayList<>();

        /** The tasks that got as far as throwing their failure. */
        final java.util.Set<String> threw = ConcurrentHashMap.newKeySet();

        Round(long seed) {
            this.seed = seed;
            this.random = new SplittableRandom(seed);
        }

        String run() throws Exception {
            CriticalTaskRegistry registry = CriticalTaskRegistry.builder()
                .logger(new SilentLogger())
                .daemonThreads(true)
                .interruptWait(THREAD_END)
                .build();
            registry.addListener(new CriticalTaskListener() {
                @Override
                public void failed(CriticalTaskHandle task, CriticalTaskFailedException failure) {
                    Round.this.heard.add(failure);
                    Round.this.failedHeard.add(task);
                }
            });
            int width = 2 + this.random.nextInt(5);
            int generations = 2 + this.random.nextInt(4);
            Map<CriticalTaskHandle, Kind> all = new ConcurrentHashMap<>();
            boolean stopped = false;
            int failedBeforeFinalStop = -1;
            for (int generation = 0; generation < generations; generation++) {
                if (generation > 0) {
                    if (registry.rootToken().isCancelled()) {
                        // the lifecycle starts nothing after a failure
                        break;
                    }
                    registry.resume();
                }
                boolean last = generation == generations - 1;
                CountDownLatch go = new CountDownLatch(1);
                Map<CriticalTaskHandle, Kind> spawned = new ConcurrentHashMap<>();
                for (int i = 0; i < width; i++) {
                    Kind kind = draw(last);
                    String name = "gen-" + this.seed + "-" + i;
                    CriticalTaskHandle handle = registry.spawn(name, task(name, kind, go));
                    spawned.put(handle, kind);
                }
                all.putAll(spawned);
                go.countDown();
                spin(this.random.nextInt(300));
                Duration grace = Duration.ofNanos(this.random.nextLong(2_000_000));
                if (registry.rootToken().isCancelled() && failedBeforeFinalStop < 0) {
                    failedBeforeFinalStop = generation;
                }
                StopReport report;
                if (last) {
                    report = registry.stop(grace);
                    stopped = true;
                }
                else {
                    report = registry.pause(grace);
                }
                awaitStragglers(spawned, report);
                if (registry.rootToken().isCancelled() && failedBeforeFinalStop < 0 && !stopped) {
                    failedBeforeFinalStop = generation;
                }
                checkGenerationEnded(spawned);
            }
            if (!stopped) {
                registry.stop(Duration.ofMillis(1));
            }
            return checkOutcome(registry, all, failedBeforeFinalStop);
        }

        Kind draw(boolean last) {
            int roll = this.random.nextInt(100);
            if (last && roll < 12) {
                // the interleaving of issue 19.1: a failure after the stop cancelled the
                // root without a reason
                return Kind.FAIL_WHEN_CANCELLED;
            }
            if (roll < 30) {
                return Kind.AWAIT;
            }
            if (roll < 50) {
                return Kind.INTERRUPTED_WHEN_CANCELLED;
            }
            if (roll < 62) {
                return Kind.STRAGGLER;
            }
            if (roll < 74) {
                return Kind.COMPLETE;
            }
            if (roll < 80) {
                return Kind.FAIL_RACING_STOP;
            }
            if (roll < 84) {
                return Kind.FAIL_WHEN_CANCELLED;
            }
            return Kind.AWAIT;
        }

        CriticalTask task(String name, Kind kind, CountDownLatch go) {
            int delay = this.random.nextInt(400);
            boolean checked = this.random.nextBoolean();
            return (token) -> {
                go.await();
                switch (kind) {
                    case AWAIT -> token.await();
                    case INTERRUPTED_WHEN_CANCELLED -> {
                        token.await();
                        throw new InterruptedException("stopping");
                    }
                    case STRAGGLER -> Thread.sleep(STRAGGLE.toMillis());
                    case COMPLETE -> {
                    }
                    case FAIL_RACING_STOP -> {
                        spin(delay);
                        this.threw.add(name);
                        if (checked) {
                            throw new IOException("failed racing the stop");
                        }
                        throw new IllegalStateException("crashed racing the stop");
                    }
                    case FAIL_WHEN_CANCELLED -> {
                        token.await();
                        this.threw.add(name);
                        throw new IOException("failed while stopping");
                    }
                }
            };
        }

        /**
         * A task still running once its pause (or stop) returned is named in the report:
         * a straggler whose thread started only after the interrupt came. It ends by
         * itself.
         */
        void awaitStragglers(Map<CriticalTaskHandle, Kind> spawned, StopReport report) throws InterruptedException {
            for (Map.Entry<CriticalTaskHandle, Kind> entry : spawned.entrySet()) {
                CriticalTaskHandle task = entry.getKey();
                if (!task.isFinished()) {
                    check(entry.getValue() == Kind.STRAGGLER && report.unstopped()
                        .stream()
                        .anyMatch((unstopped) -> unstopped.name().equals(task.description())),
                            task.description() + " (" + entry.getValue() + ") outlived its stop unreported: " + report);
                    try {
                        task.join(THREAD_END);
                    }
                    catch (CriticalTaskFailedException unexpected) {
                        // checked with the others
                    }
                }
            }
        }

        /**
         * Every task of a generation has ended once its pause (or stop) returned, with
         * the stragglers it reported, and its thread is gone.
         */
        void checkGenerationEnded(Map<CriticalTaskHandle, Kind> spawned) throws InterruptedException {
            for (Map.Entry<CriticalTaskHandle, Kind> entry : spawned.entrySet()) {
                CriticalTaskHandle task = entry.getKey();
                check(task.isFinished(), task.description() + " (" + entry.getValue()
                        + ") is still running after its generation stopped: " + task.state());
                Kind kind = entry.getValue();
                TaskState state = task.state();
                if (this.threw.contains(task.description())) {
                    check(state == TaskState.FAILED, task.description() + " threw, but ended " + state);
                }
                else if (kind.fails()) {
                    // interrupted after the grace period before it got to throw
                    check(state == TaskState.CANCELLED,
                            task.description() + " (" + kind + ") was stopped before it threw, but ended " + state);
                }
                else {
                    check(state == TaskState.CANCELLED || (kind == Kind.COMPLETE && state == TaskState.COMPLETED),
                            task.description() + " (" + kind + ") stopped gracefully, but ended " + state);
                }
            }
            long deadline = System.nanoTime() + THREAD_END.toNanos();
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith(TaskThreads.THREAD_NAME_PREFIX + "gen-" + this.seed + "-")) {
                    thread.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
                    check(!thread.isAlive(), "thread " + thread.getName() + " of a stopped generation is left");
                }
            }
        }

        String checkOutcome(CriticalTaskRegistry registry, Map<CriticalTaskHandle, Kind> all,
                int failedBeforeFinalStop) {
            List<CriticalTaskHandle> failed = all.keySet()
                .stream()
                .filter((task) -> task.state() == TaskState.FAILED)
                .toList();
            Optional<CriticalTaskFailedException> first = registry.firstFailure();
            Optional<Throwable> reason = registry.rootToken().reason();
            check(registry.rootToken().isCancelled(), "the root outlived the final stop");
            // every failure heard exactly once, by the listener the lifecycle hands over
            // from
            check(this.failedHeard.size() == failed.size() && this.failedHeard.containsAll(failed),
                    "failed tasks " + names(failed) + " but the listeners heard " + names(this.failedHeard));
            if (failed.isEmpty()) {
                check(first.isEmpty(), "no task failed, yet firstFailure() is " + first);
                check(reason.isEmpty(), "no task failed, yet the root's reason is " + reason);
                return "clean stop";
            }
            check(first.isPresent(), "tasks " + names(failed) + " failed, yet firstFailure() is empty: lost");
            check(this.heard.contains(first.get())
                    || failed.stream().anyMatch((task) -> task.failure().orElseThrow() == first.get()),
                    "firstFailure() " + first.get() + " is none of the failures");
            if (reason.isPresent()) {
                check(reason.get() == first.get(),
                        "the root's reason " + reason.get() + " is not firstFailure() " + first.get());
            }
            if (failedBeforeFinalStop >= 0) {
                check(reason.isPresent(), "a failure before the final stop left the root without its reason");
                return "shutdown while running or stopping";
            }
            return reason.isPresent() ? "shutdown while running or stopping"
                    : "shutdown during the final stop (issue 19.1)";
        }

        void check(boolean condition, String message) {
            if (!condition) {
                throw new AssertionError("seed " + this.seed + ": " + message);
            }
        }

        static String names(List<CriticalTaskHandle> tasks) {
            return tasks.stream().map(CriticalTaskHandle::description).toList().toString();
        }

    }

    static void spin(int micros) {
        long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
    }

}
