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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Level;

import dev.criticaltask.testsupport.CapturedLogs;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

@Tag("core")
class CriticalTaskRegistryTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    private final CriticalTaskRegistry registry = CriticalTaskRegistry.builder()
        .interruptWait(Duration.ofSeconds(2))
        .build();

    @AfterEach
    void stop() throws InterruptedException {
        registry.stop(LONG);
    }

    @Test
    void spawnsNamedTasksAndFindsThem() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CriticalTaskHandle worker = registry.spawn("worker", token -> release.await());
        CriticalTaskHandle quick = registry.spawn("quick", token -> {
        });
        quick.join();

        assertThat(registry.find("worker")).containsSame(worker);
        assertThat(registry.find("quick")).containsSame(quick);
        assertThat(registry.find("missing")).isEmpty();
        assertThat(registry.tasks()).containsExactly(quick, worker);
        assertThat(worker.state()).isEqualTo(TaskState.RUNNING);

        release.countDown();
        worker.join();
        assertThat(registry.rootToken().isCancelled()).isFalse();
        assertThat(registry.rootToken().linkedCount()).isZero();
    }

    @Test
    void duplicateLiveNameIsRefusedAndChangesNothing() throws Exception {
        CriticalTaskHandle first = registry.spawn("unique", CancellationToken::await);
        AtomicBoolean secondRan = new AtomicBoolean();
        assertThatThrownBy(() -> registry.spawn("unique", token -> secondRan.set(true)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessage("A critical task named 'unique' is already running");
        assertThat(registry.tasks()).containsExactly(first);
        assertThat(registry.rootToken().linkedCount()).isEqualTo(1);

        first.cancel();
        first.join();
        CriticalTaskHandle again = registry.spawn("unique", token -> secondRan.set(true));
        again.join();
        assertThat(secondRan).isTrue();
        assertThat(registry.find("unique")).containsSame(again);
    }

    @Test
    void badNamesAndTasksAreRefused() {
        assertThatThrownBy(() -> registry.spawn(null, token -> {
        })).isInstanceOf(NullPointerException.class).hasMessage("task name must not be null");
        assertThatThrownBy(() -> registry.spawn("", token -> {
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> registry.spawn(" \t", token -> {
        })).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("must not be blank");
        assertThatThrownBy(() -> registry.spawn("no-task", null)).isInstanceOf(NullPointerException.class)
            .hasMessage("task must not be null");
        assertThat(registry.tasks()).isEmpty();
        assertThat(registry.rootToken().linkedCount()).isZero();
    }

    @Test
    void spawnAfterStopIsRefused() throws Exception {
        assertThat(registry.stop(LONG).isClean()).isTrue();
        assertThat(registry.isStopping()).isTrue();
        assertThatThrownBy(() -> registry.spawn("late", token -> {
        })).isInstanceOf(IllegalStateException.class)
            .hasMessage("Cannot spawn critical task 'late': the registry is stopping");
        assertThat(registry.tasks()).isEmpty();
    }

    @Test
    void executorRefusalLeavesNoTrace() {
        CriticalTaskRegistry refusing = CriticalTaskRegistry.builder().executor(command -> {
            throw new RejectedExecutionException("no threads");
        }).build();
        assertThatThrownBy(() -> refusing.spawn("refused", token -> {
        })).isInstanceOf(RejectedExecutionException.class);
        assertThat(refusing.tasks()).isEmpty();
        assertThat(refusing.find("refused")).isEmpty();
        assertThat(refusing.rootToken().linkedCount()).isZero();
    }

    @Test
    void firstFailureIsRecordedBeforeTheRootIsCancelled() throws Exception {
        AtomicReference<Boolean> recordedWhenCancelled = new AtomicReference<>();
        registry.rootToken().onCancel(() -> recordedWhenCancelled.set(registry.firstFailure().isPresent()));
        CountDownLatch siblingsWaiting = new CountDownLatch(2);
        CriticalTaskHandle siblingA = registry.spawn("sibling-a", token -> {
            siblingsWaiting.countDown();
            token.await();
        });
        CriticalTaskHandle siblingB = registry.spawn("sibling-b", token -> {
            siblingsWaiting.countDown();
            token.await();
        });
        siblingsWaiting.await();
        CriticalTaskHandle failing = registry.spawn("failing", token -> {
            throw new IOException("broken pipe");
        });

        assertThatThrownBy(failing::join).isInstanceOf(CriticalTaskFailedException.class);
        assertThat(recordedWhenCancelled).hasValue(true);
        CriticalTaskFailedException first = registry.firstFailure().orElseThrow();
        assertThat(first.taskDescription()).isEqualTo("failing");
        assertThat(registry.rootToken().reason()).containsSame(first);
        siblingA.join();
        siblingB.join();
        assertThat(siblingA.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(siblingB.state()).isEqualTo(TaskState.CANCELLED);
    }

    /**
     * Issue 19, item 7, as documented on the registry: the failure of a handle spawned on
     * the root directly is the first failure, and a later failure of one of the
     * registry's tasks does not replace it, in the record or in the root's reason.
     */
    @Test
    void aFailureOnTheRootFromOutsideTheRegistryStaysTheFirstFailure() throws Exception {
        CriticalTaskRegistry quiet = CriticalTaskRegistry.builder().logger(new SilentLogger()).build();
        CriticalTaskHandle direct = CriticalTaskHandle.spawn("direct", token -> {
            throw new IOException("outside the registry");
        }, quiet.rootToken());
        CriticalTaskFailedException failure = Outcomes.failureOf(direct);
        assertThat(quiet.firstFailure()).containsSame(failure);

        Outcomes.failureOf(quiet.spawn("later", token -> {
            throw new IOException("later");
        }));

        assertThat(quiet.firstFailure()).containsSame(failure);
        assertThat(quiet.rootToken().reason()).containsSame(failure);
        assertThat(quiet.tasks()).extracting(CriticalTaskHandle::description).containsExactly("later");
        quiet.close();
    }

    @Test
    void onlyTheFirstFailureIsKept() throws Exception {
        CountDownLatch bothRunning = new CountDownLatch(2);
        CountDownLatch secondMayFail = new CountDownLatch(1);
        CriticalTaskHandle first = registry.spawn("first", token -> {
            bothRunning.countDown();
            bothRunning.await();
            throw new IOException("first");
        });
        CriticalTaskHandle second = registry.spawn("second", token -> {
            bothRunning.countDown();
            secondMayFail.await();
            throw new IOException("second");
        });
        assertThatThrownBy(first::join).isInstanceOf(CriticalTaskFailedException.class);
        secondMayFail.countDown();
        assertThatThrownBy(second::join).isInstanceOf(CriticalTaskFailedException.class);
        assertThat(registry.firstFailure())
            .hasValueSatisfying(failure -> assertThat(failure.taskDescription()).isEqualTo("first"));
    }

    @Test
    void listenersHearEveryOutcomeAndAThrowingListenerDoesNotSilenceTheOthers() throws Exception {
        List<String> events = new CopyOnWriteArrayList<>();
        registry.addListener(new CriticalTaskListener() {
            @Override
            public void started(CriticalTaskHandle task) {
                throw new IllegalStateException("listener bug");
            }
        });
        Registration registration = registry.addListener(new CriticalTaskListener() {
            @Override
            public void started(CriticalTaskHandle task) {
                events.add("started " + task.description());
            }

            @Override
            public void completed(CriticalTaskHandle task) {
                events.add("completed " + task.description());
            }

            @Override
            public void cancelled(CriticalTaskHandle task) {
                events.add("cancelled " + task.description());
            }

            @Override
            public void failed(CriticalTaskHandle task, CriticalTaskFailedException failure) {
                events.add("failed " + task.description() + " root cancelled " + registry.rootToken().isCancelled());
            }
        });
        try (CapturedLogs logs = CapturedLogs.of(CriticalTaskRegistry.class)) {
            registry.spawn("done", token -> {
            }).join();
            CriticalTaskHandle stopped = registry.spawn("stopped", CancellationToken::await);
            stopped.cancel();
            stopped.join();
            assertThatThrownBy(registry.spawn("broken", token -> {
                throw new IllegalStateException("x");
            })::join).isInstanceOf(CriticalTaskFailedException.class);

            assertThat(events).containsExactly("started done", "completed done", "started stopped", "cancelled stopped",
                    "started broken", "failed broken root cancelled true");
            assertThat(logs.atLevel(Level.WARNING)).hasSize(3)
                .allSatisfy(record -> assertThat(record.getThrown()).hasMessage("listener bug"));
        }

        registration.close();
        registry.rootToken();
        events.clear();
        // the root is cancelled now, but a graceful task can still be spawned and heard
        // by nobody
        registry.spawn("unheard", token -> {
        }).join();
        assertThat(events).isEmpty();
    }

    @Test
    void stopIsCleanWhenEveryTaskCooperates() throws Exception {
        CountDownLatch running = new CountDownLatch(3);
        for (int i = 0; i < 3; i++) {
            registry.spawn("cooperative-" + i, token -> {
                running.countDown();
                token.await();
            });
        }
        running.await();
        StopReport report = registry.stop(LONG);
        assertThat(report.isClean()).isTrue();
        assertThat(report.describe()).isEqualTo("Every critical task stopped within the grace period");
        assertThat(registry.tasks()).allSatisfy(task -> assertThat(task.state()).isEqualTo(TaskState.CANCELLED));
        assertThat(registry.rootToken().reason()).isEmpty();
        assertThat(registry.firstFailure()).isEmpty();
    }

    @Test
    void stopNamesAStragglerThatIgnoresCancellationWithItsStackThenInterruptsIt() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CriticalTaskHandle stubborn = registry.spawn("stubborn", token -> {
            running.countDown();
            Thread.sleep(60_000);
        });
        registry.spawn("polite", CancellationToken::await);
        running.await();

        try (CapturedLogs logs = CapturedLogs.of(CriticalTaskRegistry.class)) {
            StopReport report = registry.stop(Duration.ofMillis(100));

            assertThat(report.unstopped()).singleElement().satisfies(unstopped -> {
                assertThat(unstopped.name()).isEqualTo("stubborn");
                assertThat(unstopped.stackTrace())
                    .anySatisfy(frame -> assertThat(frame.getMethodName()).isEqualTo("sleep"));
                assertThat(unstopped.stackTrace())
                    .anySatisfy(frame -> assertThat(frame.getClassName()).startsWith(getClass().getName()));
            });
            assertThat(report.describe()).contains("'stubborn'").contains("\tat ").contains("java.lang.Thread.sleep");
            assertThat(logs.atLevel(Level.WARNING)).singleElement()
                .satisfies(record -> assertThat(record.getMessage()).contains("stubborn"));
        }
        // the interrupt after the grace period ends it gracefully
        assertThat(stubborn.join(LONG)).isTrue();
        assertThat(stubborn.state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void stopIsBoundedEvenWhenATaskIgnoresCancellationAndInterrupts() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch running = new CountDownLatch(1);
        CriticalTaskRegistry strict = CriticalTaskRegistry.builder().interruptWait(Duration.ofMillis(100)).build();
        CriticalTaskHandle deaf = strict.spawn("deaf", token -> {
            running.countDown();
            while (true) {
                try {
                    release.await();
                    return;
                }
                catch (InterruptedException ignored) {
                    // deliberately deaf
                }
            }
        });
        running.await();

        long start = System.nanoTime();
        StopReport report = strict.stop(Duration.ofMillis(100));
        Duration took = Duration.ofNanos(System.nanoTime() - start);

        assertThat(report.unstopped()).extracting(UnstoppedTask::name).containsExactly("deaf");
        assertThat(took).isLessThan(LONG);
        assertThat(deaf.isFinished()).isFalse();
        release.countDown();
        assertThat(deaf.join(LONG)).isTrue();
    }

    @Test
    void finishedHistoryIsBounded() throws Exception {
        CriticalTaskRegistry small = CriticalTaskRegistry.builder().finishedTaskHistory(3).build();
        for (int i = 0; i < 10; i++) {
            small.spawn("t" + i, token -> {
            }).join();
        }
        assertThat(small.tasks()).extracting(CriticalTaskHandle::description).containsExactly("t7", "t8", "t9");
        assertThat(small.find("t1")).isEmpty();
        small.close();
    }

    @Test
    void givenRootTokenIsUsed() throws Exception {
        CancellationToken root = CancellationToken.create();
        CriticalTaskRegistry withRoot = CriticalTaskRegistry.builder().rootToken(root).build();
        CriticalTaskHandle task = withRoot.spawn("child", CancellationToken::await);
        root.cancel();
        task.join();
        assertThat(withRoot.rootToken()).isSameAs(root);
        assertThat(task.state()).isEqualTo(TaskState.CANCELLED);
    }

    @Test
    void threadFactoryIsUsed() throws Exception {
        CriticalTaskRegistry custom = CriticalTaskRegistry.builder()
            .threadFactory(runnable -> new Thread(runnable, "custom-thread"))
            .build();
        AtomicReference<String> name = new AtomicReference<>();
        custom.spawn("x", token -> name.set(Thread.currentThread().getName())).join();
        assertThat(name).hasValue("custom-thread");
    }

    @Test
    void daemonThreadsCanBeAskedFor() throws Exception {
        CriticalTaskRegistry daemons = CriticalTaskRegistry.builder().daemonThreads(true).build();
        AtomicReference<Thread> thread = new AtomicReference<>();
        daemons.spawn("d", token -> thread.set(Thread.currentThread())).join();
        assertThat(thread.get().isDaemon()).isTrue();
        assertThat(thread.get().getName()).isEqualTo("critical-task-d");
    }

    @Test
    void conflictingThreadChoicesAreRefused() {
        assertThatThrownBy(
                () -> CriticalTaskRegistry.builder().executor(Runnable::run).threadFactory(Thread::new).build())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("Choose only one");
        assertThatThrownBy(() -> CriticalTaskRegistry.builder().interruptWait(Duration.ofSeconds(-1)))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("interruptWait");
        assertThatThrownBy(() -> CriticalTaskRegistry.builder().finishedTaskHistory(-1))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("finishedTaskHistory");
        assertThatThrownBy(() -> registry.stop(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("grace");
        assertThat(registry.isStopping()).isFalse();
    }

    @Test
    void taskSpawnedOnAnInlineExecutorRunsInsideSpawnWithoutDeadlock() throws Exception {
        CriticalTaskRegistry inline = CriticalTaskRegistry.builder().executor(Runnable::run).build();
        List<String> events = new CopyOnWriteArrayList<>();
        inline.addListener(new CriticalTaskListener() {
            @Override
            public void completed(CriticalTaskHandle task) {
                events.add(inline.find(task.description()).map(CriticalTaskHandle::state).orElseThrow().name());
            }
        });
        CriticalTaskHandle handle = inline.spawn("inline", token -> {
        });
        assertThat(handle.isFinished()).isTrue();
        assertThat(events).containsExactly("COMPLETED");
        inline.close();
    }

    @Test
    void noTaskThreadOutlivesAStop() throws Exception {
        for (int i = 0; i < 20; i++) {
            registry.spawn("short-lived-" + i, CancellationToken::await);
        }
        assertThat(registry.stop(LONG).isClean()).isTrue();
        await().atMost(LONG)
            .until(() -> Thread.getAllStackTraces()
                .keySet()
                .stream()
                .noneMatch(thread -> thread.getName().startsWith("critical-task-short-lived-")));
    }

}
