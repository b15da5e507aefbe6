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
import dev.criticaltask.StallReport;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a task with a heartbeat timeout went longer than the timeout without a
 * heartbeat, once per stall, on the registry's heartbeat monitor thread. Whether the
 * stall is only reported or treated as a failure is the task's
 * {@code heartbeat.on-stall}. The event carries the {@link StallReport}: where the task's
 * thread was when the stall was found, its stack included. That stack is the listener's
 * to show or not: the starter itself shows it in the {@code WARN} log and, where
 * {@code show-details} allows, in the {@code criticaltasks} endpoint.
 */
public final class CriticalTaskStalledEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    /** The task's name. */
    private final String taskName;

    /** How long the task had gone without a heartbeat. */
    private final Duration silentFor;

    /** The stall with its stack; null when the publisher had none. */
    private final transient @Nullable StallReport stall;

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
        this.stall = null;
    }

    /**
     * Creates a new event for a stall as the registry found it.
     * @param source the registry of the task
     * @param stall the stall, with the task's name and its thread's stack
     */
    public CriticalTaskStalledEvent(CriticalTaskRegistry source, StallReport stall) {
        super(source);
        this.stall = Objects.requireNonNull(stall, "stall must not be null");
        this.taskName = stall.taskName();
        this.silentFor = stall.silentFor();
    }

    /**
     * The stall as the registry found it: the attempt, and where the task's thread was.
     * @return the stall, or {@code null} for an event created without one
     */
    public @Nullable StallReport getStall() {
        return this.stall;
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
