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

import org.jspecify.annotations.Nullable;

/**
 * The leadership of one run whose task has a role: the {@link RoleGroup} that grants the
 * role, the grant its attempts run under, and what follows a revocation.
 *
 * <p>
 * Not thread-safe, and needs not be: only the task's thread (the one that begins and ends
 * its attempts) calls it, which is why the grant and the attempts counted in its term
 * need neither a lock nor a volatile. A revocation crosses threads through the grant's
 * own token, which the {@link RoleGroup} cancels; this only reads it. No user code runs
 * here; the {@link TaskObserver} is called on the task's thread.
 */
final class RunLeadership {

    private final RoleGroup group;

    /** The grant the task runs under, or last ran under; null before its first. */
    private RoleGroup.@Nullable Grant grant;

    /** Attempts under {@link #grant}. */
    private int attemptsInTerm;

    RunLeadership(RoleGroup group) {
        this.group = group;
    }

    RoleGroup group() {
        return group;
    }

    /**
     * The grant to run the next attempt of {@code run} under: the current one while it is
     * in force, else the next, waited for in {@link TaskState#STANDBY}; null when the
     * task's token was cancelled first.
     */
    RoleGroup.@Nullable Grant awaitGrant(TaskRun run) {
        RoleGroup.Grant held = grant;
        if (held != null && !held.revoked().isCancelled()) {
            return held;
        }
        run.transition(waiting -> waiting.standby(TaskTime.now()));
        RoleGroup.Grant next = group.awaitGrant(run.token());
        if (next == null) {
            return null;
        }
        grant = next;
        attemptsInTerm = 0;
        TaskObserver watcher = run.observer();
        if (watcher != null) {
            watcher.granted(run, next.term());
        }
        return next;
    }

    /** The number of the attempt about to begin, counted within the current term. */
    int nextAttemptInTerm() {
        return ++attemptsInTerm;
    }

    /**
     * The attempt ended after a revocation cancelled it: a graceful stop, whatever it
     * threw (the role is gone, and a fenced write refused throws by design). The task
     * waits for the next grant, or ends cancelled when it is being stopped.
     * @return 0: the next attempt waits for a grant, without a backoff; -1 when finished
     */
    long ended(TaskRun run, CancellationToken attemptToken, @Nullable Throwable thrown) {
        LeadershipRevokedException reason = (LeadershipRevokedException) attemptToken.reason().orElseThrow();
        if (thrown != null && !(thrown instanceof InterruptedException) && thrown != reason) {
            run.log(System.Logger.Level.WARNING,
                    () -> "Critical task '" + run.description() + "' threw after its leadership of role '"
                            + reason.role() + "' was revoked (" + reason.reason() + "); not a failure",
                    thrown);
        }
        if (run.token().isCancelled()) {
            run.finish(TaskState.CANCELLED, null);
            return -1;
        }
        run.transition(waiting -> waiting.standby(TaskTime.now()));
        TaskObserver watcher = run.observer();
        if (watcher != null) {
            watcher.standby(run, reason);
        }
        return 0;
    }

}
