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

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * The dependency order of a registry's tasks ({@link CriticalTaskSpec#dependsOn()}): an
 * attempt begins only once every task it depends on is ready (or has completed); a later
 * attempt of a task that others depend on begins only once those have stopped (rest for
 * one: a restart stops its dependents first, and they start again after it is ready); a
 * stop ends dependents before what they depend on.
 *
 * <p>
 * Guarded by the registry's lock, which is also the monitor that waiting tasks wait on:
 * every change that may let one begin ({@link #changed()}) wakes them all, and each
 * checks again. No user code runs under the lock; cancellations are made outside it.
 */
final class StartOrder {

    private final Object lock;

    /**
     * The live task of a name, or else the last finished one remembered; called under the
     * lock.
     */
    private final Function<String, @Nullable TaskRun> lookup;

    /** The tasks with an attempt under way; guarded by {@code lock}. */
    private final Set<TaskRun> running = Collections.newSetFromMap(new IdentityHashMap<>());

    StartOrder(Object lock, Function<String, @Nullable TaskRun> lookup) {
        this.lock = lock;
        this.lookup = lookup;
    }

    /**
     * Waits, on the task's thread, until attempt {@code number} of {@code run} may begin;
     * with {@code enter}, counts it as under way from then on. False when the task's
     * token was cancelled first (or the wait was interrupted, the interrupt flag kept):
     * the attempt must not begin.
     */
    boolean await(TaskRun run, int number, boolean enter) {
        synchronized (lock) {
            if (tryEnter(run, number, enter)) {
                return true;
            }
        }
        CancellationToken token = run.token();
        try (Registration wake = token.onCancel(this::changed)) {
            synchronized (lock) {
                while (!token.isCancelled()) {
                    if (tryEnter(run, number, enter)) {
                        return true;
                    }
                    lock.wait();
                }
                return false;
            }
        }
        catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Guarded by {@code lock}. */
    private boolean tryEnter(TaskRun run, int number, boolean enter) {
        // a cancelled token alone does not stop an attempt that may begin: it begins,
        // and finds its token cancelled, as it would without a start order
        if (!startable(run, number)) {
            return false;
        }
        if (enter) {
            running.add(run);
        }
        return true;
    }

    /** Guarded by {@code lock}. */
    private boolean startable(TaskRun run, int number) {
        for (String name : run.dependsOn()) {
            TaskRun dependency = lookup.apply(name);
            if (dependency == null || !dependency.published().satisfiesDependents()) {
                return false;
            }
        }
        if (number > 1) {
            for (TaskRun other : running) {
                if (dependsOn(other, run.description())) {
                    return false; // a dependent still runs: it stops first
                }
            }
        }
        return true;
    }

    /** The attempt of {@code run} has ended. */
    void left(TaskRun run) {
        synchronized (lock) {
            if (running.remove(run)) {
                lock.notifyAll();
            }
        }
    }

    /** A task became ready, or finished: a waiting one may begin. */
    void changed() {
        synchronized (lock) {
            lock.notifyAll();
        }
    }

    /**
     * {@code restarting} runs again: every running attempt of a task that depends on it,
     * directly or not, is cancelled (on the calling thread, outside the lock); each runs
     * again once what it depends on is ready.
     */
    void stopDependents(TaskRun restarting) {
        List<Attempt> stopping = new ArrayList<>();
        synchronized (lock) {
            for (TaskRun other : running) {
                Attempt attempt = other.attempts().current();
                if (attempt != null && dependsOn(other, restarting.description())) {
                    // not ready from now on, under the lock: no task waiting on it can
                    // pass
                    other.gate().stoppingForDependency(attempt);
                    stopping.add(attempt);
                }
            }
        }
        for (Attempt attempt : stopping) {
            attempt.cancellation().cancel();
        }
    }

    /**
     * Whether {@code run} depends on the task named {@code name}, directly or through
     * others. Guarded by {@code lock}.
     */
    private boolean dependsOn(TaskRun run, String name) {
        Set<String> seen = new HashSet<>();
        ArrayDeque<TaskRun> pending = new ArrayDeque<>();
        pending.add(run);
        while (!pending.isEmpty()) {
            for (String dependency : pending.poll().dependsOn()) {
                if (dependency.equals(name)) {
                    return true;
                }
                TaskRun next = seen.add(dependency) ? lookup.apply(dependency) : null;
                if (next != null) {
                    pending.add(next);
                }
            }
        }
        return false;
    }

    /**
     * Stops {@code runs} dependents first: cancels the tasks nothing still running
     * depends on, waits for them until {@code deadline} ({@link System#nanoTime()}), then
     * the next ones. Returns at the deadline whatever is left, for the caller's cancel of
     * the root; at once when no task depends on another.
     */
    static void stopDependentsFirst(Collection<TaskRun> runs, long deadline) throws InterruptedException {
        if (runs.stream().allMatch(run -> run.dependsOn().isEmpty())) {
            return;
        }
        List<TaskRun> remaining = new ArrayList<>(runs);
        while (!remaining.isEmpty() && deadline - System.nanoTime() > 0) {
            Set<String> needed = new HashSet<>();
            for (TaskRun run : remaining) {
                if (!run.published().isFinished()) {
                    needed.addAll(run.dependsOn());
                }
            }
            List<TaskRun> leaves = new ArrayList<>();
            for (TaskRun run : remaining) {
                if (!needed.contains(run.description())) {
                    leaves.add(run);
                }
            }
            if (leaves.isEmpty()) {
                return; // cannot happen without a cycle, which spawning refuses
            }
            for (TaskRun leaf : leaves) {
                leaf.token().cancel();
            }
            for (TaskRun leaf : leaves) {
                leaf.awaitDone(deadline - System.nanoTime());
            }
            remaining.removeAll(leaves);
        }
    }

    /**
     * Checks a batch of specs to spawn together and returns it in start order, each after
     * what it depends on. {@code live} are the names of the tasks already live,
     * {@code known} those a task may depend on (the live ones and the finished ones
     * remembered).
     * @throws IllegalArgumentException naming the tasks, when a name is not unique, a
     * dependency is neither live nor in the batch, or dependencies form a cycle
     */
    static List<CriticalTaskSpec> inStartOrder(List<CriticalTaskSpec> specs, Set<String> live, Set<String> known) {
        Map<String, CriticalTaskSpec> byName = new LinkedHashMap<>();
        for (CriticalTaskSpec spec : specs) {
            if (live.contains(spec.name())) {
                throw new IllegalArgumentException("A critical task named '" + spec.name() + "' is already running");
            }
            if (byName.putIfAbsent(spec.name(), spec) != null) {
                throw new IllegalArgumentException("Two critical tasks to spawn are named '" + spec.name() + "'");
            }
        }
        Map<String, List<String>> unknown = new LinkedHashMap<>();
        for (CriticalTaskSpec spec : specs) {
            for (String dependency : spec.dependsOn()) {
                if (!byName.containsKey(dependency) && !known.contains(dependency)) {
                    unknown.computeIfAbsent(spec.name(), name -> new ArrayList<>()).add(dependency);
                }
            }
        }
        if (!unknown.isEmpty()) {
            StringBuilder message = new StringBuilder("Critical tasks depend on tasks that do not exist:");
            unknown.forEach((name, missing) -> message.append(" '")
                .append(name)
                .append("' depends on ")
                .append(quoted(missing))
                .append(';'));
            message.setLength(message.length() - 1);
            throw new IllegalArgumentException(message + " (known: " + quoted(union(byName.keySet(), known)) + ")");
        }
        List<CriticalTaskSpec> ordered = new ArrayList<>(specs.size());
        Set<String> done = new HashSet<>();
        for (CriticalTaskSpec spec : specs) {
            visit(spec, byName, done, new LinkedHashSet<>(), ordered);
        }
        return ordered;
    }

    private static void visit(CriticalTaskSpec spec, Map<String, CriticalTaskSpec> byName, Set<String> done,
            LinkedHashSet<String> path, List<CriticalTaskSpec> ordered) {
        if (done.contains(spec.name())) {
            return;
        }
        if (!path.add(spec.name())) {
            List<String> cycle = new ArrayList<>();
            boolean inCycle = false;
            for (String name : path) {
                inCycle |= name.equals(spec.name());
                if (inCycle) {
                    cycle.add(name);
                }
            }
            cycle.add(spec.name());
            throw new IllegalArgumentException(
                    "Critical tasks depend on each other in a cycle: " + String.join(" -> ", cycle));
        }
        for (String dependency : spec.dependsOn()) {
            CriticalTaskSpec next = byName.get(dependency);
            if (next != null) {
                visit(next, byName, done, path, ordered);
            }
        }
        path.remove(spec.name());
        done.add(spec.name());
        ordered.add(spec);
    }

    private static Set<String> union(Set<String> first, Set<String> second) {
        Set<String> all = new LinkedHashSet<>(first);
        all.addAll(second);
        return all;
    }

    private static String quoted(Collection<String> names) {
        List<String> quoted = new ArrayList<>(names.size());
        names.forEach(name -> quoted.add("'" + name + "'"));
        return String.join(", ", quoted);
    }

}
