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

import java.util.List;

/**
 * What {@link CriticalTaskRegistry#stop(java.time.Duration)} found: every task that
 * outlived the grace period, each with the stack of its thread at the moment the grace
 * period ran out. Such a task was then interrupted; it may have ended after that, or may
 * still be running.
 *
 * @param unstopped the tasks that outlived the grace period, in the order they were
 * spawned
 */
public record StopReport(List<UnstoppedTask> unstopped) {

    /**
     * Copies the list, so the record stays immutable.
     * @param unstopped the tasks that outlived the grace period, in the order they were
     * spawned
     */
    public StopReport {
        unstopped = List.copyOf(unstopped);
    }

    /**
     * {@return whether every task stopped within the grace period}
     */
    public boolean isClean() {
        return unstopped.isEmpty();
    }

    /**
     * A multi-line description for a log: a line per straggler, then one
     * {@code \tat frame} line per stack frame, the way a stack trace prints.
     * @return the description; one line when every task stopped
     */
    public String describe() {
        if (unstopped.isEmpty()) {
            return "Every critical task stopped within the grace period";
        }
        StringBuilder text = new StringBuilder();
        text.append(unstopped.size())
            .append(unstopped.size() == 1 ? " critical task" : " critical tasks")
            .append(" did not stop within the grace period and ")
            .append(unstopped.size() == 1 ? "was" : "were")
            .append(" interrupted:");
        for (UnstoppedTask task : unstopped) {
            text.append(System.lineSeparator())
                .append("Critical task '")
                .append(task.name())
                .append("' was still running");
            if (task.stackTrace().isEmpty()) {
                text.append(" (no thread)");
            }
            for (StackTraceElement frame : task.stackTrace()) {
                text.append(System.lineSeparator()).append("\tat ").append(frame);
            }
        }
        return text.toString();
    }
}
