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
 * The thread a task runs on while it runs on one, as a stop and a stall see it: for its
 * stack, and for an interrupt that must reach this task's attempt and nothing else,
 * neither the next attempt nor the executor's next job. Its monitor is the runtime's own
 * and is held only for the few steps below, never while user code runs, so a stop that
 * needs it is never held up by a task.
 */
final class TaskThread {

    /**
     * Written under this monitor, volatile so that {@link #release()} can see without it
     * that the calling thread holds nothing.
     */
    private volatile @Nullable Thread thread;

    private @Nullable Attempt attempt;

    /**
     * Whether {@link #thread} was interrupted from here, and must then not carry it into
     * other work.
     */
    private boolean interrupted;

    /** The calling thread runs the task now. */
    synchronized void hold() {
        thread = Thread.currentThread();
    }

    /** The attempt the thread runs now; null between attempts. */
    synchronized void attempting(@Nullable Attempt running) {
        attempt = running;
    }

    /**
     * Lets go of the calling thread, if it is the task's: for the executor's next job, or
     * none.
     */
    void release() {
        if (thread != Thread.currentThread()) {
            // only the calling thread makes itself the holder, so this cannot change
            // under it: a task that finished has released already, and pays no lock
            return;
        }
        boolean ours;
        synchronized (this) {
            if (thread != Thread.currentThread()) {
                return;
            }
            thread = null;
            attempt = null;
            ours = interrupted;
            interrupted = false;
        }
        if (ours) {
            Thread.interrupted(); // an interrupt meant for the task must not reach the
                                  // executor's next job
        }
    }

    /**
     * Interrupts the thread while it still runs {@code stalled}: later, it would hit the
     * next attempt.
     */
    synchronized void interrupt(Attempt stalled) {
        if (thread != null && attempt == stalled) {
            interruptHeld();
        }
    }

    /** Interrupts the thread if the task still holds one; true when it did. */
    synchronized boolean interruptIfHeld() {
        if (thread == null) {
            return false;
        }
        interruptHeld();
        return true;
    }

    /** The thread the task holds now, if any: what its JFR events name. */
    synchronized @Nullable Thread current() {
        return thread;
    }

    /**
     * The thread while it still runs {@code stalled}: a stall's stack must not be taken
     * of the next attempt, nor of the executor's next job.
     */
    synchronized @Nullable Thread running(Attempt stalled) {
        return attempt == stalled ? thread : null;
    }

    /**
     * Where the thread is while it still runs {@code stalled}; null once it does not, so
     * that the stack is never that of other work.
     */
    synchronized StackTraceElement @Nullable [] stackTrace(Attempt stalled) {
        Thread held = thread;
        return held != null && attempt == stalled ? held.getStackTrace() : null;
    }

    /** Where the thread is now; empty when the task holds none. */
    synchronized StackTraceElement[] stackTrace() {
        Thread held = thread;
        return held != null ? held.getStackTrace() : new StackTraceElement[0];
    }

    /** Guarded by {@code this}. */
    private void interruptHeld() {
        Thread held = thread;
        if (held != null) {
            held.interrupt();
            interrupted = true;
        }
    }

}
