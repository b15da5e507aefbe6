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
import java.util.concurrent.CompletionStage;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * How an {@link AsyncCriticalTask} runs: each attempt holds a task thread only while
 * {@code start} runs, and ends on whichever thread completes its stage (or cancels its
 * token); a restart waits out its backoff on the {@link SupervisionTimer}, without a
 * thread, and each new attempt is handed to the executor again.
 */
final class AsyncAttempts {

    private AsyncAttempts() {
    }

    /**
     * Starts an attempt on the calling thread (a task thread), then lets the thread go:
     * the stage's completion ends the attempt, and a cancel of the attempt's token
     * cancels the stage.
     */
    static void start(TaskRun run, SupervisedAsyncTask task) {
        Attempt attempt = run.attempts().begin();
        if (attempt == null) {
            return;
        }
        StageEnd end = new StageEnd(run, attempt);
        CompletionStage<?> stage;
        try {
            stage = AsyncStages.start(task, attempt);
        }
        catch (Throwable thrown) {
            run.thread().release();
            end.accept(thrown);
            return;
        }
        // released before the stage can end: the thread is the executor's again, and a
        // stop has no
        // thread to interrupt while the stage is pending
        run.thread().release();
        try {
            Registration cancelStage = attempt.cancellation().onCancel(() -> AsyncStages.cancel(stage));
            stage.whenComplete((result, outcome) -> {
                cancelStage.close();
                end.accept(AsyncStages.failureOf(outcome, attempt.cancellation()));
            });
        }
        catch (Throwable brokenStage) {
            end.accept(brokenStage);
        }
    }

    /** Ends an asynchronous attempt once, whoever reports its end first. */
    private static final class StageEnd {

        private static final AtomicIntegerFieldUpdater<StageEnd> ENDED = AtomicIntegerFieldUpdater
            .newUpdater(StageEnd.class, "ended");

        private final TaskRun run;

        private final Attempt attempt;

        private volatile int ended;

        StageEnd(TaskRun run, Attempt attempt) {
            this.run = run;
            this.attempt = attempt;
        }

        void accept(@Nullable Throwable thrown) {
            if (ENDED.compareAndSet(this, 0, 1)) {
                long backoff = run.attempts().ended(attempt, thrown);
                if (backoff >= 0) {
                    scheduleRestart(run, backoff);
                }
            }
        }

    }

    /**
     * Restarts the task after its backoff, unless its token is cancelled first: exactly
     * one of the two happens, without a thread waiting.
     */
    private static void scheduleRestart(TaskRun run, long backoffNanos) {
        AtomicBoolean decided = new AtomicBoolean();
        AtomicReference<@Nullable Registration> onCancel = new AtomicReference<>();
        AtomicReference<@Nullable ScheduledFuture<?>> pending = new AtomicReference<>();
        Runnable restart = () -> {
            if (decided.compareAndSet(false, true)) {
                Registration registered = onCancel.get();
                if (registered != null) {
                    registered.close();
                }
                relaunch(run);
            }
        };
        onCancel.set(run.token().onCancel(() -> {
            if (decided.compareAndSet(false, true)) {
                ScheduledFuture<?> due = pending.get();
                if (due != null) {
                    // out of the timer's queue: it would hold this run until the backoff
                    // ran out
                    due.cancel(false);
                }
                // shutdown during the backoff: no restart after the parent was cancelled
                run.finish(TaskState.CANCELLED, null);
            }
        }));
        SupervisionTimer timer = run.timer();
        if (backoffNanos == 0 || timer == null) {
            restart.run();
            return;
        }
        try {
            ScheduledFuture<?> due = timer.schedule(restart, backoffNanos);
            pending.set(due);
            if (decided.get()) {
                // decided while it was being scheduled: the cancel may not have seen it
                due.cancel(false);
            }
        }
        catch (RejectedExecutionException stopped) {
            // the timer stops only once its registry's root is cancelled, though a cancel
            // that
            // another thread is still carrying down the tree may not have reached this
            // token yet
            if (decided.compareAndSet(false, true)) {
                endWithoutRestart(run);
            }
        }
    }

    /**
     * Hands the next attempt to the executor; a refusal ends the task with its last
     * failure.
     */
    private static void relaunch(TaskRun run) {
        run.rearm();
        try {
            Objects.requireNonNull(run.executor(), "an asynchronous task needs an executor").execute(run);
        }
        catch (RuntimeException | Error refused) {
            if (!run.disarm()) {
                return; // it ran after all
            }
            if (!run.isBeingCancelled()) {
                run.log(System.Logger.Level.WARNING, () -> "Critical task '" + run.description()
                        + "' could not be restarted: its executor refused the next attempt", refused);
            }
            endWithoutRestart(run);
        }
    }

    /**
     * A restart that cannot happen: a graceful stop when a cancel is on its way, else the
     * last failure stands.
     */
    private static void endWithoutRestart(TaskRun run) {
        if (run.isBeingCancelled()) {
            run.finish(TaskState.CANCELLED, null);
        }
        else {
            run.finish(TaskState.FAILED, run.escalation().escalate(run.published().lastRestartCause().orElseThrow()));
        }
    }

}
