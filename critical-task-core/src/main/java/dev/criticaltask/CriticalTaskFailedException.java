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

import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * A critical task ended by throwing. {@link #getCause()} is the task's own throwable.
 *
 * <p>
 * The message names the task and says whether it <em>failed</em> (it threw a checked
 * exception) or <em>crashed</em> (it threw an unchecked exception or an {@link Error}),
 * mirroring the Rust original's "failed" and "panicked". It is built the first time it is
 * read, since it calls the cause's {@code toString()}: making the failure (which must
 * happen before the parent is cancelled) runs no user code.
 *
 * <p>
 * The same instance is the reason of the cancelled parent token, is thrown by
 * {@link CriticalTaskHandle#join()}, completes {@link CriticalTaskHandle#completion()}
 * exceptionally and is the registry's {@link CriticalTaskRegistry#firstFailure()}, so a
 * sibling can tell "a sibling failed" from "shut down" by looking at its token's
 * {@link CancellationToken#reason()}. It carries no stack trace of its own: the cause's
 * stack is where the failure happened.
 */
public class CriticalTaskFailedException extends RuntimeException {

    /** The version of the serialized form. */
    private static final long serialVersionUID = 1L;

    /** The name or description of the task that threw. */
    private final String taskDescription;

    /**
     * Built on first use: it calls the cause's {@code toString}, which is user code, and
     * the failure must cancel the parent before anything runs that the siblings' wake-up
     * does not need.
     */
    private volatile @Nullable String message;

    /**
     * Creates the failure of a task.
     * @param taskDescription the task's name or description
     * @param cause what the task threw
     */
    public CriticalTaskFailedException(String taskDescription, Throwable cause) {
        super(null, requireArguments(taskDescription, cause), true, false);
        this.taskDescription = taskDescription;
    }

    /**
     * {@return the name or description of the task that threw}
     */
    public String taskDescription() {
        return taskDescription;
    }

    /**
     * {@return whether the task crashed (unchecked exception or {@link Error}) rather
     * than failed}
     */
    public boolean isCrash() {
        return isCrash(getCause());
    }

    /**
     * The task's name, "failed" or "crashed", and the cause's {@code toString()}: built
     * the first time it is asked for, not when the failure is made.
     */
    @Override
    public String getMessage() {
        String text = message;
        if (text == null) {
            // two threads may build it at once: they build the same text
            text = "Critical task '" + taskDescription + "' " + (isCrash() ? "crashed" : "failed") + ": " + getCause();
            message = text;
        }
        return text;
    }

    /**
     * The one log line of an escalated failure, beside the failure itself: the task,
     * "failed" or "crashed", the cause's class and how many restarts came before. Not the
     * cause's message, which the logged failure prints once, on its own line; and so no
     * user code (the cause's {@code toString}) either.
     */
    String logLine(int restarts) {
        return "Critical task '" + taskDescription + "' " + (isCrash() ? "crashed" : "failed") + ": "
                + getCause().getClass().getName()
                + (restarts == 0 ? "" : restarts == 1 ? " (after 1 restart)" : " (after " + restarts + " restarts)");
    }

    static boolean isCrash(Throwable thrown) {
        return thrown instanceof RuntimeException || thrown instanceof Error;
    }

    private static Throwable requireArguments(String taskDescription, Throwable cause) {
        Objects.requireNonNull(taskDescription, "taskDescription must not be null");
        return Objects.requireNonNull(cause, "cause must not be null");
    }

}
