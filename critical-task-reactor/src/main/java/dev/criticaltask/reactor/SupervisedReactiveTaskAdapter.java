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

package dev.criticaltask.reactor;

import java.util.concurrent.CompletionStage;

import dev.criticaltask.SupervisedAsyncTask;
import dev.criticaltask.TaskContext;

/**
 * Runs a {@link SupervisedReactiveTask} as a {@link SupervisedAsyncTask}: the same
 * subscription as a {@link ReactiveCriticalTask}'s ({@link ReactiveTaskAdapter}), with
 * the attempt's context handed to {@code run}.
 */
final class SupervisedReactiveTaskAdapter implements SupervisedAsyncTask {

    private final SupervisedReactiveTask task;

    SupervisedReactiveTaskAdapter(SupervisedReactiveTask task) {
        this.task = task;
    }

    @Override
    public CompletionStage<?> start(TaskContext context) throws Exception {
        return ReactiveTaskAdapter.subscribe(this.task.run(context), context.cancellation(), "SupervisedReactiveTask");
    }

    @Override
    public String toString() {
        return "SupervisedReactiveTaskAdapter[" + this.task + "]";
    }

}
