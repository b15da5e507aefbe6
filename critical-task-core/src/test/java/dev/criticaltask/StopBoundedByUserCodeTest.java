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
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.time.Duration;
import java.util.ResourceBundle;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 19, item 4: user code (a {@link RestartPolicy#retryOn(Predicate) retryOn}
 * predicate, the {@code toString()} of a task's throwable) never runs while the task's
 * supervision holds a lock that {@link CriticalTaskRegistry#stop(Duration)} needs, so
 * {@code stop(Duration.ZERO)} returns within its interrupt wait whatever that code does:
 * here it blocks until the test releases it, deaf to interrupts.
 */
@Tag("core")
class StopBoundedByUserCodeTest {

    /**
     * How long {@code stop(Duration.ZERO)} may take: its 100 ms interrupt wait, and a
     * loaded machine.
     */
    private static final Duration STOP_BOUND = Duration.ofSeconds(3);

    private final CountDownLatch entered = new CountDownLatch(1);

    private final CountDownLatch release = new CountDownLatch(1);

    /**
     * Describes what it is asked to log, as a real logger's formatter does (the runtime
     * itself no longer calls a failure's {@code toString}: its log line names the task
     * only), and drops it.
     */
    private static final System.Logger DESCRIBING = new System.Logger() {
        @Override
        public String getName() {
            return "describing";
        }

        @Override
        public boolean isLoggable(Level level) {
            return true;
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
            String.valueOf(thrown);
        }

        @Override
        public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        }
    };

    private final CriticalTaskRegistry registry = CriticalTaskRegistry.builder()
        .interruptWait(Duration.ofMillis(100))
        .logger(DESCRIBING)
        .build();

    @AfterEach
    void releaseTheUserCode() throws InterruptedException {
        release.countDown();
        registry.stop(Duration.ofSeconds(10));
    }

    @Test
    @Timeout(30)
    void aRetryPredicateThatBlocksOnTheTaskThreadDoesNotHoldUpStop() throws Exception {
        CriticalTaskHandle handle = registry.spawn(CriticalTaskSpec.of("judged", token -> {
            throw new IOException("judge me");
        }).withRestartPolicy(RestartPolicy.limited(3, Duration.ofMinutes(1)).retryOn(blockingPredicate())));
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the predicate was asked").isTrue();

        StopReport report = stopWithin(STOP_BOUND, "the retryOn predicate blocks on the task's thread");

        // the thread is still in the predicate
        assertStillRunning(report, handle);
    }

    @Test
    @Timeout(30)
    void aRetryPredicateThatBlocksOnTheSupervisionTimerDoesNotHoldUpStop() throws Exception {
        // silent: its stall goes through the restart policy on the supervision timer's
        // thread
        registry.spawn(CriticalTaskSpec.supervised("silent", context -> context.cancellation().await())
            .withRestartPolicy(RestartPolicy.limited(3, Duration.ofMinutes(1)).retryOn(blockingPredicate()))
            .withHeartbeat(Duration.ofMillis(50), StallAction.FAIL));
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the predicate was asked about the stall").isTrue();

        stopWithin(STOP_BOUND, "the retryOn predicate blocks on the supervision timer's thread");
    }

    @Test
    @Timeout(30)
    void aFailureWhoseToStringBlocksDoesNotHoldUpStop() throws Exception {
        CriticalTaskHandle handle = registry.spawn("described", token -> {
            throw new SlowToDescribe(entered, release);
        });
        assertThat(entered.await(10, TimeUnit.SECONDS)).as("the failure is being described").isTrue();

        StopReport report = stopWithin(STOP_BOUND, "the failure's toString() blocks");

        assertStillRunning(report, handle);
    }

    /**
     * The stop names the task whose thread is still in the user code, with where that
     * thread was.
     */
    private static void assertStillRunning(StopReport report, CriticalTaskHandle handle) {
        assertThat(report.unstopped()).singleElement().satisfies(task -> {
            assertThat(task.name()).isEqualTo(handle.description());
            assertThat(task.stackTrace()).isNotEmpty();
        });
        assertThat(handle.isFinished()).isFalse();
    }

    /**
     * A predicate that says yes, once the test releases it; interrupts do not release it.
     */
    private Predicate<Throwable> blockingPredicate() {
        return thrown -> {
            entered.countDown();
            awaitDeaf(release);
            return true;
        };
    }

    /**
     * Runs {@code stop(Duration.ZERO)} on a thread of its own and waits at most
     * {@code bound} for it.
     */
    private StopReport stopWithin(Duration bound, String whileWhat) throws Exception {
        CompletableFuture<StopReport> stopping = new CompletableFuture<>();
        Thread stopper = new Thread(() -> {
            try {
                stopping.complete(registry.stop(Duration.ZERO));
            }
            catch (Throwable failed) {
                stopping.completeExceptionally(failed);
            }
        }, "stopper");
        stopper.setDaemon(true);
        long before = System.nanoTime();
        stopper.start();
        try {
            return stopping.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException held) {
            release.countDown(); // lets the stop end, then reports how long it was held
            stopping.handle((report, failure) -> null).get(10, TimeUnit.SECONDS);
            return fail("stop(PT0S) took " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)
                    + " ms, until the test released the user code, while " + whileWhat + " (bound " + bound.toMillis()
                    + " ms)");
        }
        catch (ExecutionException failed) {
            throw new AssertionError("stop(PT0S) threw", failed.getCause());
        }
    }

    static void awaitDeaf(CountDownLatch latch) {
        boolean interrupted = false;
        while (true) {
            try {
                latch.await();
                break;
            }
            catch (InterruptedException ignored) {
                interrupted = true;
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * A failure whose description blocks until released, as one that calls out to a slow
     * service would.
     */
    static final class SlowToDescribe extends IOException {

        private static final long serialVersionUID = 1L;

        private final transient CountDownLatch entered;

        private final transient CountDownLatch release;

        SlowToDescribe(CountDownLatch entered, CountDownLatch release) {
            super("slow to describe");
            this.entered = entered;
            this.release = release;
        }

        @Override
        public String toString() {
            entered.countDown();
            awaitDeaf(release);
            return super.toString();
        }

    }

}
