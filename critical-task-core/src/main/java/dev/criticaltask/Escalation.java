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
import java.util.concurrent.atomic.AtomicReferenceFieldUpdater;

import org.jspecify.annotations.Nullable;

/**
 * The escalation of one run's failure: whether a failure escalates at once, the failure
 * that cancelled the parent, set once, and the cancel itself.
 *
 * <p>
 * Thread-safe: the task's thread and the supervision timer's (for a stall or a start-up
 * time-out) may race to escalate; a compare-and-set picks the first, and every other gets
 * the same failure back. The parent is cancelled by the winner after the set, and by
 * {@link TaskRun#finish} before it publishes when the winner has not got there yet.
 */
final class Escalation {

    private static final AtomicReferenceFieldUpdater<Escalation, CriticalTaskFailedException> ESCALATED = AtomicReferenceFieldUpdater
        .newUpdater(Escalation.class, CriticalTaskFailedException.class, "escalated");

    private final TaskRun run;

    private final CancellationToken parent;

    private final @Nullable RestartBudget budget;

    /**
     * The failure that cancelled the parent; set once, by the first thread to escalate.
     */
    private volatile @Nullable CriticalTaskFailedException escalated;

    Escalation(TaskRun run, CancellationToken parent, @Nullable RestartBudget budget) {
        this.run = run;
        this.parent = parent;
        this.budget = budget;
    }

    /** The failure escalated; null while none has. */
    @Nullable CriticalTaskFailedException failure() {
        return escalated;
    }

    /**
     * Whether the restart policy would run a stalled attempt again; when not, the stall
     * escalates at once.
     */
    boolean wouldRestart(Throwable stall) {
        return budget != null && escalated == null && !run.token().isCancelled()
                && budget.wouldRestart(System.nanoTime(), stall);
    }

    /**
     * Makes the failure fatal, once: records it, cancels the parent with it, logs it. The
     * first thread to get here does it (the task's, or the supervision timer's for a
     * stall); another gets the same failure back, and {@link TaskRun#finish} sees the
     * parent cancelled before it publishes.
     */
    CriticalTaskFailedException escalate(Throwable thrown) {
        CriticalTaskFailedException failed = escalated;
        if (failed != null) {
            return failed;
        }
        try {
            failed = new CriticalTaskFailedException(run.description(), thrown);
            if (budget != null) {
                for (Throwable earlier : budget.earlierCauses()) {
                    if (earlier != thrown) {
                        failed.addSuppressed(earlier);
                    }
                }
            }
        }
        catch (Throwable cannotRecord) {
            parent.cancel(); // even out of memory, the siblings must hear of the failure
            throw cannotRecord;
        }
        if (!ESCALATED.compareAndSet(this, null, failed)) {
            return Objects.requireNonNull(escalated);
        }
        parent.cancel(reasonFor(failed));
        TaskSnapshot now = run.published();
        // after the cancel: the logger calls the cause's toString, and may be slow; the
        // line is made only when the logger takes it (a failure's code runs cold: the
        // concatenation was a sixth of the escalation's profile with the logging off)
        CriticalTaskFailedException fatal = failed;
        int restarts = now.restartCount();
        run.log(System.Logger.Level.ERROR, () -> fatal.logLine(restarts), fatal);
        TaskEvents.failed(run.description(), now.attempt(), restarts, thrown, run.thread());
        return failed;
    }

    /** What the parent is cancelled with: the observer may wrap the failure. */
    Throwable reasonFor(CriticalTaskFailedException failed) {
        TaskObserver watcher = run.observer();
        return watcher != null ? watcher.failing(run, failed) : failed;
    }

}
