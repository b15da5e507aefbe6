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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import dev.criticaltask.testsupport.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("core")
class SupervisionTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    private static final RestartPolicy QUICK = RestartPolicy.limited(3, Duration.ofMinutes(1))
        .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5));

    private final CriticalTaskRegistry registry = CriticalTaskRegistry.builder()
        .interruptWait(Duration.ofSeconds(1))
        .build();

    private final List<String> events = new CopyOnWriteArrayList<>();

    SupervisionTest() {
        registry.addListener(new CriticalTaskListener() {
            @Override
            public void restarted(CriticalTaskHandle task, Throwable cause, Duration backoff) {
                events.add("restarted " + task.description() + " " + cause.getMessage());
            }

            @Override
            public void stalled(CriticalTaskHandle task, Duration silentFor) {
                events.add("stalled " + task.description());
            }

            @Override
            public void failed(CriticalTaskHandle task, CriticalTaskFailedException failure) {
                events.add("failed " + task.description());
            }
        });
    }

    @AfterEach
    void stop() throws InterruptedException {
        registry.stop(LONG);
    }

    @Test
    void restartsUnderTheSameNameWithAFreshTokenUntilItSucceeds() throws Exception {
        List<CancellationToken> tokens = new CopyOnWriteArrayList<>();
        List<Integer> attempts = new CopyOnWriteArrayList<>();
        try (CapturedLogs logs = CapturedLogs.of(CriticalTaskRegistry.class)) {
            CriticalTaskHandle handle = registry.spawn(CriticalTaskSpec.supervised("flaky", context -> {
                tokens.add(context.cancellation());
                attempts.add(context.attempt());
                assertThat(context.name()).isEqualTo("flaky");
                if (context.attempt() < 3) {
                    context.cancellation().cancel(); // even a self-cancelled token is not
                                                     // reused
                    throw new IOException("attempt " + context.attempt());
                }
            }).withRestartPolicy(QUICK));

            handle.join();
            assertThat(handle.state()).isEqualTo(TaskState.COMPLETED);
            assertThat(attempts).containsExactly(1, 2, 3);
            assertThat(tokens).doesNotHaveDuplicates().hasSize(3);
            assertThat(tokens.get(2).isCancelled()).isFalse();
            assertThat(handle.restartCount()).isEqualTo(2);
            assertThat(handle.attempt()).isEqualTo(3);
            assertThat(handle.lastRestartCause())
                .hasValueSatisfying(cause -> assertThat(cause).hasMessage("attempt 2"));
            assertThat(registry.rootToken().isCancelled()).isFalse();
            assertThat(registry.firstFailure()).isEmpty();
            assertThat(events).containsExactly("restarted flaky attempt 1", "restarted flaky attempt 2");
            assertThat(logs.atLevel(Level.WARNING)).hasSize(2)
                .allSatisfy(record -> assertThat(record.getMessage()).contains("'flaky' failed on attempt")
                    .contains("restarting in"));
            assertThat(registry.rootToken().linkedCount()).isZero();
        }
    }

    @Test
    void escalatesWhenTheBudgetIsSpentWithEarlierCausesSuppressed() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CriticalTaskHandle handle = registry.spawn(CriticalTaskSpec.of("doomed", token -> {
            throw new IOException("run " + runs.incrementAndGet());
        }).withRestartPolicy(QUICK));

        CriticalTaskFailedException failure = catchFailure(handle);
        assertThat(runs).hasValue(4);
        assertThat(failure).hasCauseInstanceOf(IOException.class).hasRootCauseMessage("run 4");
        assertThat(failure.getSuppressed()).extracting(Throwable::getMessage)
            .containsExactly("run 1", "run 2", "run 3");
        assertThat(registry.rootToken().reason()).containsSame(failure);
        assertThat(registry.firstFailure()).containsSame(failure);
        assertThat(handle.restartCount()).isEqualTo(3);
        assertThat(events).endsWith("failed doomed");
    }

    /**
     * Issue 13, item 3: the one ERROR is the escalated failure itself, earlier causes and
     * all.
     */
    @Test
    void theOneErrorLogIsTheEscalatedFailureWithTheEarlierCausesSuppressed() throws Exception {
        try (CapturedLogs logs = CapturedLogs.of(CriticalTaskRegistry.class)) {
            AtomicInteger runs = new AtomicInteger();
            CriticalTaskHandle handle = registry.spawn(CriticalTaskSpec.of("thrice", token -> {
                throw new IOException("run " + runs.incrementAndGet());
            })
                .withRestartPolicy(RestartPolicy.limited(2, Duration.ofMinutes(1))
                    .withBackoff(Duration.ofMillis(1), Duration.ofMillis(5))));

            CriticalTaskFailedException failure = catchFailure(handle);

            assertThat(logs.atLevel(Level.SEVERE)).singleElement().satisfies(record -> {
                assertThat(record.getThrown()).isSameAs(failure);
                assertThat(record.getThrown().getSuppressed()).extracting(Throwable::getMessage)
                    .containsExactly("run 1", "run 2");
                assertThat(record.getThrown().getCause()).hasMessage("run 3");
                assertThat(record.getMessage()).contains("'thrice'").contains("after 2 restarts");
            });
        }
    }

    @Test
    void anErrorIsNotRetriedByDefault() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CriticalTaskHandle handle = registry.spawn(CriticalTaskSpec.of("oom", token -> {
            runs.incrementAndGet();
            throw new StackOverflowError("deep");
        }).withRestartPolicy(QUICK));
        assertThat(catchFailure(handle)).hasCauseInstanceOf(StackOverflowError.class);
        assertThat(runs).hasValue(1);
    }

    @Test
    void aRestartRacingShutdownNeverRestartsAfterTheRootWasCancelled() throws Exception {
        for (int round = 0; round < 100; round++) {
            CriticalTaskRegistry racing = CriticalTaskRegistry.builder().build();
            AtomicInteger runs = new AtomicInteger();
            AtomicInteger runsAfterCancel = new AtomicInteger();
            AtomicInteger uncancelledAfterCancel = new AtomicInteger();
            java.util.concurrent.atomic.AtomicBoolean cancelReturned = new java.util.concurrent.atomic.AtomicBoolean();
            CountDownLatch failed = new CountDownLatch(1);
            RestartPolicy slow = RestartPolicy.limited(50, Duration.ofMinutes(1))
                .withBackoff(Duration.ofMillis(round % 3), Duration.ofMillis(round % 3))
                .withJitter(0);
            CriticalTaskHandle handle = racing.spawn(CriticalTaskSpec.of("racer", token -> {
                int run = runs.incrementAndGet();
                if (cancelReturned.get()) {
                    runsAfterCancel.incrementAndGet();
                    if (!token.isCancelled()) {
                        uncancelledAfterCancel.incrementAndGet();
                    }
                    return;
                }
                failed.countDown();
                throw new IOException("run " + run);
            }).withRestartPolicy(slow));
            failed.await();
            racing.rootToken().cancel();
            cancelReturned.set(true);

            assertThat(handle.completion().toCompletableFuture().handle((ok, ex) -> true).get(10, TimeUnit.SECONDS))
                .isTrue();
            // Either the backoff saw the cancel, or the failure itself came after it (a
            // failure
            // during shutdown is still a failure): the handle ends CANCELLED, or FAILED
            // by an
            // IOException. A restart decided just before the cancel may begin after it,
            // but only
            // with its token already cancelled, and nothing restarts after that.
            assertThat(handle.state()).as("round %d", round).isIn(TaskState.CANCELLED, TaskState.FAILED);
            handle.failure().ifPresent(failure -> assertThat(failure).hasRootCauseInstanceOf(IOException.class));
            assertThat(runsAfterCancel.get()).as("round %d: runs begun after the cancel", round).isLessThanOrEqualTo(1);
            assertThat(uncancelledAfterCancel).as("round %d", round).hasValue(0);
            racing.close();
        }
    }

    @Test
    void aStallIsReportedWithinTheTimeoutAndClearedByTheNextHeartbeat() throws Exception {
        CountDownLatch stalled = new CountDownLatch(1);
        CountDownLatch beatAgain = new CountDownLatch(1);
        CountDownLatch recovered = new CountDownLatch(1);
        Duration timeout = Duration.ofMillis(500);
        long started = System.nanoTime();
        CriticalTaskHandle handle = registry.spawn(CriticalTaskSpec.supervised("sleepy", context -> {
            context.heartbeat();
            beatAgain.await(); // silent: stalls
            context.heartbeat();
            recovered.countDown();
            context.cancellation().await();
        }).withHeartbeat(timeout, StallAction.REPORT));
        java.util.concurrent.atomic.AtomicReference<Duration> silence = new java.util.concurrent.atomic.AtomicReference<>();
        registry.addListener(new CriticalTaskListener() {
            @Override
            public void stalled(CriticalTaskHandle task, Duration silentFor) {
                silence.set(silentFor);
                stalled.countDown();
            }
        });

        await().atMost(LONG).until(() -> handle.state() == TaskState.STALLED);
        Duration detectedAfter = Duration.ofNanos(System.nanoTime() - started);
        assertThat(detectedAfter).isGreaterThanOrEqualTo(timeout);
        stalled.await();
        // found within the timeout plus one watch period; a check is due at most one
        // timeout
        // after the last heartbeat, so the watch period is the timeout itself
        assertThat(silence.get()).isBetween(timeout, timeout.multipliedBy(2));
        assertThat(handle.sinceLastHeartbeat())
            .hasValueSatisfying(silent -> assertThat(silent).isGreaterThanOrEqualTo(timeout));
        TaskSnapshot stalledView = handle.snapshot();
        assertThat(stalledView.state()).isEqualTo(TaskState.STALLED);
        assertThat(stalledView.sinceLastHeartbeat())
            .hasValueSatisfying(silent -> assertThat(silent).isGreaterThanOrEqualTo(timeout));
        assertThat(registry.rootToken().isCancelled()).isFalse();

        beatAgain.countDown();
        recovered.await();
        assertThat(handle.state()).isEqualTo(TaskState.RUNNING);
        assertThat(events).containsExactly("stalled sleepy");
        assertThat(Thread.getAllStackTraces().keySet())
            .filteredOn(thread -> thread.getName().equals(SupervisionTimer.THREAD_NAME))
            .isNotEmpty();
    }

    @Test
    void aStallTreatedAsFailureEscalatesAtOnceEvenIfTheThreadNeverReturns() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CriticalTaskHandle handle = registry.spawn(CriticalTaskSpec.supervised("stuck", context -> {
            while (release.getCount() > 0) {
                try {
                    release.await(); // ignores cancellation and interrupts
                }
                catch (InterruptedException ignored) {
                    // deaf on purpose
                }
            }
        }).withHeartbeat(Duration.ofMillis(100), StallAction.FAIL));

        assertThat(registry.rootToken().await(LONG)).isTrue();
        CriticalTaskFailedException failure = registry.firstFailure().orElseThrow();
        assertThat(failure).hasCauseInstanceOf(TaskStalledException.class).hasMessageContaining("'stuck'");
        assertThat(handle.isFinished()).isFalse();

        release.countDown();
        assertThat(catchFailure(handle)).isSameAs(failure);
    }

    @Test
    void aStallTreatedAsFailureGoesThroughTheRestartPolicy() throws Exception {
        CriticalTaskHandle handle = registry.spawn(CriticalTaskSpec.supervised("restarted-after-stall", context -> {
            if (context.attempt() == 1) {
                context.cancellation().await(); // the stall cancels this attempt's token
                return;
            }
            while (!context.cancellation().await(Duration.ofMillis(10))) {
                context.heartbeat();
            }
        }).withRestartPolicy(QUICK).withHeartbeat(Duration.ofMillis(200), StallAction.FAIL));

        await().atMost(LONG).until(() -> handle.attempt() >= 2);
        assertThat(handle.lastRestartCause())
            .hasValueSatisfying(cause -> assertThat(cause).isInstanceOf(TaskStalledException.class));
        assertThat(registry.rootToken().isCancelled()).isFalse();
        assertThat(handle.state()).isIn(TaskState.RUNNING);
        handle.cancel();
        handle.join();
        assertThat(handle.state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void oneMonitorThreadWatchesEveryHeartbeat() throws Exception {
        // monitors of registries stopped by earlier tests end asynchronously
        await().atMost(LONG).until(() -> monitorThreads() == 0);
        long monitorsBefore = 0;
        for (int i = 0; i < 20; i++) {
            registry.spawn(CriticalTaskSpec.supervised("beating-" + i, context -> {
                while (!context.cancellation().await(Duration.ofMillis(10))) {
                    context.heartbeat();
                }
            }).withHeartbeat(Duration.ofSeconds(5), StallAction.FAIL));
        }
        // every task is watched (its first check scheduled, which starts the timer's
        // thread), on a
        // loaded machine too
        await().atMost(LONG)
            .until(() -> registry.tasks().stream().allMatch(task -> task.sinceLastHeartbeat().isPresent())
                    && monitorThreads() > monitorsBefore);
        assertThat(monitorThreads() - monitorsBefore).isEqualTo(1);
        registry.stop(LONG);
        await().atMost(LONG).until(() -> monitorThreads() == monitorsBefore);
    }

    @Test
    void badSpecsAreRefused() {
        assertThatThrownBy(() -> CriticalTaskSpec.of(" ", token -> {
        })).hasMessageContaining("blank");
        assertThatThrownBy(() -> CriticalTaskSpec.supervised("x", null)).hasMessage("task must not be null");
        assertThatThrownBy(() -> CriticalTaskSpec.supervised("x", context -> {
        }).withHeartbeat(Duration.ZERO, StallAction.FAIL)).hasMessageContaining("heartbeat timeout must be positive");
        assertThatThrownBy(() -> CriticalTaskSpec.of("plain", token -> {
        }).withHeartbeat(Duration.ofSeconds(1), StallAction.FAIL)).isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("'plain' is a plain CriticalTask");
        assertThatThrownBy(() -> registry.spawn((CriticalTaskSpec) null)).hasMessage("spec must not be null");
    }

    private static long monitorThreads() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter(thread -> thread.getName().equals(SupervisionTimer.THREAD_NAME))
            .count();
    }

    private static CriticalTaskFailedException catchFailure(CriticalTaskHandle handle) throws InterruptedException {
        try {
            handle.join();
        }
        catch (CriticalTaskFailedException failure) {
            return failure;
        }
        throw new AssertionError("expected " + handle + " to fail");
    }

}
