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

import java.util.Objects;

import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskRegistry;

import org.springframework.context.ApplicationEvent;

/**
 * Published once per application context when the first critical task fails, before
 * liveness turns {@code BROKEN} and the context is closed. By the time listeners hear it,
 * the root token is already cancelled, so every other task is stopping.
 *
 * <p>
 * Later failures (siblings that fail while they stop) are logged but not published again.
 */
public final class CriticalTaskFailedEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    /** The failure, which names the task and carries its cause. */
    private final CriticalTaskFailedException failure;

    /**
     * Creates a new event.
     * @param source the registry whose task failed
     * @param failure the failure, which names the task and carries its cause
     */
    public CriticalTaskFailedEvent(CriticalTaskRegistry source, CriticalTaskFailedException failure) {
        super(source);
        this.failure = Objects.requireNonNull(failure, "failure must not be null");
    }

    /**
     * The name of the task that failed: its bean name, or the name it was spawned with.
     * @return the task's name
     */
    public String getTaskName() {
        return this.failure.taskDescription();
    }

    /**
     * What the task threw.
     * @return the task's own throwable
     */
    public Throwable getCause() {
        return Objects.requireNonNull(this.failure.getCause());
    }

    /**
     * The failure as the registry recorded it; also the reason of the cancelled root
     * token.
     * @return the failure
     */
    public CriticalTaskFailedException getFailure() {
        return this.failure;
    }

    @Override
    public CriticalTaskRegistry getSource() {
        return (CriticalTaskRegistry) super.getSource();
    }

}
