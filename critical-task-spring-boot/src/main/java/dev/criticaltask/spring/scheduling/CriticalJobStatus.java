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

package dev.criticaltask.spring.scheduling;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

import org.jspecify.annotations.Nullable;

/**
 * What is known about one critical job (a {@link Critical critical} {@code @Scheduled} or
 * {@code @Async} method) at one moment: an immutable snapshot from {@link CriticalJobs}.
 *
 * <p>
 * It never holds an exception's message, only its class name: a message can carry
 * anything the failing code put into it, and this snapshot is shown wherever the task's
 * state is.
 *
 * @param name the name of the job's critical task
 * @param trigger what runs the method
 * @param beanName the bean that declares the method
 * @param method the method, as {@code SimpleClassName.method(ParameterTypes)}
 * @param schedule how the scheduler runs it (such as {@code fixed delay PT5S} or
 * {@code cron 0 * * * * *}, several separated by {@code ; }); {@code null} for an
 * {@code @Async} method, or when the scheduler has not registered it
 * @param nextRunAt when the scheduler runs it next; {@code null} when Spring does not
 * know (a run is under way or overdue, or the job is not scheduled) or it never runs
 * again
 * @param lastRunStartedAt when the latest run started; {@code null} before the first run
 * @param lastRunDuration how long the latest run took; {@code null} before it ended
 * @param lastOutcome how the latest run ended, or {@link Outcome#RUNNING}; {@code null}
 * before the first run
 * @param lastFailure the class name of the latest exception that escaped a run;
 * {@code null} if none did
 * @param runs how many runs started
 * @param failures how many runs ended with an exception
 */
public record CriticalJobStatus(String name, Trigger trigger, String beanName, String method, @Nullable String schedule,
        @Nullable Instant nextRunAt, @Nullable Instant lastRunStartedAt, @Nullable Duration lastRunDuration,
        @Nullable Outcome lastOutcome, @Nullable String lastFailure, long runs, long failures) {

    /**
     * Creates a snapshot, checking the components that must not be {@code null}.
     * @param name the name of the job's critical task
     * @param trigger what runs the method
     * @param beanName the bean that declares the method
     * @param method the method, as {@code SimpleClassName.method(ParameterTypes)}
     * @param schedule how the scheduler runs it; {@code null} for an {@code @Async}
     * method
     * @param nextRunAt when the scheduler runs it next; {@code null} when unknown
     * @param lastRunStartedAt when the latest run started; {@code null} before the first
     * @param lastRunDuration how long the latest run took; {@code null} before it ended
     * @param lastOutcome how the latest run ended; {@code null} before the first
     * @param lastFailure the class name of the latest exception that escaped a run
     * @param runs how many runs started
     * @param failures how many runs ended with an exception
     */
    public CriticalJobStatus {
        Objects.requireNonNull(name, "name must not be null");
        Objects.requireNonNull(trigger, "trigger must not be null");
        Objects.requireNonNull(beanName, "beanName must not be null");
        Objects.requireNonNull(method, "method must not be null");
    }

    /** What runs a critical job's method. */
    public enum Trigger {

        /** A {@code @Scheduled} method, run by a task scheduler. */
        SCHEDULED,

        /**
         * An {@code @Async} method that returns {@code void}, run on an executor for each
         * call.
         */
        ASYNC

    }

    /** How a run ended. */
    public enum Outcome {

        /** The run has not ended yet. */
        RUNNING,

        /** The method returned. */
        SUCCESS,

        /** An exception escaped the method. */
        FAILURE

    }

}
