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

package dev.criticaltask.spring;

import java.time.Duration;
import java.util.Objects;

import dev.criticaltask.CriticalTaskRegistry;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a task with a heartbeat timeout went longer than the timeout without a
 * heartbeat, once per stall, on the registry's heartbeat monitor thread. Whether the
 * stall is only reported or treated as a failure is the task's
 * {@code heartbeat.on-stall}.
 */
public final class CriticalTaskStalledEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    /** The task's name. */
    private final String taskName;

    /** How long the task had gone without a heartbeat. */
    private final Duration silentFor;

    /**
     * Creates a new event.
     * @param source the registry of the task
     * @param taskName the task's name
     * @param silentFor how long the task had gone without a heartbeat
     */
    public CriticalTaskStalledEvent(CriticalTaskRegistry source, String taskName, Duration silentFor) {
        super(source);
        this.taskName = Objects.requireNonNull(taskName, "taskName must not be null");
        this.silentFor = Objects.requireNonNull(silentFor, "silentFor must not be null");
    }

    /**
     * The task's name.
     * @return the name
     */
    public String getTaskName() {
        return this.taskName;
    }

    /**
     * How long the task had gone without a heartbeat when the stall was found.
     * @return the silence
     */
    public Duration getSilentFor() {
        return this.silentFor;
    }

    @Override
    public CriticalTaskRegistry getSource() {
        return (CriticalTaskRegistry) super.getSource();
    }

}
