package dev.criticaltask;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

/**
 * What the registry shows agrees with what its handles say (issue 19, items 6, 7 and 11): a
 * finished handle's name is free, the root's failure is the registry's first failure whoever spawned
 * the failing task on it, and a spawn the executor refused leaves no task that never ends.
 */
class RegistryConsistencyTest {

    private static final Duration BUDGET = Duration.ofSeconds(3);

    @Test
    void aFinishedHandlesNameIsFreeAtOnce() throws Exception {
        List<String> refused = new ArrayList<>();
        int rounds = 0;
        try (CriticalTaskRegistry registry = CriticalTaskRegistry.builder().logger(new SilentLogger()).build()) {
            long deadline = System.nanoTime() + BUDGET.toNanos();
            while (refused.isEmpty() && System.nanoTime() - deadline < 0) {
                CriticalTaskHandle first = registry.spawn("same", token -> { });
                while (!first.isFinished()) {
                    Thread.onSpinWait();
                }
                try {
                    registry.spawn("same", token -> { }).join();
                }
                catch (IllegalArgumentException taken) {
                    refused.add("round " + rounds + ": " + taken.getMessage());
                    first.join();
                }
                rounds++;
            }
        }
        assertThat(refused).as("spawns refused although the handle said finished, in %d rounds", rounds).isEmpty();
    }

    @Test
    void aFailureOfAHandleSpawnedDirectlyOnTheRootIsTheFirstFailure() throws Exception {
        try (CriticalTaskRegistry registry = CriticalTaskRegistry.builder().logger(new SilentLogger()).build()) {
            CriticalTaskHandle direct = CriticalTaskHandle.spawn("direct", token -> {
                throw new IOException("outside the registry");
            }, registry.rootToken());
            CriticalTaskFailedException failure = Outcomes.failureOf(direct);

            assertThat(registry.rootToken().reason()).containsSame(failure);
            assertThat(registry.firstFailure()).containsSame(failure);

            // a later failure of a registry task does not replace it
            CriticalTaskHandle later = registry.spawn("later", token -> {
                throw new IOException("later");
            });
            Outcomes.failureOf(later);
            assertThat(registry.firstFailure()).containsSame(failure);
            assertThat(registry.rootToken().reason()).containsSame(failure);
        }
    }

    @Test
    void aSpawnTheExecutorRefusedLeavesNoTaskThatNeverEnds() throws Exception {
        CountDownLatch inExecute = new CountDownLatch(1);
        CountDownLatch refuse = new CountDownLatch(1);
        CriticalTaskRegistry registry = CriticalTaskRegistry.builder().logger(new SilentLogger()).executor(refusingWhen(inExecute, refuse)).build();
        CompletableFuture<Throwable> spawn = new CompletableFuture<>();
        Thread spawner = new Thread(() -> {
            try {
                registry.spawn("refused", token -> { });
                spawn.complete(null);
            }
            catch (Throwable ex) {
                spawn.complete(ex);
            }
        }, "spawner");
        spawner.start();
        assertThat(inExecute.await(10, TimeUnit.SECONDS)).isTrue();

        // seen while the executor has not answered yet
        Optional<CriticalTaskHandle> seen = registry.find("refused");
        refuse.countDown();
        assertThat(spawn.get(10, TimeUnit.SECONDS)).isInstanceOf(RejectedExecutionException.class);

        // the registry knew the task while the executor had not answered; whoever saw it sees it end
        assertThat(seen).isPresent();
        CriticalTaskHandle handle = seen.orElseThrow();
        assertThat(handle.join(Duration.ofSeconds(5))).as("the refused task ended").isTrue();
        assertThat(handle.startedAt()).isEmpty();
        assertThat(registry.tasks()).isEmpty();
        assertThat(registry.find("refused")).isEmpty();
        assertThat(registry.rootToken().linkedCount()).isZero();
        assertThat(registry.stop(Duration.ofSeconds(5)).isClean()).isTrue();
    }

    @Test
    void aStopRacingARefusedSpawnIsCleanAndNamesNoPhantom() throws Exception {
        CountDownLatch inExecute = new CountDownLatch(1);
        CountDownLatch refuse = new CountDownLatch(1);
        CriticalTaskRegistry registry = CriticalTaskRegistry.builder().logger(new SilentLogger())
            .interruptWait(Duration.ofMillis(100)).executor(refusingWhen(inExecute, refuse)).build();
        Thread spawner = new Thread(() -> {
            try {
                registry.spawn("refused", token -> { });
            }
            catch (RejectedExecutionException expected) {
                // the executor said no
            }
        }, "spawner");
        spawner.start();
        assertThat(inExecute.await(10, TimeUnit.SECONDS)).isTrue();
        CompletableFuture<StopReport> stopped = Outcomes.stopOnAnotherThread(registry, Duration.ofSeconds(5));
        // the stop has taken its list of live tasks (the refused one among them) and waits
        org.awaitility.Awaitility.await().atMost(Duration.ofSeconds(10)).until(registry::isStopping);

        refuse.countDown();

        assertThat(stopped.get(10, TimeUnit.SECONDS).isClean()).isTrue();
        spawner.join();
    }

    /** An executor that refuses every task, once {@code refuse} is counted down. */
    private static Executor refusingWhen(CountDownLatch inExecute, CountDownLatch refuse) {
        return command -> {
            inExecute.countDown();
            try {
                refuse.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            throw new RejectedExecutionException("no threads");
        };
    }
}
