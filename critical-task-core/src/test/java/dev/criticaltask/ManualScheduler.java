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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Delayed;
import java.util.concurrent.FutureTask;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * A supervision scheduler whose clock the test moves: {@link #advance(Duration)} runs, on
 * the calling thread and in due order, every action due by then. Nothing runs on its own.
 */
final class ManualScheduler extends ScheduledThreadPoolExecutor {

    private final List<Due> pending = new ArrayList<>();

    private long now;

    private boolean shut;

    ManualScheduler() {
        super(1);
    }

    @Override
    public synchronized ScheduledFuture<?> schedule(Runnable command, long delay, TimeUnit unit) {
        if (shut) {
            throw new RejectedExecutionException("shut down");
        }
        Due due = new Due(command, now + unit.toNanos(delay));
        pending.add(due);
        notifyAll();
        return due;
    }

    /** Waits until at least {@code count} actions have been scheduled and are pending. */
    synchronized void awaitPending(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pendingCount() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("expected " + count + " scheduled actions, found " + pendingCount());
            }
            TimeUnit.NANOSECONDS.timedWait(this, left);
        }
    }

    private int pendingCount() {
        return (int) pending.stream().filter(due -> !due.isDone()).count();
    }

    /** Moves the clock on and runs what is due, earliest first. */
    void advance(Duration by) {
        long until;
        synchronized (this) {
            now += by.toNanos();
            until = now;
        }
        while (true) {
            Due next;
            synchronized (this) {
                next = pending.stream()
                    .filter(due -> !due.isDone() && due.at <= until)
                    .min((a, b) -> Long.compare(a.at, b.at))
                    .orElse(null);
                if (next == null) {
                    return;
                }
                pending.remove(next);
            }
            next.run();
        }
    }

    @Override
    public synchronized List<Runnable> shutdownNow() {
        shut = true;
        pending.clear();
        super.shutdownNow();
        return List.of();
    }

    @Override
    public synchronized boolean isShutdown() {
        return shut;
    }

    private final class Due extends FutureTask<Void> implements ScheduledFuture<Void> {

        private final long at;

        Due(Runnable action, long at) {
            super(action, null);
            this.at = at;
        }

        @Override
        public long getDelay(TimeUnit unit) {
            synchronized (ManualScheduler.this) {
                return unit.convert(at - now, TimeUnit.NANOSECONDS);
            }
        }

        @Override
        public int compareTo(Delayed other) {
            return Long.compare(getDelay(TimeUnit.NANOSECONDS), other.getDelay(TimeUnit.NANOSECONDS));
        }

    }

}
