package dev.criticaltask;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

/**
 * Issue 19, item 9: a heartbeat check judges the attempt it was scheduled for, never the next one.
 * Silent attempts end by failing at about their heartbeat timeout and restart at once, so that a
 * check of one attempt keeps landing next to the start of the next. A stall (treated as a failure)
 * only ever cancels an attempt that has been silent for the timeout.
 */
class HeartbeatAttemptRaceTest {

    /** Long enough for an interrupted thread to come back within it, however loaded the machine. */
    private static final Duration TIMEOUT = Duration.ofMillis(20);

    private static final Duration BUDGET = Duration.ofSeconds(3);

    @Test
    void aCheckNeverJudgesTheNextAttempt() throws Exception {
        List<String> wrong = new CopyOnWriteArrayList<>();
        CriticalTaskRegistry registry = CriticalTaskRegistry.builder().logger(new SilentLogger()).daemonThreads(true).build();
        RestartPolicy roomy = RestartPolicy.limited(1_000_000, Duration.ofMinutes(1)).withBackoff(Duration.ZERO, Duration.ZERO);
        for (int i = 0; i < 4; i++) {
            long seed = 0x19_09L + i;
            registry.spawn(CriticalTaskSpec.supervised("silent-" + i, context -> {
                long started = System.nanoTime();
                // its silence counts from here, whatever delayed the body's start (the first one loads classes)
                context.heartbeat();
                SplittableRandom random = new SplittableRandom(seed + context.attempt());
                // silent for about the timeout, then a failure: the next attempt starts at once
                long until = started + TIMEOUT.toNanos() / 2 + random.nextLong(TIMEOUT.toNanos());
                while (System.nanoTime() - until < 0 && !context.cancellation().isCancelled()) {
                    LockSupport.parkNanos(until - System.nanoTime());
                }
                long ran = System.nanoTime() - started;
                if (context.cancellation().isCancelled() && !registry.rootToken().isCancelled() && ran < TIMEOUT.toNanos() / 2) {
                    wrong.add(context.name() + " attempt " + context.attempt() + " was stopped for a stall after "
                            + Duration.ofNanos(ran) + " of its own silence");
                }
                Thread.interrupted(); // a stall's interrupt ends this attempt as a failure too
                throw new IOException("attempt " + context.attempt());
            }).withRestartPolicy(roomy).withHeartbeat(TIMEOUT, StallAction.FAIL));
        }
        long deadline = System.nanoTime() + BUDGET.toNanos();
        while (wrong.isEmpty() && !registry.rootToken().isCancelled() && System.nanoTime() - deadline < 0) {
            LockSupport.parkNanos(Duration.ofMillis(10).toNanos());
        }
        // a stalled attempt whose thread is not back within a timeout escalates by design: only a
        // loaded machine makes it so, and it would end the round early, not fail it
        StopReport report = registry.stop(Duration.ofSeconds(10));
        assertThat(wrong).isEmpty();
        assertThat(report.isClean()).isTrue();
        // the round crossed attempt boundaries (a loaded machine may have ended it early)
        assertThat(registry.tasks()).anySatisfy(task -> assertThat(task.restartCount()).isPositive());
    }
}
