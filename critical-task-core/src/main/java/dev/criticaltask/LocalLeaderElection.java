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

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

import org.jspecify.annotations.Nullable;

/**
 * Leadership within one process: of the candidacies for a role on this election, the
 * oldest open one leads; closing or yielding it grants the role to the next. A registry
 * that is the only candidate (the default, {@link CriticalTaskRegistry.Builder}) is
 * granted each role at once. Terms count the grants of a role on this election and are
 * not fencing ({@link LeadershipTerm#isFencing()} is false): they order nothing across
 * processes.
 *
 * <p>
 * Thread-safe. Listeners are called in the order the election's state changed, one at a
 * time, holding no lock, on the thread that made the change (or on one that changed it at
 * the same moment): a grant may reach its listener after
 * {@link #campaign(String, LeadershipListener)} has returned.
 */
public final class LocalLeaderElection implements LeaderElection {

    private static final Clock CLOCK = Clock.systemUTC();

    private final Object lock = new Object();

    /** Per role: the open candidacies, the leader first. Guarded by {@code lock}. */
    private final Map<String, ArrayDeque<Local>> queues = new HashMap<>();

    /** Per role: the last term granted. Guarded by {@code lock}. */
    private final Map<String, Long> terms = new HashMap<>();

    /** The listener calls, in the order the state changed. */
    private final ConcurrentLinkedQueue<Runnable> calls = new ConcurrentLinkedQueue<>();

    private final AtomicBoolean calling = new AtomicBoolean();

    /**
     * Creates an election with no candidacies: the first campaign for a role is granted
     * at once.
     */
    public LocalLeaderElection() {
    }

    @Override
    public Candidacy campaign(String role, LeadershipListener listener) {
        Objects.requireNonNull(role, "role must not be null");
        Objects.requireNonNull(listener, "listener must not be null");
        if (role.isBlank()) {
            throw new IllegalArgumentException("role must not be blank");
        }
        Local candidacy = new Local(role, listener);
        synchronized (lock) {
            ArrayDeque<Local> queue = queues.computeIfAbsent(role, key -> new ArrayDeque<>());
            queue.addLast(candidacy);
            if (queue.size() == 1) {
                grant(candidacy);
            }
        }
        deliver();
        return candidacy;
    }

    /**
     * {@return whether a candidacy of this election leads {@code role} now}
     * @param role the role
     */
    public boolean hasLeader(String role) {
        synchronized (lock) {
            ArrayDeque<Local> queue = queues.get(role);
            return queue != null && !queue.isEmpty();
        }
    }

    /** Grants the role to the head of its queue. Under {@code lock}. */
    private void grant(Local leader) {
        long term = terms.merge(leader.role, 1L, Long::sum);
        LeadershipTerm granted = new LeadershipTerm(leader.role, term, CLOCK.instant(), false);
        leader.term = term;
        calls.add(() -> leader.listener.granted(granted));
    }

    /**
     * Takes the leadership away from {@code leader} with {@code reason}, and grants the
     * role to the next. Under {@code lock}.
     */
    private void revoke(Local leader, Revocation reason, boolean competeAgain) {
        ArrayDeque<Local> queue = Objects.requireNonNull(queues.get(leader.role));
        queue.removeFirst();
        LeadershipRevokedException revoked = new LeadershipRevokedException(leader.role, leader.term, reason);
        calls.add(() -> leader.listener.revoked(revoked));
        if (competeAgain) {
            queue.addLast(leader);
        }
        Local next = queue.peekFirst();
        if (next != null) {
            grant(next);
        }
        else {
            queues.remove(leader.role);
        }
    }

    /**
     * Makes the queued listener calls, one at a time, unless another thread is making
     * them; holds no lock while a listener runs.
     */
    private void deliver() {
        while (!calls.isEmpty() && calling.compareAndSet(false, true)) {
            try {
                for (Runnable call = calls.poll(); call != null; call = calls.poll()) {
                    try {
                        call.run();
                    }
                    catch (RuntimeException listenerFailed) {
                        // one listener's fault must not keep the others from hearing of
                        // their grants
                    }
                }
            }
            finally {
                calling.set(false);
            }
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "LocalLeaderElection" + terms;
        }
    }

    private final class Local implements Candidacy {

        private final String role;

        private final LeadershipListener listener;

        /** The term of its latest grant. Guarded by {@code lock}. */
        private long term;

        /** Guarded by {@code lock}. */
        private boolean closed;

        Local(String role, LeadershipListener listener) {
            this.role = role;
            this.listener = listener;
        }

        private boolean leads() {
            ArrayDeque<Local> queue = queues.get(role);
            return queue != null && queue.peekFirst() == this;
        }

        @Override
        public void yield() {
            synchronized (lock) {
                if (closed || !leads()) {
                    return;
                }
                revoke(this, Revocation.YIELDED, true);
            }
            deliver();
        }

        @Override
        public void close() {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                if (leads()) {
                    revoke(this, Revocation.RELEASED, false);
                }
                else {
                    @Nullable ArrayDeque<Local> queue = queues.get(role);
                    if (queue != null) {
                        queue.remove(this);
                    }
                }
            }
            deliver();
        }

        @Override
        public String toString() {
            return "Candidacy[" + role + "]";
        }

    }

}
