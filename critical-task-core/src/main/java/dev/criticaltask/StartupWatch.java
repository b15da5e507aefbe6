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
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * The start-up timeout of one attempt: one check on the {@link SupervisionTimer}, due
 * when the timeout runs out. The attempt's ready signal, the check and the attempt's end
 * each claim the attempt's start-up outcome, once: an attempt that said it is ready is
 * never timed out, and one that was timed out is not ready when it says so too late.
 *
 * <p>
 * A time-out is the attempt's failure, a {@link TaskStartTimeoutException}: the attempt
 * is cancelled and interrupted, and its end goes through the restart policy. When the
 * policy has no restart for it, it escalates at once, as a fatal stall does, since a task
 * that is not ready may never return either.
 */
final class StartupWatch {

    private static final Object READY = new Object();

    private static final Object ENDED = new Object();

    private final TaskRun run;

    private final Attempt attempt;

    private final long timeoutNanos;

    private final SupervisionTimer timer;

    private volatile @Nullable ScheduledFuture<?> check;

    /**
     * Null until claimed by {@link #READY}, {@link #ENDED} or the time-out that failed
     * the attempt.
     */
    private final AtomicReference<@Nullable Object> outcome = new AtomicReference<>();

    StartupWatch(TaskRun run, Attempt attempt, long timeoutNanos, SupervisionTimer timer) {
        this.run = run;
        this.attempt = attempt;
        this.timeoutNanos = timeoutNanos;
        this.timer = timer;
    }

    /** Schedules the check; called once the attempt is published. */
    void start() {
        try {
            ScheduledFuture<?> due = timer.schedule(this::check, timeoutNanos);
            check = due;
            if (outcome.get() != null) {
                due.cancel(false); // decided while it was being scheduled
            }
        }
        catch (RejectedExecutionException stopped) {
            // the registry stopped: the attempt is being cancelled, and no time-out is
            // news
        }
    }

    /** The attempt says it is ready; false when the time-out came first. */
    boolean ready() {
        boolean first = outcome.compareAndSet(null, READY);
        if (first) {
            cancelCheck();
        }
        return first;
    }

    /**
     * The attempt has ended; returns the time-out that failed it first, if one did.
     */
    @Nullable TaskStartTimeoutException end() {
        cancelCheck();
        outcome.compareAndSet(null, ENDED);
        return outcome.get() instanceof TaskStartTimeoutException timedOut ? timedOut : null;
    }

    private void cancelCheck() {
        ScheduledFuture<?> due = check;
        if (due != null) {
            due.cancel(false);
        }
    }

    /** Runs on the timer's thread. */
    private void check() {
        if (outcome.get() != null) {
            return;
        }
        TaskStartTimeoutException timedOut = new TaskStartTimeoutException(run.description(), attempt.attempt(),
                Duration.ofNanos(timeoutNanos));
        // asked before the time-out is recorded: the attempt's end must find the decision
        // made
        boolean fatal = !run.escalation().wouldRestart(timedOut);
        if (!outcome.compareAndSet(null, timedOut)) {
            return; // ready or ended first
        }
        if (fatal) {
            run.escalation().escalate(timedOut);
        }
        attempt.cancellation().cancel();
        run.thread().interrupt(attempt);
    }

}
