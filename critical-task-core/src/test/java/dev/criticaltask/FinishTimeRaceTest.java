package dev.criticaltask;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 19, item 2: a handle's state and its finish time are one fact. A reader that sees a finish
 * time must see a terminal state, and one that sees a terminal state must see a finish time, however
 * its reads interleave with the task's end.
 */
class FinishTimeRaceTest {

    /** How long the spawns go on at most; the first inconsistent read ends them at once. */
    private static final Duration BUDGET = Duration.ofSeconds(3);

    @Test
    @Timeout(30)
    void aReaderNeverSeesARunningTaskWithAFinishTime() throws Exception {
        List<String> inconsistent = new ArrayList<>();
        int spawns = 0;
        long deadline = System.nanoTime() + BUDGET.toNanos();
        try (CriticalTaskRegistry registry = CriticalTaskRegistry.builder().build()) {
            while (inconsistent.isEmpty() && System.nanoTime() - deadline < 0) {
                boolean cancelled = spawns % 2 == 1;
                CountDownLatch go = new CountDownLatch(1);
                CriticalTaskHandle handle = registry.spawn("finisher-" + spawns, token -> {
                    if (cancelled) {
                        token.await();
                    }
                    else {
                        go.await();
                    }
                });
                spawns++;
                // the end comes on the task's thread while this thread reads, finish time first
                if (cancelled) {
                    handle.cancel();
                }
                else {
                    go.countDown();
                }
                while (true) {
                    Optional<Instant> finishedAt = handle.finishedAt();
                    TaskState state = handle.state();
                    if (finishedAt.isPresent() && !state.isTerminal()) {
                        inconsistent.add(handle.description() + " was " + state + " with the finish time " + finishedAt.get());
                        break;
                    }
                    if (state.isTerminal()) {
                        if (handle.finishedAt().isEmpty()) {
                            inconsistent.add(handle.description() + " was " + state + " without a finish time");
                        }
                        break;
                    }
                    Thread.onSpinWait();
                }
                assertThat(handle.join(Duration.ofSeconds(10))).as("%s ended", handle).isTrue();
            }
        }
        assertThat(inconsistent).as("reads that saw a finish time and a state that disagree, in %d spawns", spawns)
            .isEmpty();
        assertThat(spawns).isPositive();
    }
}
