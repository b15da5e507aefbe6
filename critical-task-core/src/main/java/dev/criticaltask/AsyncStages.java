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
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

import org.jspecify.annotations.Nullable;

/**
 * What an {@link AsyncCriticalTask}'s stage means to the task: shared by its two ways of
 * running.
 */
final class AsyncStages {

    private AsyncStages() {
    }

    /**
     * Calls {@code start}, refusing a null stage with a message that names the task's
     * contract.
     */
    static CompletionStage<?> start(SupervisedAsyncTask task, TaskContext context) throws Exception {
        return Objects.requireNonNull(task.start(context),
                "AsyncCriticalTask.start returned null instead of a CompletionStage");
    }

    /** Cancels the stage where it can be; one that cannot must watch its token itself. */
    static void cancel(CompletionStage<?> stage) {
        try {
            stage.toCompletableFuture().cancel(false);
        }
        catch (UnsupportedOperationException notCancellable) {
            // documented on AsyncCriticalTask: such a stage watches the token itself
        }
    }

    /**
     * The failure a stage ended with, or null when it ended in a way that is not a
     * failure: normally, or cancelled once its token was.
     */
    static @Nullable Throwable failureOf(@Nullable Throwable outcome, CancellationToken cancellation) {
        if (outcome == null) {
            return null;
        }
        Throwable cause = outcome;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof CancellationException && cancellation.isCancelled()) {
            return null;
        }
        return cause;
    }

    /**
     * The blocking equivalent of running the task: starts it, cancels its stage when the
     * token is cancelled, and waits for the stage on the calling thread.
     */
    static void runBlocking(SupervisedAsyncTask task, TaskContext context) throws Exception {
        CancellationToken cancellation = context.cancellation();
        CompletionStage<?> stage = start(task, context);
        // the outcome as a value, so that get() never throws what the stage ended with
        CompletableFuture<@Nullable Throwable> outcome = new CompletableFuture<>();
        stage.whenComplete((result, thrown) -> outcome.complete(thrown));
        Throwable ended;
        try (Registration cancelStage = cancellation.onCancel(() -> cancel(stage))) {
            ended = outcome.get();
        }
        catch (InterruptedException interrupted) {
            cancel(stage);
            throw interrupted;
        }
        Throwable failure = failureOf(ended, cancellation);
        if (failure instanceof Exception exception) {
            throw exception;
        }
        if (failure instanceof Error error) {
            throw error;
        }
        if (failure != null) {
            throw new ExecutionException(failure);
        }
    }

}
