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
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.criticaltask.testsupport.SilentLogger;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordingFile;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The JFR events of a failure, a restart, a stall and a straggler, read back from a real
 * recording file, field by field.
 */
@Tag("core")
class TaskEventsTest {

    private static final List<String> EVENTS = List.of("dev.criticaltask.TaskFailed", "dev.criticaltask.TaskRestarted",
            "dev.criticaltask.TaskStalled", "dev.criticaltask.TaskStraggler");

    @TempDir
    Path directory;

    @Test
    void aFailureIsRecordedWithItsTaskAttemptCauseAndThread() throws Exception {
        List<RecordedEvent> events = record(() -> {
            try (CriticalTaskRegistry registry = quietRegistry()) {
                awaitEnd(registry.spawn("jfr-failing", token -> {
                    throw new IOException("disk gone");
                }));
            }
        });

        RecordedEvent failed = only(events, "dev.criticaltask.TaskFailed");
        assertThat(failed.getEventType().getCategoryNames()).containsExactly("critical-task");
        assertThat(failed.getString("taskName")).isEqualTo("jfr-failing");
        assertThat(failed.getInt("attempt")).isEqualTo(1);
        assertThat(failed.getInt("restarts")).isZero();
        assertThat(failed.getString("causeClass")).isEqualTo(IOException.class.getName());
        assertThat(failed.getThread("thread").getJavaName()).isEqualTo("critical-task-jfr-failing");
        assertThat(failed.toString()).doesNotContain("disk gone");
    }

    @Test
    void aRestartIsRecordedForTheAttemptThatFailedWithItsBackoff() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        List<RecordedEvent> events = record(() -> {
            try (CriticalTaskRegistry registry = quietRegistry()) {
                awaitEnd(registry.spawn(CriticalTaskSpec.of("jfr-flaky", token -> {
                    if (runs.incrementAndGet() == 1) {
                        throw new IllegalStateException("once");
                    }
                })
                    .withRestartPolicy(RestartPolicy.limited(3, Duration.ofMinutes(1))
                        .withBackoff(Duration.ofMillis(20), Duration.ofMillis(20)))));
            }
        });

        RecordedEvent restarted = only(events, "dev.criticaltask.TaskRestarted");
        assertThat(restarted.getString("taskName")).isEqualTo("jfr-flaky");
        assertThat(restarted.getInt("attempt")).isEqualTo(1);
        assertThat(restarted.getInt("restarts")).isEqualTo(1);
        assertThat(restarted.getString("causeClass")).isEqualTo(IllegalStateException.class.getName());
        assertThat(restarted.getDuration("backoff")).isEqualTo(Duration.ofMillis(20));
        assertThat(restarted.getThread("thread").getJavaName()).isEqualTo("critical-task-jfr-flaky");
        assertThat(events).noneMatch(event -> event.getEventType().getName().equals("dev.criticaltask.TaskFailed"));
    }

    @Test
    void aStallIsRecordedWithTheStuckThreadAndItsStack() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<RecordedEvent> events = record(() -> {
            try (CriticalTaskRegistry registry = quietRegistry()) {
                CountDownLatch heard = new CountDownLatch(1);
                registry.addListener(new CriticalTaskListener() {
                    @Override
                    public void stalled(CriticalTaskHandle task, StallReport stall) {
                        heard.countDown(); // the event is committed before the listeners
                                           // hear
                    }
                });
                CriticalTaskHandle handle = registry
                    .spawn(CriticalTaskSpec.supervised("jfr-stalling", context -> waitWithoutHeartbeat(release))
                        .withHeartbeat(Duration.ofMillis(50), StallAction.REPORT));
                // released only once the event is in: a thread that has ended is not
                // named
                assertThat(heard.await(10, TimeUnit.SECONDS)).isTrue();
                release.countDown();
                awaitEnd(handle);
            }
        });

        RecordedEvent stalled = only(events, "dev.criticaltask.TaskStalled");
        assertThat(stalled.getString("taskName")).isEqualTo("jfr-stalling");
        assertThat(stalled.getInt("attempt")).isEqualTo(1);
        assertThat(stalled.getString("causeClass")).isNull();
        assertThat(stalled.getThread("thread").getJavaName()).isEqualTo("critical-task-jfr-stalling");
        assertThat(stalled.getDuration("timeout")).isEqualTo(Duration.ofMillis(50));
        assertThat(stalled.getDuration("silentFor")).isGreaterThanOrEqualTo(Duration.ofMillis(50));
        assertThat(stalled.getString("onStall")).isEqualTo("REPORT");
        assertThat(stalled.getString("stack")).contains("TaskEventsTest.waitWithoutHeartbeat");
        assertThat(stalled.getThread().getJavaName()).isEqualTo("dev.criticaltask.supervision-timer");
    }

    @Test
    void aStragglerIsRecordedWhenTheGraceRunsOutWithItsStack() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        List<RecordedEvent> events = record(() -> {
            CriticalTaskRegistry registry = CriticalTaskRegistry.builder()
                .logger(SilentLogger.discarding())
                .interruptWait(Duration.ofMillis(50))
                .build();
            CriticalTaskHandle handle = registry.spawn("jfr-stubborn", token -> {
                running.countDown();
                ignoreCancellation(release);
            });
            running.await();
            StopReport report = registry.stop(Duration.ofMillis(50));
            assertThat(report.unstopped()).extracting(UnstoppedTask::name).containsExactly("jfr-stubborn");
            release.countDown();
            awaitEnd(handle);
        });

        RecordedEvent straggler = only(events, "dev.criticaltask.TaskStraggler");
        assertThat(straggler.getString("taskName")).isEqualTo("jfr-stubborn");
        assertThat(straggler.getInt("attempt")).isEqualTo(1);
        assertThat(straggler.getThread("thread").getJavaName()).isEqualTo("critical-task-jfr-stubborn");
        assertThat(straggler.getDuration("grace")).isEqualTo(Duration.ofMillis(50));
        assertThat(straggler.getString("stack")).contains("TaskEventsTest.ignoreCancellation");
    }

    @Test
    void withoutARecordingNothingIsCommittedAndTasksRunAsBefore() throws Exception {
        try (CriticalTaskRegistry registry = quietRegistry()) {
            CriticalTaskHandle handle = registry.spawn("unrecorded", token -> {
                throw new IOException("down");
            });
            awaitEnd(handle);
            assertThat(handle.state()).isEqualTo(TaskState.FAILED);
        }
        assertThat(new TaskFailedEvent().isEnabled()).isFalse();
    }

    /**
     * "Nothing until a recorder is started" is about class loading, which only the JVM
     * can tell: a child JVM restarts and then fails a task, and its class-load log must
     * not name the event classes; started with a recording, the same program loads them
     * (so the check can fail).
     */
    @Test
    @Tag("child-jvm")
    void withoutARecorderTheEventClassesAreNeverLoaded() throws Exception {
        String quiet = ChildJvm.run(FailingTwice.class, "-Xlog:class+load=info:stdout");
        assertThat(quiet).contains("FAILED").contains("dev.criticaltask.TaskEvents ");
        assertThat(quiet).doesNotContain("dev.criticaltask.TaskFailedEvent")
            .doesNotContain("dev.criticaltask.TaskRestartedEvent");

        String recorded = ChildJvm.run(FailingTwice.class, "-Xlog:class+load=info:stdout", "-XX:StartFlightRecording");
        assertThat(recorded).contains("FAILED")
            .contains("dev.criticaltask.TaskFailedEvent")
            .contains("dev.criticaltask.TaskRestartedEvent");
    }

    /**
     * The child JVM: a task that fails, is restarted once, and fails for good. It refers
     * to nothing of the enclosing test, whose own references would load the event
     * classes.
     */
    static final class FailingTwice {

        public static void main(String[] args) throws Exception {
            try (CriticalTaskRegistry registry = CriticalTaskRegistry.builder()
                .logger(SilentLogger.discarding())
                .build()) {
                CriticalTaskHandle handle = registry.spawn(CriticalTaskSpec.of("twice", token -> {
                    throw new IOException("down");
                })
                    .withRestartPolicy(RestartPolicy.limited(1, Duration.ofMinutes(1))
                        .withBackoff(Duration.ofMillis(1), Duration.ofMillis(1))));
                try {
                    handle.join();
                }
                catch (CriticalTaskFailedException expected) {
                    // the second failure escalated, as planned
                }
                System.out.println(handle.state());
            }
        }

    }

    private static void waitWithoutHeartbeat(CountDownLatch release) throws InterruptedException {
        release.await();
    }

    /** Waits for the latch however often it is interrupted, as a stubborn task does. */
    private static void ignoreCancellation(CountDownLatch release) {
        while (release.getCount() > 0) {
            try {
                release.await();
            }
            catch (InterruptedException ignored) {
                // stubborn
            }
        }
    }

    private static CriticalTaskRegistry quietRegistry() {
        return CriticalTaskRegistry.builder().logger(SilentLogger.discarding()).build();
    }

    private static void awaitEnd(CriticalTaskHandle handle) throws InterruptedException {
        assertThat(handle.run().awaitDone(Duration.ofSeconds(10).toNanos())).isTrue();
    }

    private List<RecordedEvent> record(Scenario scenario) throws Exception {
        Path file = directory.resolve("events.jfr");
        try (Recording recording = new Recording()) {
            for (String event : EVENTS) {
                recording.enable(event);
            }
            recording.start();
            scenario.run();
            recording.stop();
            recording.dump(file);
        }
        assertThat(Files.size(file)).isPositive();
        return RecordingFile.readAllEvents(file)
            .stream()
            .filter(event -> EVENTS.contains(event.getEventType().getName()))
            .collect(Collectors.toList());
    }

    private static RecordedEvent only(List<RecordedEvent> events, String name) {
        List<RecordedEvent> named = events.stream()
            .filter(event -> event.getEventType().getName().equals(name))
            .collect(Collectors.toList());
        assertThat(named).as("%s events in %s", name, events).hasSize(1);
        return named.get(0);
    }

    @FunctionalInterface
    private interface Scenario {

        void run() throws Exception;

    }

}
