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

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.Lock;

/**
 * The lock that one candidacy's {@code LockRegistryLeaderInitiator} uses, wrapped around
 * the registry's own. It does three things the initiator does not:
 * <ul>
 * <li>times each confirmed {@code tryLock} (from before the call: the lock is valid at
 * least the TTL from then), for the lease guard;</li>
 * <li>sees each exception of the lock store, which the initiator only logs at DEBUG, and
 * hands it to the engine's restart policy (which may pause this thread for the
 * backoff);</li>
 * <li>drops the local hold the initiator leaks when a leader's re-acquire fails (Spring
 * Integration 7.0.x calls {@code onRevoked} without {@code unlock}): without it a later
 * graceful release deletes nothing, and a successor waits for the TTL.</li>
 * </ul>
 * Used by the initiator's one selector thread only, so its hold count needs no lock.
 */
final class GuardedLock implements Lock {

    /** What the lock reports to. */
    interface Observer {

        /** A tryLock that started at {@code startNanos} succeeded. */
        void confirmed(long startNanos);

        /** The lock store failed; may wait out a backoff on this thread. */
        void engineError(RuntimeException error) throws InterruptedException;

    }

    private final Lock delegate;

    private final Observer observer;

    /** The holds this wrapper handed out and not yet given back. */
    private int holds;

    GuardedLock(Lock delegate, Observer observer) {
        this.delegate = delegate;
        this.observer = observer;
    }

    @Override
    public boolean tryLock(long time, TimeUnit unit) throws InterruptedException {
        long start = System.nanoTime();
        boolean locked;
        try {
            locked = this.delegate.tryLock(time, unit);
        }
        catch (RuntimeException error) {
            this.observer.engineError(error);
            throw error;
        }
        if (locked) {
            this.holds++;
            this.observer.confirmed(start);
        }
        else if (this.holds == 1) {
            // the leader's renewal failed: another client holds the row now. The
            // initiator
            // revokes next and never unlocks, so the hold it keeps is given back here, on
            // its own thread (the store's DELETE matches nothing, and may say so)
            this.holds = 0;
            try {
                this.delegate.unlock();
            }
            catch (RuntimeException expected) {
                // the row is another client's: nothing to delete, the local hold is gone
            }
        }
        return locked;
    }

    @Override
    public boolean tryLock() {
        boolean locked = this.delegate.tryLock();
        if (locked) {
            this.holds++;
        }
        return locked;
    }

    @Override
    public void lock() {
        this.delegate.lock();
        this.holds++;
    }

    @Override
    public void lockInterruptibly() throws InterruptedException {
        this.delegate.lockInterruptibly();
        this.holds++;
    }

    @Override
    public void unlock() {
        if (this.holds == 0) {
            // given back already, when the lock was lost
            return;
        }
        this.holds--;
        this.delegate.unlock();
    }

    @Override
    public Condition newCondition() {
        return this.delegate.newCondition();
    }

}
