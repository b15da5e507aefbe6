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
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;

/**
 * The tasks of one registry that name one role, and this registry's candidacy for it: the
 * candidacy is opened when the first task of the role joins and closed (releasing the
 * role at once) when the last one has ended, so a role is never held by an instance with
 * nothing to run for it.
 *
 * <p>
 * Each grant is a {@link Grant}: its term and a token that the revocation cancels with
 * the {@link LeadershipRevokedException}. A task's attempt links its own token to the
 * grant's ({@link TaskRun}), so a revocation that lands at any moment, even before the
 * attempt began, cancels it: none is lost. Thread-safe; the monitor is held only for the
 * group's own fields, never while the election, a listener or a task runs.
 */
final class RoleGroup implements LeadershipListener {

    /**
     * One grant, the token its revocation cancels, and how many attempts run under it.
     */
    static final class Grant {

        private final LeadershipTerm term;

        private final CancellationToken revoked = CancellationToken.create();

        /** Attempts running under this grant. Guarded by this. */
        private int running;

        Grant(LeadershipTerm term) {
            this.term = term;
        }

        LeadershipTerm term() {
            return term;
        }

        CancellationToken revoked() {
            return revoked;
        }

        synchronized void enter() {
            running++;
        }

        synchronized void exit() {
            if (--running == 0) {
                notifyAll();
            }
        }

        /**
         * Waits until no attempt runs under this grant, at most {@code nanos}.
         * @return whether none runs
         */
        synchronized boolean awaitIdle(long nanos) throws InterruptedException {
            long deadline = System.nanoTime() + nanos;
            while (running > 0) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    return false;
                }
                TimeUnit.NANOSECONDS.timedWait(this, left);
            }
            return true;
        }

    }

    private final String role;

    private final LeaderElection election;

    private final Object monitor = new Object();

    /** The grant in force; null while this instance does not lead. Guarded. */
    private @Nullable Grant current;

    /** Guarded. */
    private @Nullable Candidacy candidacy;

    /** The live tasks of the role. Guarded. */
    private int members;

    /** Once closed, it grants nothing more and opens no candidacy. Guarded. */
    private boolean closed;

    RoleGroup(String role, LeaderElection election) {
        this.role = role;
        this.election = election;
    }

    String role() {
        return role;
    }

    /**
     * A task of the role joins. The caller holds the registry's lock, so joins and the
     * last leave are ordered; the first join must then call {@link #campaign()} after
     * releasing it.
     * @return false when the group has closed (its last task had ended): the caller makes
     * a new group
     */
    boolean join() {
        synchronized (monitor) {
            if (closed) {
                return false;
            }
            members++;
            return true;
        }
    }

    /**
     * Opens the candidacy unless one is open or being opened. Called holding no lock: the
     * election may call a listener (of this group or of another registry's) on the
     * calling thread, and a revocation runs the cancel actions of tasks.
     * @throws RuntimeException what the election threw; the group has no candidacy then,
     * and the next call tries again
     */
    void campaign() {
        synchronized (monitor) {
            if (closed || candidacy != null) {
                return;
            }
            // a placeholder until the election answers, so that only one campaign starts
            candidacy = NOT_YET;
        }
        Candidacy opened;
        try {
            opened = Objects.requireNonNull(election.campaign(role, this), "campaign returned null");
        }
        catch (RuntimeException | Error failed) {
            synchronized (monitor) {
                if (candidacy == NOT_YET) {
                    candidacy = null;
                }
            }
            throw failed;
        }
        boolean closeAtOnce;
        synchronized (monitor) {
            closeAtOnce = closed;
            if (!closeAtOnce) {
                candidacy = opened;
            }
        }
        if (closeAtOnce) {
            opened.close();
        }
    }

    /**
     * A task of the role has ended. The caller holds the registry's lock.
     * @return true for the last one: the group is closed to joins from now on, and the
     * caller calls {@link #close()} once it holds no lock, releasing the role
     */
    boolean leave() {
        synchronized (monitor) {
            members--;
            if (members > 0) {
                return false;
            }
            closed = true;
            return true;
        }
    }

    /**
     * Closes the candidacy (releasing the role at once); grants after this are ignored.
     * Idempotent.
     */
    void close() {
        Candidacy open;
        Grant held;
        synchronized (monitor) {
            closed = true;
            open = candidacy;
            candidacy = null;
            held = current;
            current = null;
        }
        if (held != null) {
            // the candidacy's own revocation may come later, or not at all
            held.revoked().cancel(new LeadershipRevokedException(role, held.term().term(), Revocation.RELEASED));
        }
        if (open != null && open != NOT_YET) {
            open.close();
        }
    }

    /**
     * Gives the role up: first stops the role's tasks (revoking the grant here, and
     * waiting up to {@code waitNanos} for their attempts to end), then yields the
     * candidacy, so that no other instance starts the work while this one still runs it.
     * @return false when this instance did not lead the role
     */
    boolean yieldLeadership(long waitNanos) throws InterruptedException {
        Grant held;
        Candidacy open;
        synchronized (monitor) {
            held = current;
            open = candidacy;
            if (held == null || open == null || open == NOT_YET) {
                return false;
            }
            current = null;
        }
        held.revoked().cancel(new LeadershipRevokedException(role, held.term().term(), Revocation.YIELDED));
        try {
            held.awaitIdle(waitNanos);
        }
        finally {
            // even when interrupted: the grant is revoked here, and keeping the role
            // would
            // leave it to nobody
            open.yield();
        }
        return true;
    }

    /**
     * {@return the grant in force, if this instance leads the role}
     */
    @Nullable Grant current() {
        synchronized (monitor) {
            return current;
        }
    }

    @Override
    public void granted(LeadershipTerm term) {
        Objects.requireNonNull(term, "term must not be null");
        Grant revokedBefore;
        synchronized (monitor) {
            if (closed) {
                return;
            }
            revokedBefore = current;
            current = new Grant(term);
            monitor.notifyAll();
        }
        if (revokedBefore != null) {
            // two grants in a row: the election lost a revocation; the old term is over
            revokedBefore.revoked()
                .cancel(new LeadershipRevokedException(role, revokedBefore.term().term(), Revocation.LOST));
        }
    }

    @Override
    public void revoked(LeadershipRevokedException reason) {
        Objects.requireNonNull(reason, "reason must not be null");
        Grant ended;
        synchronized (monitor) {
            ended = current;
            if (ended == null || ended.term().term() > reason.term()) {
                return; // a revocation of an earlier term, already over
            }
            current = null;
        }
        ended.revoked().cancel(reason);
    }

    /**
     * Waits for a grant in force that is not revoked yet, or for {@code token} to be
     * cancelled.
     * @return the grant, or null when the token was cancelled first
     */
    @Nullable Grant awaitGrant(CancellationToken token) {
        Registration wake = token.onCancel(() -> {
            synchronized (monitor) {
                monitor.notifyAll();
            }
        });
        try {
            synchronized (monitor) {
                while (true) {
                    if (token.isCancelled()) {
                        return null;
                    }
                    Grant grant = current;
                    if (grant != null && !grant.revoked().isCancelled()) {
                        return grant;
                    }
                    try {
                        monitor.wait();
                    }
                    catch (InterruptedException interrupted) {
                        // a stop cancels the token before it interrupts, and the loop
                        // sees that; an interrupt meant for an ended attempt is dropped
                    }
                }
            }
        }
        finally {
            wake.close();
        }
    }

    @Override
    public String toString() {
        synchronized (monitor) {
            return "RoleGroup[" + role + ", " + members + " tasks"
                    + (current != null ? ", leading " + current.term() : "") + (closed ? ", closed" : "") + "]";
        }
    }

    /** Stands for a candidacy being opened. */
    private static final Candidacy NOT_YET = new Candidacy() {

        @Override
        public void yield() {
        }

        @Override
        public void close() {
        }

    };

}
