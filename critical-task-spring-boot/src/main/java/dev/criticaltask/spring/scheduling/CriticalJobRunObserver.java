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

import org.jspecify.annotations.Nullable;

/**
 * Hears each run of a critical job, around the method, on the thread that runs it (the
 * scheduler's for a {@code @Scheduled} method, the executor's for an {@code @Async} one),
 * so that what it opens there (an observation's scope, a logging context) is open while
 * the method runs. Set on {@link CriticalJobs#observeRuns(CriticalJobRunObserver)}.
 */
@FunctionalInterface
public interface CriticalJobRunObserver {

    /**
     * A run of {@code job} is about to call the method on the calling thread.
     * @param job the job
     * @return what hears the end of this run, on the same thread; never null
     */
    RunEnd runStarting(CriticalJob job);

    /** The end of one observed run. */
    @FunctionalInterface
    interface RunEnd {

        /**
         * The method returned, or threw {@code failure}, which the job then handles as it
         * always does. Called once, on the run's thread; what it throws is ignored.
         * @param failure what escaped the method, or {@code null} when it returned
         */
        void runEnded(@Nullable Throwable failure);

    }

}
