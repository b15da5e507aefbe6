package dev.criticaltask;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Issue 19, item 4, and issue 18's failure path: user code (a restart policy's predicate, a
 * throwable's {@code toString}) never runs while the runtime holds a lock, so {@code stop} stays
 * bounded whatever it does; and the failure's message, which calls the cause's {@code toString},
 * is built only once the parent is cancelled.
 */
class UserCodeOutsideLocksTest {

    /** How long a stop may take here before it counts as held up: far above its 100 ms budget. */
    private static final long STOP_BOUND_SECONDS = 5;

    private final SilentLogger logger = new SilentLogger();

    private final CriticalTaskRegistry registry = CriticalTaskRegistry.builder().logger(logger)
        .interruptWait(Duration.ofMillis(100)).build();

    /** Released after each test, so that nothing a test blocked stays blocked. */
    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void releaseAndStop() throws InterruptedException {
        release.countDown();
        registry.stop(Duration.ofSeconds(10));
    }

    @Test
    void stopIsBoundedWhileARetryPredicateBlocksOnTheTaskThread() throws Exception {
        CountDownLatch inPredicate = new CountDownLatch(1);
        registry.spawn(CriticalTaskSpec.of("slow-predicate", token -> {
            throw new IOException("down");
        }).withRestartPolicy(RestartPolicy.limited(3, Duration.ofMinutes(1)).retryOn(blockingUntilReleased(inPredicate))));
        assertThat(inPredicate.await(10, TimeUnit.SECONDS)).isTrue();

        StopReport report = stopOnAnotherThread();

        assertThat(report.unstopped()).singleElement().satisfies(task -> {
            assertThat(task.name()).isEqualTo("slow-predicate");
            assertThat(task.stackTrace()).anySatisfy(frame -> assertThat(frame.getClassName()).startsWith(getClass().getName()));
        });
    }

    @Test
    void stopIsBoundedWhileARetryPredicateBlocksOnTheSupervisionTimer() throws Exception {
        CountDownLatch inPredicate = new CountDownLatch(1);
        Predicate<Throwable> blocking = blockingUntilReleased(inPredicate);
        CountDownLatch running = new CountDownLatch(1);
        registry.spawn(CriticalTaskSpec.supervised("silent", context -> {
            running.countDown();
            awaitUninterruptibly(release); // silent, and deaf to the stall's cancel and interrupt
        }).withRestartPolicy(RestartPolicy.limited(3, Duration.ofMinutes(1))
            .retryOn(thrown -> thrown instanceof TaskStalledException && blocking.test(thrown)))
            .withHeartbeat(Duration.ofMillis(50), StallAction.FAIL));
        assertThat(running.await(10, TimeUnit.SECONDS)).isTrue();
        assertThat(inPredicate.await(10, TimeUnit.SECONDS)).isTrue();

        StopReport report = stopOnAnotherThread();

        assertThat(report.unstopped()).extracting(UnstoppedTask::name).containsExactly("silent");
    }

    @Test
    void stopIsBoundedWhileTheCausesToStringBlocks() throws Exception {
        CountDownLatch inToString = new CountDownLatch(1);
        registry.spawn("slow-to-string", token -> {
            throw new IOException("down") {
                @Override
                public String toString() {
                    inToString.countDown();
                    awaitUninterruptibly(release);
                    return super.toString();
                }
            };
        });
        assertThat(inToString.await(10, TimeUnit.SECONDS)).isTrue();

        StopReport report = stopOnAnotherThread();

        assertThat(report.unstopped()).extracting(UnstoppedTask::name).containsExactly("slow-to-string");
    }

    @Test
    void theFailuresMessageIsBuiltOnlyOnceTheParentIsCancelled() throws Exception {
        CancellationToken parent = CancellationToken.create();
        List<Boolean> parentCancelledAtToString = new CopyOnWriteArrayList<>();
        CriticalTaskHandle handle = CriticalTaskHandle.spawn("lazy", token -> {
            throw new IOException("down") {
                @Override
                public String toString() {
                    parentCancelledAtToString.add(parent.isCancelled());
                    return super.toString();
                }
            };
        }, parent);

        assertThat(Outcomes.failureOf(handle)).hasMessageStartingWith("Critical task 'lazy' failed: ").hasMessageEndingWith(": down");
        assertThat(parentCancelledAtToString).isNotEmpty().containsOnly(true);
    }

    private StopReport stopOnAnotherThread() throws Exception {
        // held up by user code, stop() would not return before the test releases it
        return Outcomes.stopOnAnotherThread(registry, Duration.ZERO).get(STOP_BOUND_SECONDS, TimeUnit.SECONDS);
    }

    private Predicate<Throwable> blockingUntilReleased(CountDownLatch entered) {
        return thrown -> {
            entered.countDown();
            awaitUninterruptibly(release);
            return true;
        };
    }

    /** Waits for the latch, deaf to interrupts (as slow user code may be), and keeps the interrupt. */
    static void awaitUninterruptibly(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            }
            catch (InterruptedException ex) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
