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

package dev.criticaltask.sample.orders;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.jspecify.annotations.Nullable;

/**
 * A bounded queue of accepted orders that can be closed.
 *
 * <p>
 * Closing is what makes "no accepted order is lost silently" hold: {@link #offer(Order)}
 * and {@link #close()} take the same lock, so an order is either refused, or queued
 * before the close, where the processor's drain will find it. Closing also wakes a
 * processor blocked in {@link #poll(Duration)}, so that it notices its cancellation at
 * once. Thread-safe.
 */
public final class OrderQueue {

    /** What became of an offered order. */
    public enum Offer {

        /** Queued: the processor will process it or hand it back. */
        QUEUED,

        /** Refused: the queue is full. */
        FULL,

        /** Refused: the service is stopping. */
        CLOSED

    }

    private final ReentrantLock lock = new ReentrantLock();

    private final Condition changed = this.lock.newCondition();

    private final ArrayDeque<Order> orders = new ArrayDeque<>();

    private final int capacity;

    private boolean closed;

    /**
     * Creates an open, empty queue.
     * @param capacity how many orders it holds at most
     */
    public OrderQueue(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("capacity must be at least 1, but was " + capacity);
        }
        this.capacity = capacity;
    }

    /** Queues {@code order} unless the queue is full or closed; never blocks. */
    public Offer offer(Order order) {
        this.lock.lock();
        try {
            if (this.closed) {
                return Offer.CLOSED;
            }
            if (this.orders.size() >= this.capacity) {
                return Offer.FULL;
            }
            this.orders.addLast(order);
            this.changed.signal();
            return Offer.QUEUED;
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Takes the oldest order, waiting up to {@code timeout} for one. Returns {@code null}
     * on time-out, and at once when the queue is closed and empty. A closed queue still
     * hands out the orders it holds, so that they can be drained.
     * @throws InterruptedException when the waiting thread is interrupted
     */
    public @Nullable Order poll(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        this.lock.lockInterruptibly();
        try {
            while (this.orders.isEmpty() && !this.closed) {
                if (nanos <= 0) {
                    return null;
                }
                nanos = this.changed.awaitNanos(nanos);
            }
            return this.orders.pollFirst();
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Takes the oldest order without waiting, or {@code null}; unlike {@link #poll},
     * ignores interrupts.
     */
    public @Nullable Order pollNow() {
        this.lock.lock();
        try {
            return this.orders.pollFirst();
        }
        finally {
            this.lock.unlock();
        }
    }

    /**
     * Refuses every later offer and wakes the consumer. Idempotent; never blocks for
     * long.
     */
    public void close() {
        this.lock.lock();
        try {
            this.closed = true;
            this.changed.signalAll();
        }
        finally {
            this.lock.unlock();
        }
    }

    /** Whether {@link #close()} was called. */
    public boolean isClosed() {
        this.lock.lock();
        try {
            return this.closed;
        }
        finally {
            this.lock.unlock();
        }
    }

    /** How many orders wait. */
    public int size() {
        this.lock.lock();
        try {
            return this.orders.size();
        }
        finally {
            this.lock.unlock();
        }
    }

}
