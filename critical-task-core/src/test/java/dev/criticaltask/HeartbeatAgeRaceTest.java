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
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 19, item 3: the heartbeat age that
 * {@link CriticalTaskHandle#sinceLastHeartbeat()} shows (what health and the endpoint
 * read) right after a start or a restart is bounded by the time since that attempt began;
 * it never falls back to an uninitialised or an earlier attempt's heartbeat.
 *
 * <p>
 * Several tasks restart with zero backoff, more of them than the machine has cores, so
 * that one is now and then preempted right between its new attempt's number and its first
 * heartbeat; one reader scans them all.
 */
@Tag("core")
class HeartbeatAgeRaceTest {

    /** How long the reader goes on at most; the first absurd age ends it at once. */
    private static final Duration BUDGET = Duration.ofSeconds(3);

    private static final int TASKS = 4;

    /**
     * Slots for the end times of recent attempts: attempt {@code k} writes slot
     * {@code k % RING}.
     */
    private static final int RING = 1 << 12;

    /** How long each attempt works without a heartbeat before it fails. */
    private static final long SILENT_NANOS = 5_000;

    /**
     * Zero backoff and a window so short that the budget never runs out: restart after
     * restart.
     */
    private static final RestartPolicy AGAIN = RestartPolicy.limited(1_000, Duration.ofMillis(1))
        .withBackoff(Duration.ZERO, Duration.ZERO)
        .withJitter(0);

    @Test
    @Timeout(30)
    void theHeartbeatAgeRightAfterAStartIsBoundedByTheTimeSinceTheAttemptBegan() throws Exception {
        List<String> absurd = new ArrayList<>();
        long reads = 0;
        List<CriticalTaskHandle> handles = new ArrayList<>();
        // endedAt[i][k % RING]: when task i's attempt k gave up, just before it threw, so
        // its attempt
        // k + 1 began later; slot 0 starts as the time before the spawn, which the first
        // attempt follows
        List<AtomicLongArray> endedAt = new ArrayList<>();
        try (CriticalTaskRegistry registry = CriticalTaskRegistry.builder().logger(new SilentLogger()).build()) {
            long started = System.nanoTime();
            for (int i = 0; i < TASKS; i++) {
                AtomicLongArray ends = new AtomicLongArray(RING);
                ends.set(0, System.nanoTime());
                endedAt.add(ends);
                handles.add(registry.spawn(restarting("restarting-" + i, ends)));
            }
            while (absurd.isEmpty() && System.nanoTime() - started < BUDGET.toNanos()) {
                for (int i = 0; i < TASKS && absurd.isEmpty(); i++) {
                    reads += read(handles.get(i), endedAt.get(i), absurd);
                }
            }
            // (an attempt that threw just as the cancel came down the tree may end
            // FAILED: a failure
            // during shutdown, which is not what this test is about)
            for (CriticalTaskHandle handle : handles) {
                handle.cancel();
                handle.completion().toCompletableFuture().handle((done, failure) -> null).get(10, TimeUnit.SECONDS);
            }
        }
        long attempts = handles.stream().mapToLong(CriticalTaskHandle::attempt).sum();
        assertThat(absurd)
            .as("heartbeat ages beyond the time since the attempt began, in %d reads over %d attempts", reads, attempts)
            .isEmpty();
        assertThat(reads).isPositive();
    }

    private static CriticalTaskSpec restarting(String name, AtomicLongArray endedAt) {
        return CriticalTaskSpec.supervised(name, context -> {
            long until = System.nanoTime() + SILENT_NANOS;
            while (System.nanoTime() - until < 0 && !context.cancellation().isCancelled()) {
                Thread.onSpinWait(); // works without a heartbeat
            }
            if (context.cancellation().isCancelled()) {
                return;
            }
            endedAt.set(context.attempt() % RING, System.nanoTime());
            // a failure, and restarted; the same throw once a cancel came in between is a
            // graceful stop
            throw new InterruptedException("attempt " + context.attempt());
        }).withRestartPolicy(AGAIN).withHeartbeat(Duration.ofMinutes(1), StallAction.REPORT);
    }

    /**
     * Reads one handle's attempt and age; returns 1 when the age could be checked against
     * its attempt.
     */
    private static int read(CriticalTaskHandle handle, AtomicLongArray endedAt, List<String> absurd) {
        int attempt = handle.attempt();
        Optional<Duration> age = handle.sinceLastHeartbeat();
        long now = System.nanoTime();
        if (attempt == 0 || age.isEmpty() || handle.attempt() != attempt) {
            return 0; // not started yet, or the age may belong to a later attempt
        }
        long began = endedAt.get((attempt - 1) % RING);
        if (handle.attempt() - attempt >= RING - 1) {
            return 0; // the slot was written again meanwhile
        }
        if (age.get().toNanos() > now - began) {
            absurd.add(handle.description() + "'s attempt " + attempt + " showed a heartbeat age of " + age.get()
                    + ", though it began at most " + Duration.ofNanos(now - began) + " before");
        }
        return 1;
    }

}
