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

import dev.criticaltask.SupervisedAsyncTask;
import dev.criticaltask.TaskContext;
import org.reactivestreams.Publisher;

/**
 * A {@link ReactiveCriticalTask} that takes a {@link TaskContext}: for a pipeline that
 * says when it is ready ({@link TaskContext#ready()}), say once its first element
 * arrived, so that the tasks depending on it start only then and, with
 * {@code critical-task.tasks.<name>.startup.await-ready=true}, the application accepts
 * traffic only then. Otherwise it runs exactly as a {@code ReactiveCriticalTask} does.
 *
 * <pre>{@code
 * &#64;Bean
 * SupervisedReactiveTask quotes(QuoteReceiver receiver) {
 *     return context -> receiver.receive()
 *         .doOnNext(quote -> context.ready())      // ready once the first quote is in
 *         .concatMap(this::store);
 * }
 * }</pre>
 *
 * <p>
 * Run it on a registry with {@link #asAsync} and
 * {@link dev.criticaltask.CriticalTaskSpec#supervisedAsync}; with Spring Boot, declare it
 * as a bean. {@code ready()} may be called from any thread and any number of times.
 */
@FunctionalInterface
public interface SupervisedReactiveTask {

    /**
     * Assembles the work; it runs once the returned publisher is subscribed to.
     * @param context this attempt's token (cancelled when the task is asked to stop, at
     * which point the subscription is cancelled too), name, attempt number and ready
     * signal
     * @return the publisher whose termination ends the task; never {@code null}
     * @throws Exception a failure to assemble the work, handled as a failure of the task
     */
    Publisher<?> run(TaskContext context) throws Exception;

    /**
     * The task as a {@link SupervisedAsyncTask}, for
     * {@code CriticalTaskSpec.supervisedAsync("quotes", SupervisedReactiveTask.asAsync(task)).withAwaitReady(true)}.
     * @param task the reactive task; not {@code null}
     * @return an asynchronous task whose every {@code start} calls {@code run} with the
     * attempt's context and subscribes
     */
    static SupervisedAsyncTask asAsync(SupervisedReactiveTask task) {
        return new SupervisedReactiveTaskAdapter(Objects.requireNonNull(task, "task must not be null"));
    }

}
