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

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;

import org.jspecify.annotations.Nullable;

/**
 * A parent token's record of one child. It refers to the child weakly, so that a bare
 * child nobody references can be collected while its parent lives, and strongly
 * ({@link #strong}) while the child holds registrations of its own or through a
 * descendant, so that none of them is lost. The child holds its parent strongly, through
 * this record's {@link #owner}.
 *
 * <p>
 * When a child is collected, the collector enqueues its record, and the reaper thread
 * (one per JVM, a daemon started with the first record) removes it from the parent's
 * list: a parent that hands out a million children and drops them keeps none of their
 * records.
 */
final class ChildLink extends WeakReference<CancellationToken> {

    private static final System.Logger LOG = System.getLogger(CancellationToken.class.getName());

    /** Where the collector puts the records of collected children. */
    private static final ReferenceQueue<CancellationToken> COLLECTED = new ReferenceQueue<>();

    /**
     * Whether the reaper thread started (it starts with the first record, when this class
     * loads).
     */
    private static final boolean REAPER_RUNS = startReaper(COLLECTED);

    /**
     * The parent, whose list holds this record; every mutable field is guarded by its
     * lock.
     */
    final CancellationToken owner;

    /**
     * The child while it holds registrations (written under the owner's lock, read by its
     * canceller).
     */
    volatile @Nullable CancellationToken strong;

    @Nullable ChildLink prev;

    @Nullable ChildLink next;

    /**
     * Set (under the owner's lock) once the child was unlinked or collected: the record
     * has left the owner's list, or the owner's canceller, which owns the list, skips it.
     */
    volatile boolean removed;

    ChildLink(CancellationToken owner, CancellationToken child) {
        super(child, COLLECTED);
        this.owner = owner;
    }

    /**
     * The child, or null when it was collected (and so can be neither observed nor
     * cancelled).
     */
    @Nullable CancellationToken target() {
        CancellationToken held = strong;
        return held != null ? held : get();
    }

    /**
     * Removes the record of each collected child from its parent, as the collector
     * enqueues them; the reaper thread's loop.
     */
    private static void reap(ReferenceQueue<CancellationToken> queue) {
        while (true) {
            try {
                ChildLink link = (ChildLink) queue.remove();
                link.owner.forget(link);
            }
            catch (InterruptedException ex) {
                // nobody owns this thread's interrupts: keep reaping
            }
            catch (Throwable ex) {
                LOG.log(System.Logger.Level.WARNING, "Could not drop the record of a collected child token", ex);
            }
        }
    }

    private static boolean startReaper(ReferenceQueue<CancellationToken> queue) {
        try {
            Thread thread = new Thread(() -> reap(queue), "dev.criticaltask.token-reaper");
            thread.setDaemon(true);
            // it runs no user code: it must not pin the class loader of whichever thread
            // started it
            thread.setContextClassLoader(null);
            thread.start();
            return true;
        }
        catch (Throwable ex) {
            LOG.log(System.Logger.Level.WARNING, "Could not start the thread that drops the records of collected "
                    + "child tokens; CancellationToken.child() drops them instead", ex);
            return false;
        }
    }

    /**
     * Without the reaper thread, drops what the collector has enqueued so far (called
     * holding no lock).
     */
    static void reapWithoutThread() {
        if (!REAPER_RUNS) {
            for (ChildLink link; (link = (ChildLink) COLLECTED.poll()) != null;) {
                link.owner.forget(link);
            }
        }
    }

}
