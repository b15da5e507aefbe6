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
 * An {@link AsyncCriticalTask} that takes a {@link TaskContext}: for asynchronous work
 * that says when it is ready ({@link TaskContext#ready()}), or wants its attempt number.
 * Otherwise it behaves exactly like an {@code AsyncCriticalTask}: the same outcomes of
 * its stage, the same threads, no thread held while the stage is pending. Spawn it with
 * {@link CriticalTaskSpec#supervisedAsync(String, SupervisedAsyncTask)}.
 *
 * <pre>{@code
 * CriticalTaskSpec.supervisedAsync("prices", context -> feed.connect(context.cancellation())
 *         .thenCompose(connection -> { context.ready(); return connection.closed(); }))
 *     .withAwaitReady(true);
 * }</pre>
 *
 * <p>
 * Its context's {@link TaskContext#heartbeat()} does nothing: an asynchronous task has no
 * thread whose stall a heartbeat could reveal.
 */
@FunctionalInterface
public interface SupervisedAsyncTask {

    /**
     * Starts the work and returns its stage without waiting for it.
     * @param context this attempt's token, name, attempt number and ready signal; its
     * {@link TaskContext#ready()} may be called from any thread, before or after this
     * method returns
     * @return the stage that completes when the work ends; never {@code null}
     * @throws Exception a failure to start, handled as a failure of the task
     */
    CompletionStage<?> start(TaskContext context) throws Exception;

}
