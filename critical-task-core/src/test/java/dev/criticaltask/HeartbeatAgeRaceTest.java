package dev.criticaltask;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLongArray;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 19, item 3: the heartbeat age that {@link CriticalTaskHandle#sinceLastHeartbeat()} shows
 * (what health and the endpoint read) right after a start or a restart is bounded by the time since
 * that attempt began; it never falls back to an uninitialised or an earlier attempt's heartbeat.
 */
class HeartbeatAgeRaceTest {

    /** How long the reader goes on at most; the first absurd age ends it at once. */
    private static final Duration BUDGET = Duration.ofSeconds(3);

    /** Slots for the end times of recent attempts: attempt {@code k} writes slot {@code k % RING}. */
    private static final int RING = 1 << 12;

    /** How long each attempt works without a heartbeat before it fails. */
    private static final long SILENT_NANOS = 5_000;

    @Test
    @Timeout(30)
    void theHeartbeatAgeRightAfterAStartIsBoundedByTheTimeSinceTheAttemptBegan() throws Exception {
        // endedAt[k % RING]: when attempt k gave up, just before it threw, so attempt k + 1 began
        // later; slot 0 starts as the time before the spawn, which the first attempt follows
        AtomicLongArray endedAt = new AtomicLongArray(RING);
        // zero backoff and a window so short that the budget never runs out: restart after restart
        RestartPolicy again = RestartPolicy.limited(1_000, Duration.ofMillis(1))
            .withBackoff(Duration.ZERO, Duration.ZERO)
            .withJitter(0);
        CriticalTaskSpec spec = CriticalTaskSpec.supervised("restarting", context -> {
            long until = System.nanoTime() + SILENT_NANOS;
            while (System.nanoTime() - until < 0 && !context.cancellation().isCancelled()) {
                Thread.onSpinWait(); // works without a heartbeat
            }
            if (context.cancellation().isCancelled()) {
                return;
            }
            endedAt.set(context.attempt() % RING, System.nanoTime());
            // a failure, and restarted; the same throw once a cancel came in between is a graceful stop
            throw new InterruptedException("attempt " + context.attempt());
        }).withRestartPolicy(again).withHeartbeat(Duration.ofMinutes(1), StallAction.REPORT);
        List<String> absurd = new ArrayList<>();
        long reads = 0;
        CriticalTaskHandle handle;
        try (CriticalTaskRegistry registry = CriticalTaskRegistry.builder().logger(new SilentLogger()).build()) {
            long started = System.nanoTime();
            endedAt.set(0, started);
            handle = registry.spawn(spec);
            while (absurd.isEmpty() && System.nanoTime() - started < BUDGET.toNanos()) {
                int attempt = handle.attempt();
                Optional<Duration> age = handle.sinceLastHeartbeat();
                long now = System.nanoTime();
                if (attempt == 0 || age.isEmpty() || handle.attempt() != attempt) {
                    continue; // not started yet, or the age may belong to a later attempt
                }
                reads++;
                long began = endedAt.get((attempt - 1) % RING);
                if (handle.attempt() - attempt >= RING - 1) {
                    continue; // the slot was written again meanwhile
                }
                if (age.get().toNanos() > now - began) {
                    absurd.add("attempt " + attempt + " showed a heartbeat age of " + age.get() + ", though it began at most "
                            + Duration.ofNanos(now - began) + " before");
                }
            }
            // (an attempt that threw just as the cancel came down the tree may end it FAILED: a
            // failure during shutdown, which is not what this test is about)
            handle.cancel();
            handle.completion().toCompletableFuture().handle((done, failure) -> null).get(10, TimeUnit.SECONDS);
        }
        assertThat(absurd).as("heartbeat ages beyond the time since the attempt began, in %d reads over %d attempts",
                reads, handle.attempt()).isEmpty();
        assertThat(reads).isPositive();
    }
}
