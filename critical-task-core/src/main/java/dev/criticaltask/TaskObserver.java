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

import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * What a {@link TaskRun} tells its owner (the registry) as it runs: the points at which a
 * task starts, fails, restarts, stalls and ends, each called once per event, outside
 * every lock of the run, on the thread that the rules of {@link CriticalTaskListener}
 * name for the event. The JFR events ({@link TaskEvents}) are committed beside these
 * calls, so that a handle spawned outside a registry, which has no observer, has them
 * too.
 */
interface TaskObserver {

    /** The task got its thread and is about to run its first attempt. */
    void started(TaskRun run);

    /**
     * The task's failure escalates; called before the parent token is cancelled, so the
     * failure is recorded first. May be called more than once for one failure, by the
     * threads that race to end the task; it must give the same answer each time.
     * @return the failure to cancel the parent with: the first one recorded, so that two
     * tasks failing at once cannot leave the parent's reason naming another task than the
     * record
     */
    CriticalTaskFailedException failing(TaskRun run, CriticalTaskFailedException failure);

    /**
     * An attempt became ready: it said so, or it began and its task does not await a
     * ready signal. Called on the thread that said so, or on the task's thread.
     */
    void ready(TaskRun run);

    /**
     * The task failed and will run again after {@code backoff}; called before the
     * backoff.
     */
    void restarting(TaskRun run, Throwable cause, Duration backoff);

    /**
     * The task of a role starts an attempt under a new grant; called on the task's thread
     * before the attempt runs.
     */
    default void granted(TaskRun run, LeadershipTerm term) {
    }

    /**
     * The task of a role went back to {@link TaskState#STANDBY} because {@code reason}
     * ended its attempt; called on the task's thread.
     */
    default void standby(TaskRun run, LeadershipRevokedException reason) {
    }

    /** The task missed its heartbeat; called on the supervision timer's thread. */
    void stalled(TaskRun run, StallReport stall);

    /**
     * The task reaches its terminal state: {@code publish} publishes it, and returns
     * false when it was already published. The owner runs it once, together with what
     * must change with it (the registry frees the task's name), and returns what it
     * returned. {@code publish} runs no user code, so the owner may hold its lock.
     */
    boolean ending(TaskRun run, BooleanSupplier publish);

    /** The task has reached its terminal state; called before {@code join()} returns. */
    void finished(TaskRun run);

}
