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
import java.time.Instant;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * The heartbeats of one attempt: when the last one came, and the one check that the
 * {@link SupervisionTimer} has due when the timeout would run out. Each attempt has its
 * own watch, so a check can only ever judge the attempt it was scheduled for, however
 * soon the next one starts; and a watch whose attempt has ended schedules nothing more.
 *
 * <p>
 * Its checks run on the timer's thread. A stall it finds is reported (the task turns
 * {@link TaskState#STALLED} and the listeners hear of it); with {@link StallAction#FAIL}
 * it is also the attempt's failure, and the attempt is cancelled and interrupted. The
 * restart policy is asked first: when it has no restart for the stall, the stall
 * escalates at once, since the stuck thread may never return. When it has one, the
 * attempt's end restarts the task; but an attempt that is not back a timeout after its
 * interrupt escalates then, since no restart can run on its thread. The attempt's end and
 * each of these decisions claim the attempt's outcome, once, so that a stall never
 * escalates an attempt that has ended, and an end never restarts one that has escalated.
 */
final class HeartbeatWatch {

    /** The outcome of an attempt that ended before any stall failed it. */
    private static final Object ENDED = new Object();

    private final TaskRun run;

    private final Attempt attempt;

    private final long timeoutNanos;

    private final StallAction onStall;

    private final SupervisionTimer timer;

    /** The last heartbeat, or the attempt's start: the base of the heartbeat age. */
    private volatile long lastBeat = System.nanoTime();

    private volatile @Nullable ScheduledFuture<?> check;

    /**
     * Null while the attempt runs; then, set once by whoever comes first, {@link #ENDED}
     * (the attempt ended by itself) or the stall that failed it: a
     * {@link TaskStalledException} for the restart policy to judge when the attempt ends,
     * or an {@link Escalation} once no restart can follow. A stall can move from the
     * first to the second only while the attempt has not ended.
     */
    private final AtomicReference<@Nullable Object> outcome = new AtomicReference<>();

    /** A stall that escalates: the attempt's end must not restart the task. */
    private record Escalation(TaskStalledException stall) {
    }

    HeartbeatWatch(TaskRun run, Attempt attempt, long timeoutNanos, StallAction onStall, SupervisionTimer timer) {
        this.run = run;
        this.attempt = attempt;
        this.timeoutNanos = timeoutNanos;
        this.onStall = onStall;
        this.timer = timer;
    }

    /**
     * Schedules the first check; called once the attempt is published with this watch.
     */
    void start() {
        schedule(timeoutNanos);
    }

    /** A heartbeat of this watch's attempt. */
    void beat() {
        lastBeat = System.nanoTime();
        TaskSnapshot now = run.published();
        if (now.state() == TaskState.STALLED && now.heartbeat() == this) {
            // a stall that did not fail the attempt is over
            run.transition(stalled -> isFailedByStall() ? null : stalled.recovered(this));
        }
    }

    /** How long the attempt has gone without a heartbeat at {@code nowNanos}. */
    long silentNanos(long nowNanos) {
        return Math.max(0, nowNanos - lastBeat);
    }

    /**
     * The attempt has ended: no check is due any more. Returns the stall that failed it
     * first, if one did; from now on no stall can. A stall that escalates is escalated
     * (or joined) here, so that the end cannot decide a restart in its place.
     */
    @Nullable TaskStalledException end() {
        ScheduledFuture<?> due = check;
        if (due != null) {
            due.cancel(false);
        }
        Object failedBy = outcome.getAndSet(ENDED);
        if (failedBy instanceof Escalation escalation) {
            run.escalation().escalate(escalation.stall());
            return escalation.stall();
        }
        return failedBy instanceof TaskStalledException stall ? stall : null;
    }

    /** Whether a stall has failed the attempt, which has not ended yet. */
    private boolean isFailedByStall() {
        Object failedBy = outcome.get();
        return failedBy instanceof TaskStalledException || failedBy instanceof Escalation;
    }

    /** Runs on the timer's thread. */
    private void check() {
        Object failedBy = outcome.get();
        if (failedBy == ENDED) {
            return;
        }
        long silent = silentNanos(System.nanoTime());
        if (silent < timeoutNanos) {
            schedule(timeoutNanos - silent);
            return;
        }
        if (failedBy instanceof Escalation) {
            return; // escalated: nothing is left to watch
        }
        if (failedBy instanceof TaskStalledException stall) {
            // failed for the stall a timeout ago, cancelled and interrupted, and still
            // not back: no
            // restart can run on a thread that never returns; unless it has just ended
            // after all
            if (outcome.compareAndSet(stall, new Escalation(stall))) {
                run.escalation().escalate(stall);
            }
            return;
        }
        // false when still stalled and already reported, or when the attempt has just
        // ended
        boolean news = run.transition(running -> running.stalled(this));
        // the stack first: an escalation or an interrupt below sets the thread moving
        Thread stuck = run.thread().running(attempt);
        StallReport report = null;
        if (news) {
            report = capture(silent, stuck);
        }
        else if (onStall == StallAction.REPORT && run.published().heartbeat() == this
                && run.published().state() == TaskState.STALLED) {
            // still stalled a timeout later: the handle shows where it is now
            run.stalls().recapture(capture(silent, stuck));
        }
        TaskStalledException stall = null;
        if (news && onStall == StallAction.FAIL) {
            stall = new TaskStalledException(run.description(), Duration.ofNanos(silent),
                    Duration.ofNanos(timeoutNanos));
            // asked before the stall is recorded: the attempt's end must find the
            // decision made
            boolean fatal = !run.escalation().wouldRestart(stall);
            if (!outcome.compareAndSet(null, fatal ? new Escalation(stall) : stall)) {
                return; // the attempt ended first: its own outcome stands
            }
            if (fatal) {
                // the stuck thread may never return: the failure must not wait for it
                run.escalation().escalate(stall);
            }
        }
        if (report != null) {
            run.stalls().report(report, stuck);
        }
        if (stall != null) {
            attempt.cancellation().cancel();
            run.thread().interrupt(attempt);
        }
        // after the interrupt: a failed attempt gets a whole timeout to come back
        schedule(timeoutNanos);
    }

    /** Where the stalled attempt's thread is, if it still holds one. */
    private StallReport capture(long silentNanos, @Nullable Thread stuck) {
        StackTraceElement[] stack = stuck != null ? run.thread().stackTrace(attempt) : null;
        return new StallReport(run.description(), attempt.attempt(), Duration.ofNanos(silentNanos),
                Duration.ofNanos(timeoutNanos), onStall, Instant.now(), stack != null ? stuck.getName() : null,
                stack != null ? List.of(stack) : List.of());
    }

    private void schedule(long delayNanos) {
        try {
            ScheduledFuture<?> next = timer.schedule(this::check, delayNanos);
            check = next;
            if (outcome.get() == ENDED) {
                // ended while this was being scheduled: out of the timer's queue, which
                // would hold it
                next.cancel(false);
            }
        }
        catch (RejectedExecutionException stopped) {
            // the registry stopped: its root is cancelled, and a stall is no longer news
        }
    }

}
