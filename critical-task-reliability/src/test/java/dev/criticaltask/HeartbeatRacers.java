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

import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Issue 19, item 9, in a seeded round: tasks with a heartbeat timeout of 0.5 to 2 ms and
 * zero-backoff restarts, in a registry of their own (a stall may escalate with budget
 * left, by design, when the stalled attempt's thread does not come back within another
 * timeout; that must not touch the round's own registry). Each attempt stays silent about
 * as long as its check takes to come due, then fails. A stall of attempt {@code k}
 * measures a silence since attempt {@code k} began, after attempt {@code k - 1} gave up:
 * a longer one, as a restart's cause or an escalated failure, was measured on an earlier
 * attempt.
 */
final class HeartbeatRacers {

    /**
     * Racers in a round that has them: they share one supervision timer, which the race
     * needs busy.
     */
    private static final int RACERS = 8;

    private static final int ATTEMPTS = 1 << 12;

    private static final RestartPolicy POLICY = RestartPolicy.limited(100_000, Duration.ofSeconds(1))
        .withBackoff(Duration.ZERO, Duration.ZERO)
        .withJitter(0);

    private final String round;

    private final Duration timeout;

    private final List<String> problems;

    private final RaceInterleavings.Counts counts;

    private final Racer[] racers = new Racer[RACERS];

    private CriticalTaskRegistry registry;

    HeartbeatRacers(String round, Duration timeout, List<String> problems, RaceInterleavings.Counts counts) {
        this.round = round;
        this.timeout = timeout;
        this.problems = problems;
        this.counts = counts;
    }

    void start(boolean virtual) {
        counts.racerRounds.incrementAndGet();
        registry = CriticalTaskRegistry.builder()
            .virtualThreads(virtual)
            .logger(new SeededStressTest.CountingLogger())
            .build();
        registry.addListener(new CriticalTaskListener() {
            @Override
            public void restarted(CriticalTaskHandle task, Throwable cause, Duration backoff) {
                counts.racerRestarts.incrementAndGet();
                if (cause instanceof TaskStalledException) {
                    counts.racerStalls.incrementAndGet();
                }
                check(task, cause, "restarted");
            }

            @Override
            public void failed(CriticalTaskHandle task, CriticalTaskFailedException failure) {
                if (failure.getCause() instanceof TaskStalledException) {
                    counts.racerEscalations.incrementAndGet();
                }
                check(task, failure.getCause(), "escalated");
            }
        });
        for (int i = 0; i < RACERS; i++) {
            racers[i] = new Racer();
            registry.spawn(CriticalTaskSpec.supervised(round + "-racer-" + i, racers[i]::attempt)
                .withRestartPolicy(POLICY)
                .withHeartbeat(timeout, StallAction.FAIL));
        }
    }

    /**
     * Stops the racers; each ends, cancelled, or failed by a stall or by a throw once
     * stopping.
     */
    void stop() throws InterruptedException {
        registry.stop(Duration.ofSeconds(1));
        for (CriticalTaskHandle racer : registry.tasks()) {
            try {
                racer.join(Duration.ofSeconds(10));
            }
            catch (CriticalTaskFailedException stalledOrStopping) {
                // checked by the listener
            }
            if (!racer.isFinished()) {
                problems.add("the heartbeat racer " + racer + " did not end");
            }
        }
    }

    /**
     * The stall that failed the task's current attempt measured no longer than that
     * attempt had run.
     */
    private void check(CriticalTaskHandle task, Throwable cause, String how) {
        int attempt = task.attempt();
        if (cause instanceof TaskStalledException stall && attempt >= 1 && attempt <= ATTEMPTS) {
            String name = task.description();
            long since = System.nanoTime()
                    - racers[Integer.parseInt(name.substring(name.lastIndexOf('-') + 1))].endedAt.get(attempt - 1);
            if (stall.silentFor().toNanos() > since) {
                problems.add("a stall of " + stall.silentFor() + " " + how + " while " + name + "'s attempt " + attempt
                        + " ran, which began at most " + Duration.ofNanos(since) + " before");
            }
        }
    }

    /** One racer's attempts: silent less long after a stall, longer otherwise. */
    private final class Racer {

        /**
         * endedAt[k]: when attempt k gave up, just before it threw; endedAt[0]: before
         * the spawn.
         */
        final AtomicLongArray endedAt = new AtomicLongArray(ATTEMPTS + 1);

        /** Only the racer's thread uses it. */
        long silence = timeout.toNanos();

        Racer() {
            endedAt.set(0, System.nanoTime());
        }

        void attempt(TaskContext context) throws InterruptedException {
            boolean stalled = context.cancellation().await(Duration.ofNanos(Math.max(1, silence)));
            silence += stalled ? -2_000 : 2_000;
            endedAt.set(Math.min(context.attempt(), ATTEMPTS), System.nanoTime());
            // a failure, and restarted; the same throw once a cancel came in between is a
            // graceful stop
            throw new InterruptedException("attempt " + context.attempt());
        }

    }

}
