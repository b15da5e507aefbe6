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

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 19, item 9: a heartbeat check belongs to one attempt. With a tight heartbeat
 * timeout and zero-backoff restarts, attempts end just as their check comes due, again
 * and again; a check that measured attempt N's silence must never fail attempt N + 1 for
 * it, neither as the cause of a restart nor as an escalated failure (a decision to
 * escalate N's stall, because N's thread has not come back, must not land after N came
 * back and N + 1 began).
 *
 * <p>
 * A stall of attempt {@code k} measures a silence since a heartbeat of attempt {@code k}
 * (or its start), which came after attempt {@code k - 1} gave up; so its
 * {@link TaskStalledException#silentFor()} is never longer than the time since then. A
 * longer one measured an earlier attempt.
 *
 * <p>
 * Each round runs {@link #TASKS} such tasks in one registry, so one supervision timer
 * races them all. A stall may escalate with budget left, by design, when the stalled
 * attempt's thread does not return within another timeout (common at this timeout on a
 * loaded machine): that ends the round, and the next one begins.
 */
@Tag("core")
class HeartbeatAttemptRaceTest {

    /** How long the rounds go on at most; the first misplaced stall ends them at once. */
    private static final Duration BUDGET = Duration.ofSeconds(3);

    private static final Duration TIMEOUT = Duration.ofNanos(500_000);

    private static final int TASKS = 16;

    /** Attempts at most per task and round: each writes its slot of the end times. */
    private static final int MAX_ATTEMPTS = 1 << 14;

    /** How much each attempt's silence moves towards the moment its check comes due. */
    private static final long STEP_NANOS = 2_000;

    /**
     * Zero backoff, and a budget that a few thousand restarts within a second never
     * spend.
     */
    private static final RestartPolicy POLICY = RestartPolicy.limited(100_000, Duration.ofSeconds(1))
        .withBackoff(Duration.ZERO, Duration.ZERO)
        .withJitter(0);

    @Test
    @Timeout(30)
    void aCheckForOneAttemptNeverFailsTheNext() throws Exception {
        List<String> misplaced = new CopyOnWriteArrayList<>();
        AtomicInteger restarts = new AtomicInteger();
        int rounds = 0;
        long started = System.nanoTime();
        while (misplaced.isEmpty() && System.nanoTime() - started < BUDGET.toNanos()) {
            new Round(misplaced, restarts).run(BUDGET.toNanos() - (System.nanoTime() - started));
            rounds++;
        }
        assertThat(misplaced)
            .as("stalls measured on an earlier attempt, in %d restarts over %d rounds of %d tasks", restarts.get(),
                    rounds, TASKS)
            .isEmpty();
    }

    /**
     * One registry of tasks racing their checks until the time is up, a stall escalates,
     * or one is misplaced.
     */
    private static final class Round {

        final List<String> misplaced;

        final AtomicInteger restarts;

        final Map<String, Racer> racers = new ConcurrentHashMap<>();

        final CountDownLatch over = new CountDownLatch(1);

        Round(List<String> misplaced, AtomicInteger restarts) {
            this.misplaced = misplaced;
            this.restarts = restarts;
        }

        void run(long nanos) throws Exception {
            CriticalTaskRegistry registry = CriticalTaskRegistry.builder().logger(new SilentLogger()).build();
            registry.addListener(new CriticalTaskListener() {
                @Override
                public void restarted(CriticalTaskHandle task, Throwable cause, Duration backoff) {
                    // on the task's thread, before the next attempt: attempt() is the one
                    // that failed
                    restarts.incrementAndGet();
                    check(task, cause, "restarted");
                }
            });
            try (registry) {
                // an escalation cancels the root on the thread that decided it: checked
                // there
                registry.rootToken().onCancel(() -> {
                    Throwable reason = registry.rootToken().reason().orElse(null);
                    if (reason instanceof CriticalTaskFailedException failure) {
                        registry.find(failure.taskDescription())
                            .ifPresent(task -> check(task, failure.getCause(), "cancelled the root"));
                    }
                    over.countDown();
                });
                for (int i = 0; i < TASKS; i++) {
                    Racer racer = new Racer();
                    racers.put("racer-" + i, racer);
                    registry.spawn(CriticalTaskSpec.supervised("racer-" + i, racer::attempt)
                        .withRestartPolicy(POLICY)
                        .withHeartbeat(TIMEOUT, StallAction.FAIL));
                }
                // the race runs on the tasks' and the supervision timer's threads
                over.await(nanos, TimeUnit.NANOSECONDS);
            }
        }

        /**
         * A stall that failed the task's current attempt measured no longer than the time
         * since that attempt began; {@code how}: what the stall did.
         */
        void check(CriticalTaskHandle task, Throwable cause, String how) {
            int attempt = task.attempt();
            if (!(cause instanceof TaskStalledException stall) || attempt < 1 || attempt > MAX_ATTEMPTS) {
                return;
            }
            long since = System.nanoTime() - racers.get(task.description()).endedAt.get(attempt - 1);
            if (stall.silentFor().toNanos() > since) {
                misplaced.add("a stall of " + stall.silentFor() + " " + how + " while " + task.description()
                        + "'s attempt " + attempt + " ran, which began at most " + Duration.ofNanos(since) + " before");
                over.countDown();
            }
        }

    }

    /**
     * One task's attempts: each is silent for about as long as its check takes to come
     * due.
     */
    private static final class Racer {

        /**
         * endedAt[k]: when attempt k gave up, just before it threw; endedAt[0]: before
         * the spawn.
         */
        final AtomicLongArray endedAt = new AtomicLongArray(MAX_ATTEMPTS + 1);

        /** How long the next attempt stays silent; only the task's thread uses it. */
        long silence = TIMEOUT.toNanos();

        Racer() {
            endedAt.set(0, System.nanoTime());
        }

        /**
         * A stall cuts the silence short, and the next attempt is silent a little less
         * long; otherwise a little longer.
         */
        void attempt(TaskContext context) throws InterruptedException {
            boolean stalled = context.cancellation().await(Duration.ofNanos(Math.max(1, silence)));
            silence += stalled ? -STEP_NANOS : STEP_NANOS;
            endedAt.set(Math.min(context.attempt(), MAX_ATTEMPTS), System.nanoTime());
            // a failure, and restarted; the same throw once a cancel came in between is a
            // graceful stop
            throw new InterruptedException("attempt " + context.attempt());
        }

    }

}
