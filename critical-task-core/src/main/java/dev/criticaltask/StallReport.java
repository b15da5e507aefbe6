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
import java.time.Instant;
import java.util.List;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A missed heartbeat, as the supervision timer found it: which attempt, how long it had
 * been silent, and where the task's thread was at that moment. The stack is taken with
 * {@link Thread#getStackTrace()}, which sees virtual threads too (a {@code jcmd
 * Thread.print} does not list them). It is taken only while the thread still runs the
 * stalled attempt: one that has just ended has a report without a thread or stack.
 *
 * <p>
 * The stack is the task's code as it runs: it may name internal classes and arguments
 * shown in method names, never an exception message. The runtime logs it (at
 * {@code WARNING}), hands it to
 * {@link CriticalTaskListener#stalled(CriticalTaskHandle, StallReport) listeners}, and
 * keeps the latest one on the {@link CriticalTaskHandle#lastStall() handle}; whoever
 * shows it further decides who may see it. With {@link StallAction#REPORT} a task that
 * stays stalled is captured again at each check, at most once per heartbeat timeout; the
 * listeners hear of a stall once.
 *
 * @param taskName the task
 * @param attempt the attempt that missed its heartbeat, from 1
 * @param silentFor how long it had gone without a heartbeat
 * @param timeout its heartbeat timeout
 * @param action what the stall leads to
 * @param detectedAt when the stack was taken
 * @param threadName the name of the task's thread, or null when it held none
 * @param stackTrace where that thread was, innermost frame first; empty without a thread
 */
public record StallReport(String taskName, int attempt, Duration silentFor, Duration timeout, StallAction action,
        Instant detectedAt, @Nullable String threadName, List<StackTraceElement> stackTrace) {

    /**
     * Checks and copies the components.
     * @param taskName the task
     * @param attempt the attempt, from 1
     * @param silentFor how long it had been silent
     * @param timeout its heartbeat timeout
     * @param action what the stall leads to
     * @param detectedAt when the stack was taken
     * @param threadName the thread's name, or null
     * @param stackTrace the thread's stack; copied
     */
    public StallReport {
        Objects.requireNonNull(taskName, "taskName must not be null");
        Objects.requireNonNull(silentFor, "silentFor must not be null");
        Objects.requireNonNull(timeout, "timeout must not be null");
        Objects.requireNonNull(action, "action must not be null");
        Objects.requireNonNull(detectedAt, "detectedAt must not be null");
        stackTrace = List.copyOf(stackTrace);
    }

    /**
     * A multi-line description for a log: what was missed, then the thread's stack, one
     * frame per line, as a thread dump shows it.
     * @return the description
     */
    public String describe() {
        StringBuilder text = new StringBuilder("Critical task '").append(taskName)
            .append("' sent no heartbeat for ")
            .append(silentFor.toMillis())
            .append(" ms (timeout ")
            .append(timeout.toMillis())
            .append(" ms) on attempt ")
            .append(attempt)
            .append(action == StallAction.FAIL ? "; the attempt is failed and interrupted"
                    : "; reported only, until its next heartbeat");
        if (threadName == null) {
            return text.append("; its thread had just left the attempt").toString();
        }
        text.append("; thread '").append(threadName).append("' is at:");
        appendFrames(text, stackTrace);
        return text.toString();
    }

    /** Appends one {@code \n\tat frame} line per frame, as a thread dump does. */
    static void appendFrames(StringBuilder text, List<StackTraceElement> frames) {
        for (StackTraceElement frame : frames) {
            text.append("\n\tat ").append(frame);
        }
    }

}
