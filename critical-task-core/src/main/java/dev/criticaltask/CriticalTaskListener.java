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

/**
 * Hears what the tasks of a {@link CriticalTaskRegistry} do: each task is
 * {@link #started} once, may be {@link #restarted} and {@link #stalled}, and ends exactly
 * once, {@link #completed}, {@link #cancelled} or {@link #failed}. The end is heard once
 * the handle is finished (and a failure has cancelled the root and is the registry's
 * {@link CriticalTaskRegistry#firstFailure() first failure} if none came before it), and
 * before {@link CriticalTaskHandle#join()} returns.
 *
 * <h2 id="threads">Threads</h2> These are the thread rules of the whole runtime; the
 * other types refer here. No callback, and no other user code the runtime calls (a
 * {@link RestartPolicy#retryOn(java.util.function.Predicate) retryOn} predicate, a
 * throwable's {@code toString}, a logger), ever runs while the runtime holds a lock, so a
 * {@link CriticalTaskRegistry#stop(Duration) stop} stays bounded whatever it does.
 * <ul>
 * <li><b>The task's own thread</b>, the one its executor gave it, runs {@link #started}
 * just before the first attempt. A blocking task ({@link CriticalTask},
 * {@link SupervisedTask}) runs every attempt and every backoff on it, and then, on it
 * again, what follows the end of each attempt: the restart policy's predicate,
 * {@link #restarted}, the logs, and the end ({@link #completed}, {@link #cancelled} or
 * {@link #failed}).
 * <li><b>An asynchronous task</b> ({@link AsyncCriticalTask}) holds a task thread only
 * while {@code start} runs, a new one from the executor for each attempt. What follows
 * the end of an attempt (the predicate, {@link #restarted}, the logs, the end) runs on
 * <b>the thread that completes its stage</b>; on the task thread when {@code start}
 * throws or returns {@code null}; and on <b>the thread that cancels its token</b> when
 * the cancel completes the stage, as a {@link java.util.concurrent.CompletableFuture}'s
 * cancel does. A cancel that finds the task waiting out a backoff ends it
 * ({@link #cancelled}) on the cancelling thread too (one that comes while the backoff is
 * being set up, on the thread that ended the attempt).
 * <li><b>The supervision timer</b>, one thread per registry named
 * {@code dev.criticaltask.supervision-timer}, checks the heartbeats and the start-up
 * time-outs ({@link CriticalTaskSpec#withStartupTimeout}), and ends the backoffs of
 * asynchronous tasks. On it run {@link #stalled}; for a stall treated as a failure
 * ({@link StallAction#FAIL}) and for an attempt not ready in time (a
 * {@link TaskStartTimeoutException}, which fails it there), the restart policy's
 * predicate, asked whether the failure escalates at once, and, when it does, the
 * failure's log and the cancel of the root (its {@link #failed} comes later, with the end
 * of the attempt that the timer cancelled and interrupted); and the hand-over of an
 * asynchronous task's next attempt to the executor, with the {@link #failed} of a task
 * whose executor refuses it.
 * <li><b>The thread that stops the registry</b> (or that cancels the root in any other
 * way, such as the thread of a task whose failure does, or the supervision timer for a
 * stall or start-up time-out that escalates) runs, before its {@code cancel()} returns,
 * the cancellation callbacks of every token below the root, as {@link CancellationToken}
 * states, and so the ends of the asynchronous tasks that the cancel ends, per the rule
 * above.
 * </ul>
 * Stages obtained from {@link CriticalTaskHandle#completion()} complete on the thread
 * that ends the task, after the listeners. Listeners should be quick: a slow one delays
 * its task on the task's own thread, every task's heartbeat checks and asynchronous
 * restarts on the timer's, and, on a cancelling thread, the cancellation of every token
 * after it. One that throws is logged at {@code WARNING} and the others still hear the
 * event.
 */
public interface CriticalTaskListener {

    /**
     * The task got its thread and is about to run.
     * @param task the task
     */
    default void started(CriticalTaskHandle task) {
    }

    /**
     * An attempt of the task is ready: it called {@link TaskContext#ready()}, or it began
     * and its task does not {@link CriticalTaskSpec#awaitsReady() await a ready signal}.
     * Heard once per attempt, on the thread that called {@code ready()} (the task's own
     * thread when the attempt began ready). After a restart the task is not ready until
     * this is heard again.
     * @param task the task
     */
    default void ready(CriticalTaskHandle task) {
    }

    /**
     * The task returned normally without having been cancelled.
     * @param task the task
     */
    default void completed(CriticalTaskHandle task) {
    }

    /**
     * The task stopped gracefully after its token was cancelled.
     * @param task the task
     */
    default void cancelled(CriticalTaskHandle task) {
    }

    /**
     * The task threw and its restart policy runs it again after {@code backoff}; the root
     * is not cancelled. Called before the backoff.
     * @param task the task
     * @param cause what the attempt threw (a {@link TaskStalledException} for a stall
     * treated as a failure)
     * @param backoff how long the task waits before its next attempt
     */
    default void restarted(CriticalTaskHandle task, Throwable cause, Duration backoff) {
    }

    /**
     * The task went longer than its heartbeat timeout without a heartbeat. Called on the
     * supervision timer's thread, once per stall.
     * @param task the task
     * @param silentFor how long it had gone without a heartbeat
     */
    default void stalled(CriticalTaskHandle task, Duration silentFor) {
    }

    /**
     * The task, which has a leadership role, runs because this instance was granted the
     * role: called on the task's thread before the attempt runs, once per task and grant.
     * @param task the task
     * @param term the grant
     */
    default void granted(CriticalTaskHandle task, LeadershipTerm term) {
    }

    /**
     * The task, which has a leadership role, stopped because the role was revoked, and
     * waits in {@link TaskState#STANDBY} for the next grant. Called on the task's thread.
     * @param task the task
     * @param reason the revocation
     */
    default void standby(CriticalTaskHandle task, LeadershipRevokedException reason) {
    }

    /**
     * The task went longer than its heartbeat timeout without a heartbeat, with where its
     * thread was at that moment. Called on the supervision timer's thread, once per
     * stall, instead of {@link #stalled(CriticalTaskHandle, Duration)}, which it calls
     * unless overridden.
     * @param task the task
     * @param stall the stall: how long it had been silent, and its thread's stack
     */
    default void stalled(CriticalTaskHandle task, StallReport stall) {
        stalled(task, stall.silentFor());
    }

    /**
     * The task threw and no restart is left; the registry's root token is already
     * cancelled.
     * @param task the task
     * @param failure the failure, also the task's {@link CriticalTaskHandle#failure()}
     */
    default void failed(CriticalTaskHandle task, CriticalTaskFailedException failure) {
    }

}
