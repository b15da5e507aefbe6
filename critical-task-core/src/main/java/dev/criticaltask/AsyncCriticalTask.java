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

import java.util.concurrent.CompletionStage;

/**
 * A critical task whose work runs asynchronously: {@link #start} returns at once with a
 * {@link CompletionStage}, and the task lasts until that stage completes. The registry
 * holds no thread while the stage is pending. Spawn it with
 * {@link CriticalTaskRegistry#spawnAsync} or {@link CriticalTaskSpec#async}.
 *
 * <p>
 * How the stage ends decides what happens next, as the return or throw of a
 * {@link CriticalTask} does:
 * <ul>
 * <li>completing normally completes the task, or stops it gracefully when its token was
 * cancelled;
 * <li>completing with a {@link java.util.concurrent.CancellationException} after the
 * token was cancelled is a graceful stop too;
 * <li>completing exceptionally otherwise is a failure (a
 * {@link java.util.concurrent.CompletionException} is unwrapped to its cause), and so are
 * {@code start} throwing and {@code start} returning {@code null}: the restart policy
 * decides, then the parent token is cancelled.
 * </ul>
 *
 * <p>
 * When the token is cancelled, the stage is cancelled through
 * {@link CompletionStage#toCompletableFuture()}. A stage that cannot be cancelled that
 * way (one whose {@code toCompletableFuture} is a copy or unsupported) must watch the
 * token itself; if it never completes, the task is reported as unstopped, without a
 * stack, when the registry stops.
 *
 * <p>
 * A restart calls {@code start} again, with a fresh token, after the policy's backoff. An
 * asynchronous task has no {@link TaskContext}, and so no heartbeat.
 *
 * <p>
 * Threads: {@code start} runs on a task thread of the registry (a new one for each
 * attempt); what follows the stage's end (the restart decision, the log, the listeners)
 * runs on the thread that completed the stage, or on the one that cancelled the token, as
 * the <a href="CriticalTaskListener.html#threads">thread rules</a> state. Complete the
 * stage outside locks that a {@link CriticalTaskListener} might need.
 */
@FunctionalInterface
public interface AsyncCriticalTask {

    /**
     * Starts the work and returns its stage without waiting for it.
     * @param cancellation this attempt's own token: cancelled when the task is asked to
     * stop
     * @return the stage that completes when the work ends; never {@code null}
     * @throws Exception a failure to start, handled as a failure of the task
     */
    CompletionStage<?> start(CancellationToken cancellation) throws Exception;

}
