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
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;

import dev.criticaltask.testsupport.CapturedLogs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("core")
class CriticalTaskHandleTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    private final CancellationToken parent = CancellationToken.create();

    @Test
    void checkedExceptionFailsAndUncheckedOrErrorCrashes() {
        IOException checked = new IOException("disk");
        CriticalTaskFailedException failed = failureOf("checked", checked);
        assertThat(failed).hasMessage("Critical task 'checked' failed: java.io.IOException: disk").hasCause(checked);
        assertThat(failed.isCrash()).isFalse();
        assertThat(failed.taskDescription()).isEqualTo("checked");

        IllegalArgumentException unchecked = new IllegalArgumentException("bad");
        assertThat(failureOf("unchecked", unchecked)).hasMessageContaining("'unchecked' crashed")
            .hasCause(unchecked)
            .satisfies(ex -> assertThat(ex.isCrash()).isTrue());

        AssertionError error = new AssertionError("broken invariant");
        assertThat(failureOf("error", error)).hasMessageContaining("'error' crashed").hasCause(error);
    }

    /**
     * Issue 18: nothing the siblings' wake-up does not need runs before the parent's
     * cancel; the failure's message, which calls the cause's {@code toString} (user
     * code), is built after it.
     */
    @Test
    void theFailuresMessageIsBuiltOnlyOnceTheParentIsCancelled() throws Exception {
        List<Boolean> parentCancelledAtToString = new java.util.concurrent.CopyOnWriteArrayList<>();
        CriticalTaskHandle handle = CriticalTaskHandle.spawn("lazy", token -> {
            throw new IOException("down") {
                @Override
                public String toString() {
                    parentCancelledAtToString.add(parent.isCancelled());
                    return super.toString();
                }
            };
        }, parent);

        assertThat(catchFailure(handle)).hasMessageStartingWith("Critical task 'lazy' failed: ")
            .hasMessageEndingWith(": down");
        assertThat(parentCancelledAtToString).isNotEmpty().containsOnly(true);
    }

    @Test
    void parentReasonIsTheFailureSoSiblingsCanTellItFromShutdown() throws Exception {
        CancellationToken sibling = parent.child();
        CriticalTaskHandle handle = CriticalTaskHandle.spawn("failing", token -> {
            throw new IOException("gone");
        }, parent);

        CriticalTaskFailedException failure = catchFailure(handle);
        assertThat(parent.reason()).containsSame(failure);
        assertThat(sibling.reason()).containsSame(failure);
        assertThat(handle.failure()).containsSame(failure);
        assertThat(handle.state()).isEqualTo(TaskState.FAILED);
    }

    @Test
    void parentIsCancelledBeforeTheFailureIsObservable() throws Exception {
        for (int round = 0; round < 200; round++) {
            CancellationToken root = CancellationToken.create();
            CountDownLatch go = new CountDownLatch(1);
            CriticalTaskHandle handle = CriticalTaskHandle.spawn("racy-" + round, token -> {
                go.await();
                throw new IllegalStateException("fail");
            }, root);
            AtomicBoolean cancelledWhenCompleted = new AtomicBoolean();
            CompletableFuture<Void> seen = handle.completion()
                .toCompletableFuture()
                .whenComplete((ok, failure) -> cancelledWhenCompleted.set(root.isCancelled()));
            go.countDown();
            while (!handle.isFinished()) {
                Thread.onSpinWait();
            }
            // once the state says FAILED, the parent must already be cancelled
            assertThat(root.isCancelled()).as("round %d", round).isTrue();
            assertThat(handle.failure()).isPresent();
            assertThatThrownBy(() -> seen.get(10, TimeUnit.SECONDS))
                .hasCauseInstanceOf(CriticalTaskFailedException.class);
            assertThat(cancelledWhenCompleted).as("round %d", round).isTrue();
        }
    }

    @Test
    void interruptedExceptionAfterCancellationIsAGracefulStop() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        CriticalTaskHandle handle = CriticalTaskHandle.spawn("sleeper", token -> {
            sleeping.countDown();
            Thread.sleep(60_000);
        }, parent);
        sleeping.await();
        handle.cancel();
        interruptTaskThread("critical-task-sleeper");

        handle.join();
        assertThat(handle.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(parent.isCancelled()).isFalse();
    }

    @Test
    void interruptedExceptionWithoutCancellationIsAFailure() throws Exception {
        CountDownLatch sleeping = new CountDownLatch(1);
        CriticalTaskHandle handle = CriticalTaskHandle.spawn("interrupted", token -> {
            sleeping.countDown();
            Thread.sleep(60_000);
        }, parent);
        sleeping.await();
        interruptTaskThread("critical-task-interrupted");

        assertThat(catchFailure(handle)).hasCauseInstanceOf(InterruptedException.class).hasMessageContaining("failed");
        assertThat(parent.isCancelled()).isTrue();
    }

    @Test
    void anyOtherThrowableDuringShutdownIsStillAFailure() throws Exception {
        CriticalTaskHandle handle = CriticalTaskHandle.spawn("bad-shutdown", token -> {
            token.await();
            throw new IOException("could not flush");
        }, parent);
        handle.cancel();
        assertThat(catchFailure(handle)).hasRootCauseMessage("could not flush");
        assertThat(handle.state()).isEqualTo(TaskState.FAILED);
        assertThat(parent.isCancelled()).isTrue();
    }

    @Test
    void taskReturningAfterParentCancelIsCancelledNotCompleted() throws Exception {
        CriticalTaskHandle handle = CriticalTaskHandle.spawn("cooperative", CancellationToken::await, parent);
        parent.cancel();
        handle.join();
        assertThat(handle.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(handle.isCancelled()).isTrue();
    }

    @Test
    void cancelStopsOnlyThisTask() throws Exception {
        CriticalTaskHandle first = CriticalTaskHandle.spawn("first", CancellationToken::await, parent);
        CriticalTaskHandle second = CriticalTaskHandle.spawn("second", CancellationToken::await, parent);
        first.cancel();
        first.join();
        assertThat(parent.isCancelled()).isFalse();
        assertThat(second.isFinished()).isFalse();
        second.cancel();
        second.join();
    }

    @Test
    void childTokenIsUnlinkedWhenTheTaskEnds() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CriticalTaskHandle handle = CriticalTaskHandle.spawn("linked", token -> release.await(), parent);
        assertThat(parent.linkedCount()).isEqualTo(1);
        release.countDown();
        handle.join();
        assertThat(parent.linkedCount()).isZero();

        CriticalTaskHandle failed = CriticalTaskHandle.spawn("failing", token -> {
            throw new IOException("x");
        }, CancellationToken.create());
        catchFailure(failed);
    }

    @Test
    void defaultThreadIsANamedPlatformThread() throws Exception {
        AtomicReference<Thread> thread = new AtomicReference<>();
        CriticalTaskHandle.spawn("named", token -> thread.set(Thread.currentThread()), parent).join();
        assertThat(thread.get().getName()).isEqualTo("critical-task-named");
        assertThat(thread.get().isDaemon()).isFalse();
    }

    @Test
    void timesAreRecorded() throws Exception {
        // the times are kept to the microsecond
        Instant before = Instant.now().truncatedTo(ChronoUnit.MICROS);
        CriticalTaskHandle handle = CriticalTaskHandle.spawn("timed", token -> {
        }, parent);
        handle.join();
        assertThat(handle.startedAt()).hasValueSatisfying(started -> assertThat(started).isAfterOrEqualTo(before));
        assertThat(handle.finishedAt())
            .hasValueSatisfying(finished -> assertThat(finished).isAfterOrEqualTo(handle.startedAt().orElseThrow()));
        // nothing held its first attempt up: it was ready when the task began
        assertThat(handle.readyAt()).isEqualTo(handle.startedAt());
    }

    @Test
    void aSnapshotIsOneMomentWhoseFactsAgree() throws Exception {
        for (int round = 0; round < 200; round++) {
            boolean fails = round % 2 == 0;
            CountDownLatch go = new CountDownLatch(1);
            CriticalTaskHandle handle = CriticalTaskHandle.spawn("snapshot-" + round, token -> {
                go.await();
                if (fails) {
                    throw new IOException("down");
                }
            }, CancellationToken.create());
            handle.detach();
            TaskSnapshot before = handle.snapshot();
            assertThat(before.isFinished()).isFalse();
            assertThat(before.finishedAt()).isEmpty();
            go.countDown();
            TaskSnapshot seen;
            do {
                seen = handle.snapshot();
                assertThat(seen.finishedAt().isPresent()).as("round %d: %s", round, seen).isEqualTo(seen.isFinished());
                assertThat(seen.failure().isPresent()).as("round %d: %s", round, seen)
                    .isEqualTo(seen.state() == TaskState.FAILED);
                assertThat(seen.sinceLastHeartbeat()).isEmpty();
            }
            while (!seen.isFinished());
            assertThat(seen.state()).isEqualTo(fails ? TaskState.FAILED : TaskState.COMPLETED);
            assertThat(seen.attempt()).isEqualTo(1);
            assertThat(seen.startedAt()).isPresent();
        }
    }

    @Test
    void joinWithTimeoutCancelsNothing() throws Exception {
        CriticalTaskHandle handle = CriticalTaskHandle.spawn("slow", CancellationToken::await, parent);
        assertThat(handle.join(Duration.ofMillis(20))).isFalse();
        assertThat(handle.join(Duration.ZERO)).isFalse();
        assertThat(handle.isCancelled()).isFalse();
        assertThat(parent.isCancelled()).isFalse();
        handle.cancel();
        assertThat(handle.join(LONG)).isTrue();
    }

    @Test
    void completionIsAReadOnlyView() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CriticalTaskHandle handle = CriticalTaskHandle.spawn("viewed", token -> release.await(), parent);
        CompletableFuture<Void> copy = handle.completion().toCompletableFuture();
        copy.completeExceptionally(new IllegalStateException("outside"));
        copy.cancel(true);
        assertThat(handle.isFinished()).isFalse();
        assertThat(handle.isCancelled()).isFalse();
        assertThat(parent.isCancelled()).isFalse();

        release.countDown();
        handle.completion().toCompletableFuture().get(10, TimeUnit.SECONDS);
        assertThat(handle.state()).isEqualTo(TaskState.COMPLETED);
    }

    @Test
    void badInputIsRefusedWithANamedProblemAndChangesNothing() {
        CriticalTask task = token -> {
        };
        assertThatThrownBy(() -> CriticalTaskHandle.spawn(null, task, parent)).isInstanceOf(NullPointerException.class)
            .hasMessage("task name must not be null");
        assertThatThrownBy(() -> CriticalTaskHandle.spawn("  ", task, parent))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> CriticalTaskHandle.spawn("x", null, parent)).isInstanceOf(NullPointerException.class)
            .hasMessage("task must not be null");
        assertThatThrownBy(() -> CriticalTaskHandle.spawn("x", task, null)).isInstanceOf(NullPointerException.class)
            .hasMessage("parent must not be null");
        assertThatThrownBy(() -> CriticalTaskHandle.spawn("x", task, parent, null))
            .isInstanceOf(NullPointerException.class)
            .hasMessage("executor must not be null");
        assertThat(parent.linkedCount()).isZero();
        assertThat(parent.isCancelled()).isFalse();
    }

    @Test
    void refusedByTheExecutorLeavesNothingBehind() {
        long abandonedBefore = CriticalTaskHandle.abandonedCount();
        Executor refusing = command -> {
            throw new RejectedExecutionException("full");
        };
        assertThatThrownBy(() -> CriticalTaskHandle.spawn("refused", token -> {
        }, parent, refusing)).isInstanceOf(RejectedExecutionException.class).hasMessage("full");
        assertThat(parent.linkedCount()).isZero();
        assertThat(parent.isCancelled()).isFalse();
        System.gc();
        assertThat(CriticalTaskHandle.abandonedCount()).isEqualTo(abandonedBefore);
    }

    @Test
    void runsOnAGivenExecutor() throws Exception {
        ExecutorService pool = Executors.newSingleThreadExecutor(runnable -> new Thread(runnable, "my-pool"));
        try {
            AtomicReference<String> threadName = new AtomicReference<>();
            CriticalTaskHandle.spawn("pooled", token -> threadName.set(Thread.currentThread().getName()), parent, pool)
                .join();
            assertThat(threadName).hasValue("my-pool");
        }
        finally {
            pool.shutdownNow();
        }
    }

    @Test
    void failureIsLoggedExactlyOnceWithNameAndStack() throws Exception {
        try (CapturedLogs logs = CapturedLogs.of(CriticalTaskHandle.class)) {
            CriticalTaskHandle handle = CriticalTaskHandle.spawn("logged-once", token -> {
                throw new IllegalStateException("once");
            }, parent);
            CriticalTaskFailedException failure = catchFailure(handle);
            catchFailure(handle);
            handle.completion().toCompletableFuture().handle((ok, ex) -> ex).get(10, TimeUnit.SECONDS);

            // the failure itself is logged (issue 13, item 3): its cause, with the stack,
            // prints below it
            List<java.util.logging.LogRecord> errors = logs.atLevel(Level.SEVERE);
            assertThat(errors).singleElement().satisfies(record -> {
                assertThat(record.getMessage()).contains("logged-once").contains("crashed");
                assertThat(record.getThrown()).isSameAs(failure);
                assertThat(record.getThrown().getCause()).hasMessage("once");
                assertThat(record.getThrown().getCause().getStackTrace()).isNotEmpty();
            });
        }
    }

    @Test
    void joinIsInterruptibleAndTheTaskGoesOn() throws Exception {
        CriticalTaskHandle handle = CriticalTaskHandle.spawn("joined", CancellationToken::await, parent);
        Thread.currentThread().interrupt();
        assertThatThrownBy(handle::join).isInstanceOf(InterruptedException.class);
        assertThat(handle.isFinished()).isFalse();
        handle.cancel();
        handle.join();
    }

    private CriticalTaskFailedException failureOf(String name, Throwable thrown) {
        CriticalTaskHandle handle = CriticalTaskHandle.spawn(name, token -> {
            if (thrown instanceof Exception ex) {
                throw ex;
            }
            throw (Error) thrown;
        }, CancellationToken.create());
        return catchFailure(handle);
    }

    private static CriticalTaskFailedException catchFailure(CriticalTaskHandle handle) {
        try {
            handle.join();
        }
        catch (CriticalTaskFailedException failure) {
            return failure;
        }
        catch (InterruptedException ex) {
            throw new IllegalStateException(ex);
        }
        throw new AssertionError("expected " + handle + " to fail");
    }

    private static void interruptTaskThread(String name) {
        await().atMost(LONG)
            .until(() -> Thread.getAllStackTraces()
                .keySet()
                .stream()
                .filter(thread -> thread.getName().equals(name))
                .peek(Thread::interrupt)
                .findAny()
                .isPresent());
    }

}
