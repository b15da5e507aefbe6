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
 * Published when a task failed and its restart policy runs it again; the root token is
 * not cancelled. Published on the task's own thread, before the backoff.
 */
public final class CriticalTaskRestartedEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    /** The task's name. */
    private final String taskName;

    /** What the failed attempt threw; not serialized, as it may not be serializable. */
    private final transient Throwable cause;

    /** How many times the task has been restarted, this restart included. */
    private final int restarts;

    /** How long the task waits before it runs again. */
    private final Duration backoff;

    /**
     * Creates a new event.
     * @param source the registry of the task
     * @param taskName the task's name
     * @param cause what the failed attempt threw
     * @param restarts how many times the task has been restarted, this restart included
     * @param backoff how long the task waits before it runs again
     */
    public CriticalTaskRestartedEvent(CriticalTaskRegistry source, String taskName, Throwable cause, int restarts,
            Duration backoff) {
        super(source);
        this.taskName = Objects.requireNonNull(taskName, "taskName must not be null");
        this.cause = Objects.requireNonNull(cause, "cause must not be null");
        this.restarts = restarts;
        this.backoff = Objects.requireNonNull(backoff, "backoff must not be null");
    }

    /**
     * The task's name.
     * @return the name
     */
    public String getTaskName() {
        return this.taskName;
    }

    /**
     * What the failed attempt threw.
     * @return the throwable
     */
    public Throwable getCause() {
        return this.cause;
    }

    /**
     * How many times the task has been restarted, this restart included.
     * @return the number of restarts
     */
    public int getRestarts() {
        return this.restarts;
    }

    /**
     * How long the task waits before it runs again.
     * @return the backoff
     */
    public Duration getBackoff() {
        return this.backoff;
    }

    @Override
    public CriticalTaskRegistry getSource() {
        return (CriticalTaskRegistry) super.getSource();
    }

}
