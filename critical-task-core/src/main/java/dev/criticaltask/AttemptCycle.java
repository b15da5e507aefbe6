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
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The attempts of one run, one after another: how each begins (under its grant, its
 * token, the start order) and what follows its end (a finish, a restart, a wait for the
 * next grant or for a dependency). The state each step reaches is published by the
 * {@link TaskRun}'s {@link TaskRun#transition} and {@link TaskRun#finish}.
 *
 * <p>
 * Thread-safety: one attempt at a time. {@link #begin()} runs on the thread the executor
 * runs the task on; {@link #ended} on the thread the attempt ended on (the task's, or for
 * an asynchronous task the one that completed its stage), after that attempt began. The
 * attempt under way is a volatile, read by a restarting dependency's thread under the
 * {@link StartOrder}'s lock. No lock is taken here, and no user code runs here but the
 * {@link TaskObserver}'s.
 */
final class AttemptCycle {

    private final TaskRun run;

    private final CriticalTaskSpec spec;

    private final @Nullable RestartBudget budget;

    private final @Nullable RunLeadership leadership;

    /**
     * Whether each attempt runs under a token of its own, below the task's: so that a
     * restart, or a restart of a task it depends on, can end one attempt and not the
     * task.
     */
    private final boolean ownAttemptTokens;

    /** The attempt under way; null before the first, between attempts and at the end. */
    private volatile @Nullable Attempt current;

    AttemptCycle(TaskRun run, CriticalTaskSpec spec, @Nullable RestartBudget budget,
            @Nullable RunLeadership leadership) {
        this.run = run;
        this.spec = spec;
        this.budget = budget;
        this.leadership = leadership;
        this.ownAttemptTokens = budget != null || !spec.dependsOn().isEmpty();
    }

    @Nullable Attempt current() {
        return current;
    }

    /**
     * Begins the next attempt; null when a restart's token is born cancelled, which ends
     * the task.
     */
    @Nullable Attempt begin() {
        CancellationToken token = run.token();
        RoleGroup.Grant granted = null;
        if (leadership != null) {
            granted = leadership.awaitGrant(run);
            if (granted == null) {
                run.finish(TaskState.CANCELLED, null);
                return null;
            }
        }
        int number = leadership != null ? leadership.nextAttemptInTerm() : run.published().attempt() + 1;
        // a task with a role always runs its attempts under a child, which a revocation
        // cancels without touching the task's own token
        CancellationToken attemptToken = ownAttemptTokens || leadership != null ? token.child() : token;
        if (number > 1 && attemptToken.isCancelled()) {
            // the restart's linearization point is the creation of its token: born
            // cancelled, it came after the cancel, and so never runs
            run.finish(TaskState.CANCELLED, null);
            return null;
        }
        if (leadership != null && token.isCancelled()) {
            run.finish(TaskState.CANCELLED, null);
            return null;
        }
        Attempt attempt = new Attempt(run, number, attemptToken, spec, run.timer(), granted);
        // published before the wait: a restart of what it depends on must find it to stop
        current = attempt;
        if (!run.gate().awaitAttempt(number)) {
            current = null;
            attempt.endLeadership();
            if (attemptToken != token) {
                attemptToken.unlinkFromParent();
            }
            run.finish(TaskState.CANCELLED, null);
            return null;
        }
        run.thread().attempting(attempt);
        HeartbeatWatch watch = attempt.watch();
        long readyAt;
        if (spec.awaitsReady()) {
            readyAt = TaskTime.NONE;
        }
        else if (number == 1 && leadership == null && run.gate().isUnordered()) {
            // nothing held the first attempt up: it began when the task did
            readyAt = run.published().startTime();
        }
        else {
            readyAt = TaskTime.now();
        }
        LeadershipTerm term = granted != null ? granted.term() : null;
        run.transition(before -> before.attemptStarted(number, watch, readyAt, term));
        if (watch != null) {
            watch.start();
        }
        StartupWatch startup = attempt.startup();
        if (startup != null) {
            startup.start();
        }
        if (readyAt != TaskTime.NONE) {
            TaskObserver watcher = run.observer();
            if (watcher != null) {
                watcher.ready(run);
            }
        }
        return attempt;
    }

    /**
     * Decides what follows an attempt that ended, normally or with {@code thrown}:
     * finishes the task and returns -1, or announces a restart and returns its backoff in
     * nanoseconds.
     */
    long ended(Attempt attempt, @Nullable Throwable thrown) {
        CancellationToken token = run.token();
        HeartbeatWatch watch = attempt.watch();
        TaskStalledException stalled = watch != null ? watch.end() : null;
        StartupWatch startup = attempt.startup();
        TaskStartTimeoutException timedOut = startup != null ? startup.end() : null;
        // a stall or a start-up time-out that failed the attempt is its failure
        Exception stall = stalled != null ? stalled : timedOut;
        run.thread().attempting(null);
        current = null;
        run.gate().left();
        CancellationToken attemptToken = attempt.cancellation();
        boolean revoked = attempt.endLeadership();
        if (attemptToken != token) {
            attemptToken.unlinkFromParent();
        }
        boolean graceful = thrown == null || (thrown instanceof InterruptedException && attemptToken.isCancelled());
        if (stall != null && thrown != null && thrown != stall) {
            // what the stalled task threw when it was stopped is kept
            stall.addSuppressed(thrown);
        }
        CriticalTaskFailedException fatal = run.escalation().failure();
        if (fatal != null) {
            if (!graceful && thrown != fatal.getCause()) {
                if (stall == null) {
                    fatal.addSuppressed(thrown);
                }
                // the failure escalated (and was logged) before the task threw this
                run.log(System.Logger.Level.WARNING,
                        () -> "Critical task '" + run.description() + "' threw after its failure had escalated",
                        thrown);
            }
            run.finish(TaskState.FAILED, fatal);
            return -1;
        }
        if (revoked) {
            // only an attempt under a grant is revoked, so the task has a role
            return Objects.requireNonNull(leadership).ended(run, attemptToken, thrown);
        }
        if (stall == null && graceful && attempt.isStoppedForDependency() && !token.isCancelled()) {
            // stopped for a restart of a task it depends on: it runs again once that
            // one is ready (its next attempt waits for it), and nothing is counted
            run.transition(TaskSnapshot::requeued);
            return 0;
        }
        if (stall == null && graceful) {
            run.finish(attemptToken.isCancelled() ? TaskState.CANCELLED : TaskState.COMPLETED, null);
            return -1;
        }
        Throwable failure = stall != null ? stall : Objects.requireNonNull(thrown);
        long backoff = budget == null || token.isCancelled() ? -1 : budget.onFailure(System.nanoTime(), failure);
        if (backoff < 0) {
            run.finish(TaskState.FAILED, run.escalation().escalate(failure));
            return -1;
        }
        run.transition(failed -> failed.restarting(failure));
        int restarts = run.published().restartCount();
        run.log(System.Logger.Level.WARNING,
                () -> "Critical task '" + run.description() + "' failed on attempt " + attempt.attempt()
                        + "; restarting in " + TimeUnit.NANOSECONDS.toMillis(backoff) + " ms (restart " + restarts
                        + ")",
                failure);
        TaskEvents.restarted(run.description(), attempt.attempt(), restarts, failure, Duration.ofNanos(backoff),
                run.thread());
        TaskObserver watcher = run.observer();
        if (watcher != null) {
            watcher.restarting(run, failure, Duration.ofNanos(backoff));
        }
        return backoff;
    }

}
