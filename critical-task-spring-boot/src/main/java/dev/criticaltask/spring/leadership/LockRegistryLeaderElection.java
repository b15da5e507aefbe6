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

package dev.criticaltask.spring.leadership;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.Lock;
import java.util.function.Consumer;

import dev.criticaltask.Candidacy;
import dev.criticaltask.LeaderElection;
import dev.criticaltask.LeadershipListener;
import dev.criticaltask.LeadershipRevokedException;
import dev.criticaltask.LeadershipTerm;
import dev.criticaltask.Revocation;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.core.task.support.TaskExecutorAdapter;
import org.springframework.integration.leader.Candidate;
import org.springframework.integration.leader.Context;
import org.springframework.integration.support.leader.LockRegistryLeaderInitiator;
import org.springframework.integration.support.locks.LockRegistry;

/**
 * The core's {@link LeaderElection} on Spring Integration's
 * {@link LockRegistryLeaderInitiator}, over any {@link LockRegistry} (JDBC, Redis,
 * ZooKeeper). Each candidacy runs one initiator on a platform thread of its own, named
 * {@code critical-task-leader-<role>}, and adds what the initiator lacks:
 * <ul>
 * <li>a lease guard: every 50 ms it checks that the leader's lock was confirmed within
 * {@code time-to-live - margin}; if not (its store hangs, its thread is stuck, the
 * process was paused), the role's tasks are cancelled ({@link Revocation#LEASE_EXPIRED})
 * before the lock can expire under them, and the candidacy starts again with a new
 * initiator;</li>
 * <li>engine errors (exceptions of the lock store, which the initiator only logs at
 * DEBUG) go through a restart policy of their own: a backoff that doubles, and, beyond
 * {@code maxRestarts} within {@code within}, a {@link LeadershipFailedException} handed
 * to {@code onFailure} (which makes it critical);</li>
 * <li>ordered release: {@link Candidacy#close()} revokes the tasks first and then stops
 * the initiator, waiting for its thread to give the lock back (the row is deleted, so a
 * standby takes over at once), and {@link Candidacy#yield()} is a real hand-over (stop, a
 * pause of two standby polls, compete again);</li>
 * <li>terms from {@link LeadershipTerms}.</li>
 * </ul>
 * Thread-safe. {@link #close()} ends every candidacy and the guard's thread.
 */
public final class LockRegistryLeaderElection implements LeaderElection, AutoCloseable {

    private static final Log logger = LogFactory.getLog(LockRegistryLeaderElection.class);

    private static final long GUARD_PERIOD_MILLIS = 50;

    /** Two standby polls of Spring Integration's lock (100 ms each): a yield's pause. */
    private static final long HAND_OVER_PAUSE_MILLIS = 200;

    /** How long a release waits for the initiator's thread to give the lock back. */
    private static final long RELEASE_WAIT_MILLIS = 2000;

    /**
     * How the election runs.
     *
     * @param heartbeat the leader's renewal period
     * @param busyWait the pause after a revocation or an error before competing again
     * @param timeToLive the lock's time-to-live in the registry
     * @param margin the guard stops the tasks after {@code timeToLive - margin} without a
     * confirmed renewal
     * @param maxRestarts engine errors tolerated within {@code within}
     * @param within the window engine errors count in
     * @param backoffInitial the pause after the first engine error; doubles
     * @param backoffMax the longest pause
     */
    public record Settings(Duration heartbeat, Duration busyWait, Duration timeToLive, Duration margin, int maxRestarts,
            Duration within, Duration backoffInitial, Duration backoffMax) {

        /**
         * Checks the settings.
         * @param heartbeat the renewal period
         * @param busyWait the pause before competing again
         * @param timeToLive the lock's time-to-live
         * @param margin the guard's margin
         * @param maxRestarts engine errors tolerated
         * @param within their window
         * @param backoffInitial the first backoff
         * @param backoffMax the longest backoff
         * @throws IllegalArgumentException when {@code heartbeat} is not below
         * {@code timeToLive - margin}
         */
        public Settings {
            if (heartbeat.compareTo(timeToLive.minus(margin)) >= 0) {
                throw new IllegalArgumentException("the heartbeat (" + heartbeat
                        + ") must be shorter than time-to-live - margin (" + timeToLive.minus(margin) + ")");
            }
        }

    }

    private final LockRegistry<?> locks;

    private final LeadershipTerms terms;

    private final Settings settings;

    private final @Nullable ApplicationEventPublisher publisher;

    private final Consumer<LeadershipFailedException> onFailure;

    private final String id = UUID.randomUUID().toString();

    private final Set<RoleCandidacy> open = ConcurrentHashMap.newKeySet();

    private final ScheduledExecutorService guard = Executors.newSingleThreadScheduledExecutor((runnable) -> {
        Thread thread = new Thread(runnable, "critical-task-lease-guard");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Creates the election.
     * @param locks the lock registry; its locks must expire after
     * {@link Settings#timeToLive()} unless renewed
     * @param terms the terms of the grants
     * @param settings how it runs
     * @param publisher where Spring Integration's {@code OnGrantedEvent} and
     * {@code OnRevokedEvent} go; null for none
     * @param onFailure told once per role when its engine errors exceed the budget
     */
    public LockRegistryLeaderElection(LockRegistry<?> locks, LeadershipTerms terms, Settings settings,
            @Nullable ApplicationEventPublisher publisher, Consumer<LeadershipFailedException> onFailure) {
        this.locks = Objects.requireNonNull(locks, "locks must not be null");
        this.terms = Objects.requireNonNull(terms, "terms must not be null");
        this.settings = Objects.requireNonNull(settings, "settings must not be null");
        this.publisher = publisher;
        this.onFailure = Objects.requireNonNull(onFailure, "onFailure must not be null");
        this.guard.scheduleWithFixedDelay(this::checkLeases, GUARD_PERIOD_MILLIS, GUARD_PERIOD_MILLIS,
                TimeUnit.MILLISECONDS);
    }

    @Override
    public Candidacy campaign(String role, LeadershipListener listener) {
        RoleCandidacy candidacy = new RoleCandidacy(role, listener);
        this.open.add(candidacy);
        candidacy.startRound();
        return candidacy;
    }

    private void checkLeases() {
        long now = System.nanoTime();
        long limit = this.settings.timeToLive().minus(this.settings.margin()).toNanos();
        for (RoleCandidacy candidacy : this.open) {
            try {
                candidacy.checkLease(now, limit);
            }
            catch (RuntimeException ex) {
                logger.warn("The lease guard of role '" + candidacy.role + "' failed", ex);
            }
        }
    }

    /** Ends every candidacy (releasing what it leads) and the guard's thread. */
    @Override
    public void close() {
        for (RoleCandidacy candidacy : this.open) {
            candidacy.close();
        }
        this.guard.shutdownNow();
    }

    @Override
    public String toString() {
        return "LockRegistryLeaderElection[" + this.locks + "]";
    }

    /** One role's candidacy: a sequence of rounds, each one initiator. */
    private final class RoleCandidacy implements Candidacy {

        private final String role;

        private final LeadershipListener listener;

        private final Object lock = new Object();

        /** Guarded by lock. */
        private @Nullable Round round;

        /** Guarded by lock. */
        private boolean closed;

        /** When the engine errors in the window came (nanoTime). Guarded by lock. */
        private final ArrayDeque<Long> errors = new ArrayDeque<>();

        /** Errors since the last confirmed lock, for the backoff. Guarded by lock. */
        private int errorsInRow;

        RoleCandidacy(String role, LeadershipListener listener) {
            this.role = role;
            this.listener = listener;
        }

        void startRound() {
            Round next;
            synchronized (this.lock) {
                if (this.closed || this.round != null) {
                    return;
                }
                next = new Round(this);
                this.round = next;
            }
            next.start();
        }

        /**
         * Ends {@code ended} (if it is the current round) and starts the next after a
         * pause.
         */
        private void restart(Round ended, Revocation reason, long pauseMillis) {
            synchronized (this.lock) {
                if (this.round != ended) {
                    return;
                }
                this.round = null;
            }
            ended.revoke(reason);
            // stopping may block on a stuck thread: never on the guard's
            Thread stopper = new Thread(() -> ended.stop(false), "critical-task-leader-stop-" + this.role);
            stopper.setDaemon(true);
            stopper.start();
            if (!this.closed) {
                LockRegistryLeaderElection.this.guard.schedule(this::startRound, pauseMillis, TimeUnit.MILLISECONDS);
            }
        }

        void checkLease(long now, long limitNanos) {
            Round current;
            synchronized (this.lock) {
                current = this.round;
            }
            if (current != null && current.leading.get() != null && now - current.confirmedNanos > limitNanos) {
                logger.warn("Leadership of role '" + this.role + "' not confirmed for "
                        + TimeUnit.NANOSECONDS.toMillis(now - current.confirmedNanos)
                        + " ms: stopping its tasks before the lock can expire");
                long backoff = engineError(new IllegalStateException("lease not confirmed in time"));
                if (backoff >= 0) {
                    restart(current, Revocation.LEASE_EXPIRED, backoff);
                }
            }
        }

        /**
         * Counts an engine error.
         * {@return the backoff before competing again, or -1 when
         * the budget is spent (the failure is reported, the candidacy closed)}
         */
        long engineError(RuntimeException error) {
            Settings limits = LockRegistryLeaderElection.this.settings;
            long now = System.nanoTime();
            int count;
            long backoff;
            synchronized (this.lock) {
                if (this.closed) {
                    return -1;
                }
                this.errors.addLast(now);
                while (!this.errors.isEmpty() && now - this.errors.peekFirst() > limits.within().toNanos()) {
                    this.errors.removeFirst();
                }
                count = this.errors.size();
                int shift = Math.min(this.errorsInRow++, 20);
                long base = Math.min(limits.backoffInitial().toMillis() << shift, limits.backoffMax().toMillis());
                backoff = base + (long) (base * 0.2 * ThreadLocalRandom.current().nextDouble());
            }
            if (count > limits.maxRestarts()) {
                LeadershipFailedException failed = new LeadershipFailedException(this.role, count, limits.within(),
                        error);
                // possibly on the initiator's own thread, which close() waits for: not
                // here
                Thread failing = new Thread(() -> {
                    close();
                    LockRegistryLeaderElection.this.onFailure.accept(failed);
                }, "critical-task-leader-failed-" + this.role);
                failing.setDaemon(true);
                failing.start();
                return -1;
            }
            logger.warn("Leader election of role '" + this.role + "' failed (" + count + " in " + limits.within()
                    + "); competing again in " + backoff + " ms: " + error.getClass().getName());
            return backoff;
        }

        void confirmed() {
            synchronized (this.lock) {
                this.errorsInRow = 0;
            }
        }

        @Override
        public void yield() {
            Round current;
            synchronized (this.lock) {
                current = this.round;
            }
            if (current != null && current.leading.get() != null) {
                synchronized (this.lock) {
                    if (this.round != current) {
                        return;
                    }
                    this.round = null;
                }
                current.revoke(Revocation.YIELDED);
                current.stop(true);
                LockRegistryLeaderElection.this.guard.schedule(this::startRound, HAND_OVER_PAUSE_MILLIS,
                        TimeUnit.MILLISECONDS);
            }
        }

        @Override
        public void close() {
            Round current;
            synchronized (this.lock) {
                if (this.closed) {
                    return;
                }
                this.closed = true;
                current = this.round;
                this.round = null;
            }
            LockRegistryLeaderElection.this.open.remove(this);
            if (current != null) {
                current.revoke(Revocation.RELEASED);
                current.stop(true);
            }
        }

        boolean isCurrent(Round round) {
            synchronized (this.lock) {
                return this.round == round && !this.closed;
            }
        }

    }

    /** One initiator of a candidacy, with its thread and its guarded lock. */
    private final class Round implements Candidate, GuardedLock.Observer {

        private final RoleCandidacy candidacy;

        private final ExecutorService thread;

        private final LockRegistryLeaderInitiator initiator;

        /** The term this round leads in; null while it does not. */
        final AtomicReference<@Nullable LeadershipTerm> leading = new AtomicReference<>();

        /** When the last confirmed tryLock started (nanoTime). */
        volatile long confirmedNanos;

        Round(RoleCandidacy candidacy) {
            this.candidacy = candidacy;
            String name = "critical-task-leader-" + candidacy.role;
            this.thread = Executors.newSingleThreadExecutor((runnable) -> {
                Thread platform = new Thread(runnable, name);
                platform.setDaemon(true);
                return platform;
            });
            LockRegistry<?> guarded = new LockRegistry<Lock>() {
                @Override
                public Lock obtain(Object key) {
                    return new GuardedLock(LockRegistryLeaderElection.this.locks.obtain(key), Round.this);
                }
            };
            this.initiator = new LockRegistryLeaderInitiator(guarded, this);
            Settings settings = LockRegistryLeaderElection.this.settings;
            this.initiator.setHeartBeatMillis(settings.heartbeat().toMillis());
            this.initiator.setBusyWaitMillis(settings.busyWait().toMillis());
            this.initiator.setTaskExecutor(new TaskExecutorAdapter(this.thread));
            ApplicationEventPublisher events = LockRegistryLeaderElection.this.publisher;
            if (events != null) {
                this.initiator.setApplicationEventPublisher(events);
            }
        }

        void start() {
            this.initiator.start();
        }

        /** Stops the initiator; with {@code await}, waits for its thread to let go. */
        void stop(boolean await) {
            this.initiator.stop();
            this.thread.shutdown();
            if (await) {
                try {
                    if (!this.thread.awaitTermination(RELEASE_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
                        logger.warn("The leader election thread of role '" + this.candidacy.role
                                + "' did not end within " + RELEASE_WAIT_MILLIS + " ms; its lock expires by itself");
                    }
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Revokes the term this round leads in, if any, once. */
        void revoke(Revocation reason) {
            LeadershipTerm term = this.leading.getAndSet(null);
            if (term != null) {
                this.candidacy.listener.revoked(new LeadershipRevokedException(term.role(), term.term(), reason));
            }
        }

        @Override
        public String getRole() {
            return this.candidacy.role;
        }

        @Override
        public String getId() {
            return LockRegistryLeaderElection.this.id;
        }

        @Override
        public void onGranted(Context context) {
            if (!this.candidacy.isCurrent(this)) {
                // an ended round's thread got the lock after all: refusing gives it back
                throw new IllegalStateException("candidacy of role '" + getRole() + "' has ended");
            }
            LeadershipTerm term;
            try {
                term = LockRegistryLeaderElection.this.terms.next(getRole());
            }
            catch (RuntimeException ex) {
                // refused: the initiator unlocks and competes again
                long backoff = this.candidacy.engineError(ex);
                if (backoff > 0) {
                    pause(backoff);
                }
                throw ex;
            }
            this.leading.set(term);
            this.candidacy.listener.granted(term);
        }

        @Override
        public void onRevoked(Context context) {
            revoke(Revocation.LOST);
        }

        @Override
        public void confirmed(long startNanos) {
            this.confirmedNanos = startNanos;
            this.candidacy.confirmed();
        }

        @Override
        public void engineError(RuntimeException error) throws InterruptedException {
            long backoff = this.candidacy.engineError(error);
            if (backoff < 0) {
                return;
            }
            revoke(Revocation.ENGINE_ERROR);
            TimeUnit.MILLISECONDS.sleep(backoff);
        }

        private void pause(long millis) {
            try {
                TimeUnit.MILLISECONDS.sleep(millis);
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        }

    }

}
