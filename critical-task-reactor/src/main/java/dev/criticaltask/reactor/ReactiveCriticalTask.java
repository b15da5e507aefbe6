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

import java.util.Objects;

import dev.criticaltask.AsyncCriticalTask;
import dev.criticaltask.CancellationToken;
import org.reactivestreams.Publisher;

/**
 * A critical task whose work is a Reactor pipeline. Run it on a registry with
 * {@link #asAsync}; with Spring Boot, declare it as a bean and the auto-configuration
 * runs it under its bean name, as it does a {@link dev.criticaltask.CriticalTask} bean
 * (without Reactor itself on the class path, such a bean fails start-up instead of being
 * ignored).
 *
 * <pre>{@code
 * &#64;Bean
 * ReactiveCriticalTask orderEvents(OrderEventReceiver receiver) {
 *     return token -> receiver.receive().concatMap(this::handle);   // a Flux, or a Mono
 * }
 * }</pre>
 *
 * <p>
 * It runs as an {@link AsyncCriticalTask}: no thread is held while the publisher is
 * pending, and its signals decide the task's outcome:
 * <ul>
 * <li>When the task starts, {@link #run} is called and its publisher subscribed to, with
 * an unbounded demand; the values it emits are ignored. A restart (see
 * {@code critical-task.tasks.<name>.restart.*}) calls {@code run} again and subscribes to
 * the new publisher.
 * <li>{@code onComplete} completes the task ({@code COMPLETED}), which alone shuts
 * nothing down. That holds for a {@code Flux} that was meant to be endless too: make such
 * an end a failure in the pipeline, for example with
 * {@code .then(Mono.error(() -> new IllegalStateException("stream ended")))}.
 * <li>{@code onError} is a failure of the task, with the signalled throwable as its
 * cause; so are {@code run} throwing and {@code run} returning {@code null}.
 * <li>Cancelling the token (a sibling failed, or the application is stopping) cancels the
 * subscription, and the task stops gracefully ({@code CANCELLED}); signals that arrive
 * after that are not the task's outcome (Reactor drops them).
 * </ul>
 *
 * <p>
 * {@code run} is called, and the publisher subscribed to, on the thread that starts the
 * task. A publisher that does blocking work when subscribed to must move it to a
 * scheduler of its own ({@code subscribeOn}), as any Reactor code that must not block its
 * caller. A task of this kind has no {@link dev.criticaltask.TaskContext}, and so no
 * heartbeat.
 */
@FunctionalInterface
public interface ReactiveCriticalTask {

    /**
     * Assembles the work; it runs once the returned publisher is subscribed to.
     * @param cancellation this attempt's own token: cancelled when the task is asked to
     * stop, at which point the subscription is cancelled too
     * @return the publisher whose termination ends the task, usually a {@code Mono} or a
     * {@code Flux}; never {@code null}
     * @throws Exception a failure to assemble the work, handled as a failure of the task
     */
    Publisher<?> run(CancellationToken cancellation) throws Exception;

    /**
     * The task as an {@link AsyncCriticalTask}, for spawning it at run time:
     * {@code registry.spawnAsync("events", ReactiveCriticalTask.asAsync(token -> receiver.receive()))}.
     * Beans need no such call: the Spring Boot auto-configuration adapts them itself.
     * @param task the reactive task; not {@code null}
     * @return an asynchronous task whose every {@code start} calls {@code run} and
     * subscribes
     */
    static AsyncCriticalTask asAsync(ReactiveCriticalTask task) {
        return new ReactiveTaskAdapter(Objects.requireNonNull(task, "task must not be null"));
    }

}
