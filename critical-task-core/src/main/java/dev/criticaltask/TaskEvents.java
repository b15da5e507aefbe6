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

import java.time.Duration;
import java.util.List;

import jdk.jfr.FlightRecorder;
import org.jspecify.annotations.Nullable;

/**
 * Commits the JFR events of tasks ({@code dev.criticaltask.TaskFailed},
 * {@code TaskRestarted}, {@code TaskStalled}, {@code TaskStraggler}, category
 * {@code critical-task}). Until the flight recorder is started each call is one check;
 * afterwards, without a recording that enables them, one allocation the JIT removes and a
 * check of a flag: nothing is read or formatted. Each is committed after the log line of
 * the same event, which it never holds up. A runtime image built without the
 * {@code jdk.jfr} module gets no events and no error. Called on whatever thread sees the
 * event, under no lock; the task's thread is looked up (under its monitor, briefly) only
 * for an event that is recorded.
 */
final class TaskEvents {

    /** Whether {@code jdk.jfr} is in this runtime: a jlinked image may leave it out. */
    private static final boolean JFR = ModuleLayer.boot().findModule("jdk.jfr").isPresent();

    /**
     * Whether a recording may take events: the flight recorder has been started in this
     * JVM (on the command line, by {@code jcmd}, or through the API). Until then not even
     * the event classes are loaded: a first load instruments them, which takes long
     * enough to hold up the failure path it would run on.
     */
    private static boolean recorderStarted() {
        return JFR && FlightRecorder.isInitialized();
    }

    private TaskEvents() {
    }

    static void failed(String task, int attempt, int restarts, Throwable cause, TaskThread thread) {
        if (recorderStarted()) {
            Recorded.failed(task, attempt, restarts, cause, thread);
        }
    }

    static void restarted(String task, int attempt, int restarts, Throwable cause, Duration backoff,
            TaskThread thread) {
        if (recorderStarted()) {
            Recorded.restarted(task, attempt, restarts, cause, backoff, thread);
        }
    }

    static void stalled(StallReport stall, @Nullable Thread thread) {
        if (recorderStarted()) {
            Recorded.stalled(stall, thread);
        }
    }

    static void straggler(String task, int attempt, Duration grace, List<StackTraceElement> stack, TaskThread thread) {
        if (recorderStarted()) {
            Recorded.straggler(task, attempt, grace, stack, thread);
        }
    }

    /**
     * The events themselves, in a class of their own: the verifier loads every class a
     * method's body assigns or passes, so were these bodies in {@code TaskEvents}, its
     * first use (a task's first failure) would load the event classes whether a recorder
     * runs or not.
     */
    private static final class Recorded {

        private Recorded() {
        }

        static void failed(String task, int attempt, int restarts, Throwable cause, TaskThread thread) {
            TaskFailedEvent event = new TaskFailedEvent();
            if (event.isEnabled()) {
                fill(event, task, attempt, cause, thread.current());
                event.restarts = restarts;
                event.commit();
            }
        }

        static void restarted(String task, int attempt, int restarts, Throwable cause, Duration backoff,
                TaskThread thread) {
            TaskRestartedEvent event = new TaskRestartedEvent();
            if (event.isEnabled()) {
                fill(event, task, attempt, cause, thread.current());
                event.restarts = restarts;
                event.backoff = backoff.toNanos();
                event.commit();
            }
        }

        static void stalled(StallReport stall, @Nullable Thread thread) {
            TaskStalledEvent event = new TaskStalledEvent();
            if (event.isEnabled()) {
                fill(event, stall.taskName(), stall.attempt(), null, thread);
                event.silentFor = stall.silentFor().toNanos();
                event.timeout = stall.timeout().toNanos();
                event.onStall = stall.action().name();
                event.stack = frames(stall.stackTrace());
                event.commit();
            }
        }

        static void straggler(String task, int attempt, Duration grace, List<StackTraceElement> stack,
                TaskThread thread) {
            TaskStragglerEvent event = new TaskStragglerEvent();
            if (event.isEnabled()) {
                fill(event, task, attempt, null, thread.current());
                event.grace = CancellationToken.saturatedNanos(grace);
                event.stack = frames(stack);
                event.commit();
            }
        }

        private static void fill(TaskEvent event, String task, int attempt, @Nullable Throwable cause,
                @Nullable Thread thread) {
            event.taskName = task;
            event.attempt = attempt;
            event.causeClass = cause != null ? cause.getClass().getName() : null;
            event.thread = thread;
        }

        private static String frames(List<StackTraceElement> stack) {
            StringBuilder text = new StringBuilder();
            for (StackTraceElement frame : stack) {
                if (text.length() > 0) {
                    text.append('\n');
                }
                text.append(frame);
            }
            return text.toString();
        }

    }

}
