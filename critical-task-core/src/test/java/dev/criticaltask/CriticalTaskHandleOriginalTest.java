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

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import dev.criticaltask.testsupport.CapturedLogs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The eleven tests of the Rust original ({@code critical.rs}), one for one, under
 * mirrored names. Where the original slept to let time pass, these wait on latches or
 * tokens instead.
 */
@Tag("core")
class CriticalTaskHandleOriginalTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    @Test
    void successfulTaskCompletion() throws Exception {
        CancellationToken parent = CancellationToken.create();
        AtomicBoolean completed = new AtomicBoolean();

        CriticalTaskHandle handle = CriticalTaskHandle.spawn("test-success-task", token -> completed.set(true), parent);

        handle.join();
        assertThat(completed).isTrue();
        assertThat(parent.isCancelled()).isFalse();
        assertThat(handle.state()).isEqualTo(TaskState.COMPLETED);
    }

    @Test
    void taskFailureCancelsParentToken() {
        CancellationToken parent = CancellationToken.create();

        CriticalTaskHandle handle = CriticalTaskHandle.spawn("test-failure-task", token -> {
            throw new Exception("Critical task failed!");
        }, parent);

        assertThatThrownBy(handle::join).isInstanceOf(CriticalTaskFailedException.class)
            .hasMessageContaining("Critical task 'test-failure-task' failed")
            .hasMessageContaining("Critical task failed!")
            .hasRootCauseMessage("Critical task failed!");
        // no sleep needed: the parent is cancelled before join() can observe the failure
        assertThat(parent.isCancelled()).isTrue();
    }

    @Test
    void taskPanicIsCaughtAndReported() {
        CancellationToken parent = CancellationToken.create();

        CriticalTaskHandle handle = CriticalTaskHandle.spawn("test-panic-task", token -> {
            throw new IllegalStateException("Something went terribly wrong!");
        }, parent);

        assertThatThrownBy(handle::join).isInstanceOf(CriticalTaskFailedException.class)
            .hasMessageContaining("crashed")
            .hasCauseInstanceOf(IllegalStateException.class);
        assertThat(parent.isCancelled()).isTrue();
    }

    @Test
    void gracefulShutdownViaCancellationToken() throws Exception {
        CancellationToken parent = CancellationToken.create();
        AtomicInteger workDone = new AtomicInteger();

        CriticalTaskHandle handle = CriticalTaskHandle.spawn("test-graceful-shutdown", token -> {
            for (int i = 1; i <= 100; i++) {
                if (token.isCancelled()) {
                    break;
                }
                workDone.set(i);
                token.await(Duration.ofMillis(10));
            }
        }, parent);

        await().atMost(LONG).until(() -> workDone.get() > 0);
        handle.cancel();

        handle.join();
        assertThat(workDone.get()).isPositive().isLessThan(100);
        assertThat(parent.isCancelled()).isFalse();
        assertThat(handle.state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void multipleCriticalTasksOneFailure() throws Exception {
        CancellationToken parent = CancellationToken.create();
        AtomicBoolean task1Completed = new AtomicBoolean();
        AtomicBoolean task2Completed = new AtomicBoolean();
        CountDownLatch task1Running = new CountDownLatch(1);

        CriticalTaskHandle handle1 = CriticalTaskHandle.spawn("long-running-task", token -> {
            task1Running.countDown();
            if (token.await(LONG)) {
                return;
            }
            task1Completed.set(true);
        }, parent);
        CriticalTaskHandle handle2 = CriticalTaskHandle.spawn("failing-task", token -> {
            task1Running.await();
            task2Completed.set(true);
            throw new Exception("Task 2 failed!");
        }, parent);

        assertThatThrownBy(handle2::join).isInstanceOf(CriticalTaskFailedException.class);
        assertThat(task2Completed).isTrue();
        assertThat(parent.isCancelled()).isTrue();

        handle1.join();
        assertThat(task1Completed).isFalse();
        assertThat(handle1.state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void statusCheckingMethods() throws Exception {
        CancellationToken parent = CancellationToken.create();
        CountDownLatch release = new CountDownLatch(1);

        CriticalTaskHandle handle = CriticalTaskHandle.spawn("status-test-task", token -> {
            release.await();
        }, parent);

        assertThat(handle.isFinished()).isFalse();
        assertThat(handle.isCancelled()).isFalse();

        handle.cancel();
        assertThat(handle.isCancelled()).isTrue();
        assertThat(handle.isFinished()).isFalse();

        release.countDown();
        handle.join();
        assertThat(handle.isFinished()).isTrue();
        assertThat(handle.state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void taskWithSelectPattern() throws Exception {
        CancellationToken parent = CancellationToken.create();
        AtomicBoolean workCompleted = new AtomicBoolean();
        CountDownLatch waiting = new CountDownLatch(1);

        CriticalTaskHandle handle = CriticalTaskHandle.spawn("select-pattern-task", token -> {
            waiting.countDown();
            // the Java shape of select!{ sleep => work, cancelled => stop }
            if (!token.await(LONG)) {
                workCompleted.set(true);
            }
        }, parent);

        waiting.await();
        handle.cancel();

        handle.join();
        assertThat(workCompleted).isFalse();
        assertThat(parent.isCancelled()).isFalse();
    }

    @Test
    void timeoutBehavior() throws Exception {
        CancellationToken parent = CancellationToken.create();
        CountDownLatch release = new CountDownLatch(1);

        CriticalTaskHandle handle = CriticalTaskHandle.spawn("long-task", token -> {
            release.await(10, TimeUnit.SECONDS);
        }, parent);

        assertThat(handle.join(Duration.ofMillis(100))).isFalse();
        assertThat(parent.isCancelled()).isFalse();
        assertThat(handle.isCancelled()).isFalse();
        assertThat(handle.isFinished()).isFalse();

        release.countDown();
        assertThat(handle.join(LONG)).isTrue();
    }

    @Test
    void panicTriggersImmediateParentCancellation() throws Exception {
        CancellationToken parent = CancellationToken.create();
        CountDownLatch go = new CountDownLatch(1);

        CriticalTaskHandle handle = CriticalTaskHandle.spawn("immediate-panic-task", token -> {
            go.await();
            throw new IllegalStateException("Critical failure!");
        }, parent);

        go.countDown();
        // nobody joins: the parent must be cancelled all the same
        assertThat(parent.await(LONG)).isTrue();
        assertThatThrownBy(handle::join).isInstanceOf(CriticalTaskFailedException.class);
    }

    @Test
    void errorTriggersImmediateParentCancellation() throws Exception {
        CancellationToken parent = CancellationToken.create();
        CountDownLatch go = new CountDownLatch(1);

        CriticalTaskHandle handle = CriticalTaskHandle.spawn("immediate-error-task", token -> {
            go.await();
            throw new Exception("Critical error!");
        }, parent);

        go.countDown();
        assertThat(parent.await(LONG)).isTrue();
        assertThatThrownBy(handle::join).isInstanceOf(CriticalTaskFailedException.class);
    }

    @Test
    void taskDetach() {
        // The original panics when a handle is dropped undetached; on the JVM the drop is
        // found by
        // the garbage collector and reported as an ERROR log and a count.
        CancellationToken parent = CancellationToken.create();
        long before = CriticalTaskHandle.abandonedCount();
        try (CapturedLogs logs = CapturedLogs.of(CriticalTaskHandle.class)) {
            dropWithoutDetaching(parent);
            await().atMost(LONG).until(() -> {
                System.gc();
                return CriticalTaskHandle.abandonedCount() > before;
            });
            assertThat(logs.atLevel(Level.SEVERE))
                .anySatisfy(record -> assertThat(record.getMessage()).contains("test-detach-task")
                    .contains("neither joined nor detached")
                    .contains(CriticalTaskHandleOriginalTest.class.getName()));
        }
    }

    @Test
    void detachedHandleIsNotReported() throws Exception {
        CancellationToken parent = CancellationToken.create();
        try (CapturedLogs logs = CapturedLogs.of(CriticalTaskHandle.class)) {
            CriticalTaskHandle.spawn("detached-task", token -> {
            }, parent).detach();
            // a marker handle proves that the cleaner has run since
            dropWithoutDetaching(parent);
            await().atMost(LONG).until(() -> {
                System.gc();
                return logs.records().stream().anyMatch(record -> record.getMessage().contains("test-detach-task"));
            });
            assertThat(logs.records()).noneMatch(record -> record.getMessage().contains("detached-task"));
        }
    }

    private static void dropWithoutDetaching(CancellationToken parent) {
        CriticalTaskHandle.spawn("test-detach-task", token -> {
        }, parent);
    }

}
