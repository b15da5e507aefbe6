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
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * The work of a task, as it was given: a plain {@link CriticalTask}, a
 * {@link SupervisedTask} (which takes a {@link TaskContext}, and so can send heartbeats)
 * or an {@link AsyncCriticalTask} (which holds no thread while its stage is pending). The
 * two blocking kinds run one attempt per call of {@link #run}, on the calling thread; an
 * asynchronous body is started by {@link AsyncAttempts} instead, and {@link #run} is only
 * its blocking equivalent.
 */
sealed interface TaskBody permits TaskBody.Plain, TaskBody.Supervised, TaskBody.Async, TaskBody.Decorated {

    /** Runs one attempt on the calling thread until it ends. */
    void run(TaskContext context) throws Exception;

    /** The work as a {@link SupervisedTask}: the task itself, or a view that runs it. */
    default SupervisedTask asSupervised() {
        return this::run;
    }

    /** Whether the work takes a {@link TaskContext}, and so can send heartbeats. */
    default boolean canHeartbeat() {
        return this instanceof Supervised;
    }

    /**
     * Whether the work takes a {@link TaskContext}, and so can say when it is ready.
     */
    default boolean canSignalReady() {
        return this instanceof Supervised || (this instanceof Async async && async.takesContext());
    }

    /** What kind of work this is, for messages: "a plain CriticalTask", say. */
    String kind();

    /** A {@link CriticalTask}: it receives its attempt's token, no context. */
    record Plain(CriticalTask task) implements TaskBody {

        @Override
        public void run(TaskContext context) throws Exception {
            task.run(context.cancellation());
        }

        @Override
        public String kind() {
            return "a plain CriticalTask";
        }
    }

    /** A {@link SupervisedTask}: it receives its attempt's context. */
    record Supervised(SupervisedTask task) implements TaskBody {

        @Override
        public void run(TaskContext context) throws Exception {
            task.run(context);
        }

        @Override
        public SupervisedTask asSupervised() {
            return task;
        }

        @Override
        public String kind() {
            return "a SupervisedTask";
        }
    }

    /**
     * An {@link AsyncCriticalTask} or a {@link SupervisedAsyncTask} (the former seen as
     * the latter): run without a thread while its stage is pending.
     */
    record Async(SupervisedAsyncTask task, @Nullable AsyncCriticalTask plain) implements TaskBody {

        static Async of(AsyncCriticalTask task) {
            return new Async(context -> task.start(context.cancellation()), task);
        }

        static Async of(SupervisedAsyncTask task) {
            return new Async(task, null);
        }

        /** Whether the task takes a context (a {@link SupervisedAsyncTask}). */
        boolean takesContext() {
            return plain == null;
        }

        /**
         * The work wrapped by {@code decorator}: a plain task once, now; one that takes a
         * context once per attempt, around a view of it that passes the attempt's context
         * on.
         */
        Async decorated(UnaryOperator<AsyncCriticalTask> decorator) {
            AsyncCriticalTask token = plain;
            if (token != null) {
                return of(Objects.requireNonNull(decorator.apply(token), "async decorator returned null"));
            }
            SupervisedAsyncTask inner = task;
            return new Async(context -> Objects
                .requireNonNull(decorator.apply(cancellation -> inner.start(context)), "async decorator returned null")
                .start(context.cancellation()), null);
        }

        /** Starts the task and waits for its stage on the calling thread. */
        @Override
        public void run(TaskContext context) throws Exception {
            AsyncStages.runBlocking(task, context);
        }

        @Override
        public String kind() {
            return takesContext() ? "a SupervisedAsyncTask" : "an AsyncCriticalTask";
        }
    }

    /**
     * Blocking work wrapped by a decorator (an instrumentation, say): it runs as the
     * wrapper, and is of the kind of the work it wraps, so that what the wrapped work
     * cannot do (a plain task's heartbeat) a spec still refuses.
     */
    record Decorated(TaskBody original, SupervisedTask task) implements TaskBody {

        @Override
        public void run(TaskContext context) throws Exception {
            task.run(context);
        }

        @Override
        public SupervisedTask asSupervised() {
            return task;
        }

        @Override
        public boolean canHeartbeat() {
            return original.canHeartbeat();
        }

        @Override
        public boolean canSignalReady() {
            return original.canSignalReady();
        }

        @Override
        public String kind() {
            return original.kind();
        }
    }

}
