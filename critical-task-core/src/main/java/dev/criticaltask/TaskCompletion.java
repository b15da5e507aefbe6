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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;

/**
 * The end of a task as something to wait for: completed once its terminal state is
 * published, normally or with its {@link CriticalTaskFailedException}. What {@code join},
 * {@code stop} and the read-only {@link CriticalTaskHandle#completion()} stage wait on.
 * Dependent stages run on the thread that completes it: the one that ended the task.
 * Never handed out: only its read-only view.
 */
final class TaskCompletion extends CompletableFuture<Void> {

    @SuppressWarnings("rawtypes")
    private static final AtomicReferenceFieldUpdater<TaskCompletion, CompletionStage> VIEW = AtomicReferenceFieldUpdater
        .newUpdater(TaskCompletion.class, CompletionStage.class, "view");

    /** Made on first use: most tasks are joined, never asked for their stage. */
    private volatile @Nullable CompletionStage<Void> view;

    void end(@Nullable CriticalTaskFailedException failure) {
        if (failure != null) {
            completeExceptionally(failure);
        }
        else {
            complete(null);
        }
    }

    /** Waits for the end; a failure is not thrown. Returns false on time-out. */
    boolean await(long nanos) throws InterruptedException {
        try {
            if (nanos == Long.MAX_VALUE) {
                get(); // untimed: a timed park of a virtual thread arms (and then
                       // cancels) a timer
            }
            else {
                get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
            }
        }
        catch (ExecutionException failed) {
            // ended with a failure: join() throws it, await() only waits
        }
        catch (TimeoutException timedOut) {
            return false;
        }
        return true;
    }

    /**
     * A read-only stage: completing or cancelling it, or a future taken from it, changes
     * nothing here.
     */
    CompletionStage<Void> view() {
        CompletionStage<Void> existing = view;
        if (existing != null) {
            return existing;
        }
        CompletionStage<Void> made = minimalCompletionStage();
        return VIEW.compareAndSet(this, null, made) ? made : Objects.requireNonNull(view);
    }

}
