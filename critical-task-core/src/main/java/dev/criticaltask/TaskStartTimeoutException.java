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

/**
 * A task that awaits its ready signal ({@link CriticalTaskSpec#withAwaitReady(boolean)})
 * did not call {@link TaskContext#ready()} within its start-up timeout
 * ({@link CriticalTaskSpec#withStartupTimeout(Duration)}). It is the cause of the
 * attempt's failure, which goes through the task's restart policy like any other, and
 * then escalates.
 */
public final class TaskStartTimeoutException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Duration timeout;

    /**
     * Creates the time-out of a task's start.
     * @param taskName the task
     * @param attempt which attempt did not become ready
     * @param timeout its start-up timeout
     */
    public TaskStartTimeoutException(String taskName, int attempt, Duration timeout) {
        super("Critical task '" + taskName + "' was not ready within its start-up timeout of " + timeout.toMillis()
                + " ms (attempt " + attempt + ")");
        this.timeout = timeout;
    }

    /**
     * {@return the start-up timeout the task did not meet}
     */
    public Duration timeout() {
        return timeout;
    }

}
