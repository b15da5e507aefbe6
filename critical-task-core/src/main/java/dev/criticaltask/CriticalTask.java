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

/**
 * Background work that must succeed or stop gracefully.
 *
 * <p>
 * The task receives its own cancellation token and should return soon after it is
 * cancelled, for example by checking {@link CancellationToken#isCancelled()} between
 * units of work or by blocking in {@link CancellationToken#await(java.time.Duration)}
 * instead of sleeping.
 *
 * <p>
 * How the run ends decides what happens next:
 * <ul>
 * <li>returning normally completes the task, or stops it gracefully when its token was
 * cancelled;
 * <li>throwing {@link InterruptedException} after its token was cancelled is a graceful
 * stop too;
 * <li>throwing anything else, a checked exception, an unchecked exception or an
 * {@link Error}, is a failure: the parent token is cancelled, so every sibling stops as
 * well.
 * </ul>
 */
@FunctionalInterface
public interface CriticalTask {

    /**
     * Runs the work until it is done or until {@code cancellation} is cancelled.
     * @param cancellation this task's own token: cancelled when the task is asked to stop
     * @throws Exception any failure; it cancels the parent token
     */
    void run(CancellationToken cancellation) throws Exception;

}
