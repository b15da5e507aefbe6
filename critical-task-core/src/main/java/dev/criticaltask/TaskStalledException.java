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

/** A task with a heartbeat timeout went longer than the timeout without a heartbeat. */
public class TaskStalledException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Duration silentFor;

    /**
     * Creates the stall of a task.
     * @param taskName the task
     * @param silentFor how long it had gone without a heartbeat
     * @param timeout its heartbeat timeout
     */
    public TaskStalledException(String taskName, Duration silentFor, Duration timeout) {
        super("Critical task '" + taskName + "' sent no heartbeat for " + silentFor.toMillis() + " ms (timeout "
                + timeout.toMillis() + " ms)");
        this.silentFor = silentFor;
    }

    /**
     * {@return how long the task had gone without a heartbeat when the stall was found}
     */
    public Duration silentFor() {
        return silentFor;
    }

}
