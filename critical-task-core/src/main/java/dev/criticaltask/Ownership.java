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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.PhantomReference;
import java.lang.ref.ReferenceQueue;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

/**
 * Whether a handle from {@code spawn} was joined or detached, and the report when it
 * became unreachable while neither: a phantom reference to the handle.
 * <p>
 * A phantom reference is enqueued only while something else keeps it reachable. Until the
 * task has ended, its run keeps this one: the run is held by the executor that has yet to
 * run it, or by the thread that runs it (a platform thread while it lives, a virtual
 * thread through the JDK's thread container). A handle settled by then, the usual case of
 * a spawn that is joined, never touches anything shared. Only a task that ended before
 * its handle was settled moves this reference onto a list of the class, under one lock,
 * until it is settled or reported. A {@link java.lang.ref.Cleaner} would take its list's
 * lock twice on every spawn and join (issue 18's profile). What this gives up: a task
 * whose executor drops it without running it, or a virtual thread parked forever on
 * something unreachable under {@code -Djdk.trackAllThreads=false}, takes the run with it,
 * and its forgotten handle goes unreported.
 * <p>
 * Thread-safety: {@link #settle()} runs on the threads that use the handle,
 * {@link #taskEnded()} on the thread that ended the task, the report on the daemon thread
 * {@value #THREAD_NAME}. The state moves from held (by the run) to listed or settled, and
 * from listed to settled, by compare-and-set; a move onto or off the list is made under
 * its lock. Nothing here runs user code.
 */
final class Ownership extends PhantomReference<CriticalTaskHandle> {

    static final String THREAD_NAME = "dev.criticaltask.handle-cleaner";

    private static final int HELD = 0;

    private static final int LISTED = 1;

    /** Joined, detached or reported: nothing more to do. */
    private static final int SETTLED = 2;

    private static final AtomicLong ABANDONED = new AtomicLong();

    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Ownership.class, "state", int.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final String description;

    private final @Nullable StackTraceElement spawnSite;

    private final SpawnSites sites;

    private final System.Logger logger;

    private volatile int state = HELD;

    /** Neighbours on the list of ended tasks' references; guarded by its lock. */
    private @Nullable Ownership previous;

    private @Nullable Ownership next;

    Ownership(CriticalTaskHandle handle, String description, @Nullable StackTraceElement spawnSite, SpawnSites sites,
            System.Logger logger) {
        super(handle, Reports.QUEUE);
        this.description = description;
        this.spawnSite = spawnSite;
        this.sites = sites;
        this.logger = logger;
    }

    /**
     * The number of handles reported, since this class was loaded.
     */
    static long abandonedCount() {
        return ABANDONED.get();
    }

    /** The handle was joined or detached: it is never reported. */
    void settle() {
        if (STATE.compareAndSet(this, HELD, SETTLED)) {
            clear();
            return;
        }
        if (state == LISTED) {
            synchronized (Ended.LOCK) {
                if (STATE.compareAndSet(this, LISTED, SETTLED)) {
                    Ended.unlink(this);
                }
            }
        }
        clear();
    }

    /**
     * The task ended and its run will soon keep nothing alive: a reference not settled
     * yet goes onto the list, which keeps it until it is.
     */
    void taskEnded() {
        if (state != HELD) {
            return;
        }
        synchronized (Ended.LOCK) {
            if (STATE.compareAndSet(this, HELD, LISTED)) {
                Ended.link(this);
            }
        }
    }

    /** On the reporting thread, once the handle was found unreachable. */
    private void report() {
        int was;
        synchronized (Ended.LOCK) {
            // the handle is gone, so no settle() races this; a task end may
            was = state;
            if (was == LISTED) {
                Ended.unlink(this);
            }
            state = SETTLED;
        }
        if (was == SETTLED) {
            return;
        }
        try {
            logger.log(System.Logger.Level.ERROR,
                    "Critical task '" + description
                            + "' was neither joined nor detached before its handle became unreachable; spawned at "
                            + ((spawnSite != null) ? spawnSite : sites.unrecorded()));
        }
        finally {
            // counted after the log, so that a reader who sees the count also finds the
            // report
            ABANDONED.incrementAndGet();
        }
    }

    /**
     * The references of tasks that ended before their handles were settled: a doubly
     * linked list, so that settling one costs the same however many there are.
     */
    private static final class Ended {

        static final Object LOCK = new Object();

        private static @Nullable Ownership head;

        private Ended() {
        }

        /** Guarded by {@link #LOCK}. */
        static void link(Ownership owner) {
            Ownership first = head;
            owner.next = first;
            if (first != null) {
                first.previous = owner;
            }
            head = owner;
        }

        /** Guarded by {@link #LOCK}. */
        static void unlink(Ownership owner) {
            Ownership before = owner.previous;
            Ownership after = owner.next;
            if (before != null) {
                before.next = after;
            }
            else {
                head = after;
            }
            if (after != null) {
                after.previous = before;
            }
            owner.previous = null;
            owner.next = null;
        }

    }

    /**
     * The queue and the thread that reports, started when the first handle is tracked.
     */
    private static final class Reports {

        static final ReferenceQueue<CriticalTaskHandle> QUEUE = new ReferenceQueue<>();

        static {
            Thread reporter = new Thread(Reports::run, THREAD_NAME);
            reporter.setDaemon(true);
            reporter.start();
        }

        private Reports() {
        }

        private static void run() {
            while (true) {
                try {
                    ((Ownership) QUEUE.remove()).report();
                }
                catch (InterruptedException ex) {
                    // as a Cleaner's thread does: it goes on, for the life of the JVM
                }
                catch (RuntimeException | Error ex) {
                    // a logger that throws must not end the reports of the other handles
                }
            }
        }

    }

}
