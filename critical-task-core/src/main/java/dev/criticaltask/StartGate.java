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
 * The start-up gate of one run: where its attempts wait for what the task depends on to
 * be ready (in the registry's {@link StartOrder}), and where the run's own readiness is
 * published for those that depend on it.
 *
 * <p>
 * Thread-safety: the order is set once, by the registry before the run is executed, and
 * read through a volatile. The waits and {@link #left()} run on the task's thread;
 * {@link #attemptReady} on whichever thread the task calls {@code ready()} from;
 * {@link #stoppingForDependency} on a restarting dependency's thread, under the
 * {@link StartOrder}'s lock. Readiness itself is a fact of the run's snapshot, so every
 * change here is a {@link TaskRun#transition}; no lock of its own is taken.
 */
final class StartGate {

    private final TaskRun run;

    /** The dependency order this task starts in; null outside a registry. */
    private volatile @Nullable StartOrder order;

    StartGate(TaskRun run) {
        this.run = run;
    }

    void startInOrder(StartOrder order) {
        this.order = order;
    }

    /** Whether the task starts in no dependency order, so that nothing makes it wait. */
    boolean isUnordered() {
        return order == null;
    }

    /**
     * Waits, before the task's first attempt, until what it depends on is ready; false
     * when the task was stopped while it waited (it never began).
     */
    boolean awaitFirstStart() {
        StartOrder waitFor = order;
        return waitFor == null || run.dependsOn().isEmpty() || waitFor.await(run, 1, false);
    }

    /**
     * Waits until attempt {@code number} may run, and enters the order's running set;
     * false when the task was stopped while it waited. The attempt is published as the
     * run's current one before this, so a restart of what it depends on finds it.
     */
    boolean awaitAttempt(int number) {
        StartOrder waitFor = order;
        return waitFor == null || waitFor.await(run, number, true);
    }

    /** The run's attempt ended, or the run did: it leaves the order's running set. */
    void left() {
        StartOrder ordered = order;
        if (ordered != null) {
            ordered.left(run);
        }
    }

    /** An attempt said it is ready: published once, while it is the one under way. */
    void attemptReady(Attempt attempt) {
        long now = TaskTime.now();
        // a stop for a restart of what it depends on may race this: it marks the attempt
        // first, then publishes a new snapshot, so this step sees the mark or fails
        if (run
            .transition(running -> attempt.isStoppedForDependency() ? null : running.readied(attempt.attempt(), now))) {
            TaskObserver watcher = run.observer();
            if (watcher != null) {
                watcher.ready(run);
            }
        }
    }

    /**
     * Marks {@code attempt} as stopped for a restart of a task it depends on, and not
     * ready: those that depend on this task wait from now on. Runs no user code; the
     * caller cancels the attempt afterwards.
     */
    void stoppingForDependency(Attempt attempt) {
        attempt.markStoppedForDependency();
        run.transition(running -> running.stoppingForDependency(attempt.attempt()));
    }

}
