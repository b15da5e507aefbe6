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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.criticaltask.AsyncCriticalTask;
import dev.criticaltask.CancellationToken;
import dev.criticaltask.Registration;
import org.reactivestreams.Publisher;
import org.reactivestreams.Subscription;
import reactor.core.publisher.BaseSubscriber;
import reactor.core.publisher.Flux;

/**
 * Runs a {@link ReactiveCriticalTask} as an {@link AsyncCriticalTask}: each
 * {@link #start} calls {@code run} and subscribes to its publisher, and the returned
 * stage ends as the publisher does (see {@link ReactiveCriticalTask} for the contract).
 *
 * <p>
 * The only class that uses Reactor itself: none of its non-private signatures names a
 * Reactor type, so that a class calling it never needs Reactor to be verified.
 */
final class ReactiveTaskAdapter implements AsyncCriticalTask {

    private final ReactiveCriticalTask task;

    ReactiveTaskAdapter(ReactiveCriticalTask task) {
        this.task = task;
    }

    /**
     * Calls {@code run} and subscribes to its publisher.
     * @return a stage that completes when the publisher completes or the token is
     * cancelled, and completes exceptionally with what the publisher signals in
     * {@code onError}; however it ends, cancelled from outside included, the subscription
     * is cancelled
     * @throws Exception what {@code run} threw
     * @throws NullPointerException when {@code run} returned {@code null}
     */
    @Override
    public CompletionStage<?> start(CancellationToken cancellation) throws Exception {
        return subscribe(this.task.run(cancellation), cancellation, "ReactiveCriticalTask");
    }

    /**
     * Subscribes to a task's publisher for one attempt; shared with
     * {@link SupervisedReactiveTaskAdapter}.
     * @return the attempt's stage, as {@link #start} describes it
     * @throws NullPointerException when the task returned {@code null}
     */
    static CompletionStage<?> subscribe(Publisher<?> publisher, CancellationToken cancellation, String kind) {
        // a null from a lambda is a bug in the task: a failure like any other, with a
        // message that says which contract it broke
        if (publisher == null) {
            throw new NullPointerException(kind + ".run returned null instead of a Publisher");
        }
        TaskSubscriber subscriber = new TaskSubscriber();
        CompletableFuture<Void> outcome = subscriber.outcome;
        // However the stage ends (the publisher terminated, the token or a caller
        // cancelled it, a
        // caller completed it), nobody listens any more: cancel the subscription.
        // Disposing a
        // subscriber that has not been subscribed yet cancels the subscription as soon as
        // it comes.
        outcome.whenComplete((result, failure) -> subscriber.dispose());
        // Registered before subscribing: a token cancelled while a publisher is still
        // inside
        // subscribe (one that emits synchronously) must stop it too. Runs at once when
        // the token is
        // already cancelled. Ends the stage, not only the subscription, because a
        // cancelled
        // subscription sends no further signal: the stage would otherwise never end.
        // Completing it
        // normally after the token was cancelled is a graceful stop by
        // AsyncCriticalTask's contract.
        Registration onCancel = cancellation.onCancel(() -> outcome.complete(null));
        outcome.whenComplete((result, failure) -> onCancel.close());
        if (!outcome.isDone()) {
            // Flux.from keeps a Mono or a Flux as it is, and makes any other Publisher
            // obey Reactor's rules.
            Flux.from(publisher).subscribe(subscriber);
        }
        return outcome;
    }

    @Override
    public String toString() {
        return "ReactiveTaskAdapter[" + this.task + "]";
    }

    /**
     * Requests everything, ignores the values, and ends the stage on the first terminal
     * signal.
     */
    private static final class TaskSubscriber extends BaseSubscriber<Object> {

        private final CompletableFuture<Void> outcome = new CompletableFuture<>();

        @Override
        protected void hookOnSubscribe(Subscription subscription) {
            requestUnbounded();
        }

        @Override
        protected void hookOnNext(Object value) {
            // the values are the pipeline's business; only its termination matters to the
            // task
        }

        @Override
        protected void hookOnComplete() {
            this.outcome.complete(null);
        }

        @Override
        protected void hookOnError(Throwable failure) {
            this.outcome.completeExceptionally(failure);
        }

    }

}
