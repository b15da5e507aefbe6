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
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * Named critical tasks under one root {@link CancellationToken}: the first failure
 * cancels the root, so every task stops, and {@link #stop(Duration)} ends them all within
 * a bounded time.
 *
 * <h2>Names</h2> A name is unique among live tasks; once a task has ended its name may be
 * used again. A blank or null name, a null task, a name already live, or a spawn after
 * {@link #stop(Duration) stop} began is refused with an exception whose message names the
 * problem, and nothing changes.
 *
 * <h2>Failure</h2> When a task throws, the registry records the failure <em>before</em>
 * the root is cancelled, so once the root is cancelled by a failure
 * {@link #firstFailure()} returns it. The root's reason is that first failure. Only the
 * first failure is kept; every failure is logged once.
 *
 * <p>
 * A task spawned on the root token directly, with
 * {@link CriticalTaskHandle#spawn(String, CriticalTask, CancellationToken)
 * CriticalTaskHandle.spawn(…, registry.rootToken())}, is not one of the registry's: it is
 * not listed, named or stopped by it, and its listeners do not hear of it. Its failure
 * still cancels the root with its {@link CriticalTaskFailedException} as the reason, and
 * {@link #firstFailure()} returns the root's reason whenever it is such a failure, so the
 * rule above holds whoever failed: once the root is cancelled by a failure,
 * {@code firstFailure()} returns it.
 *
 * <h2>Supervision</h2> {@link #spawn(CriticalTaskSpec)} takes a {@link RestartPolicy} and
 * a heartbeat timeout per task. A restart runs under the same name with a fresh token,
 * and never after the root was cancelled: a blocking task's on its own thread, an
 * asynchronous task's handed to the executor again. A failure escalates (records, cancels
 * the root) only when the policy has no restart left. One supervision timer thread per
 * registry watches every heartbeat and start-up timeout and times the asynchronous
 * restarts: a fatal stall or an attempt not ready in time fails its task on that thread.
 *
 * <h2>Start order</h2> A task whose spec {@link CriticalTaskSpec#withDependsOn depends
 * on} others begins its first attempt only once each of them is ready (see
 * {@link TaskContext#ready()}) or has completed; until then it is
 * {@link TaskState#RUNNING} without a start time, and holds its thread.
 * {@link #spawnAll(List)} spawns a batch in that order, and refuses (spawning none) names
 * that are unknown and cycles, naming the tasks. When a task that others depend on
 * restarts, their running attempts are cancelled first, its next attempt begins once they
 * have ended, and theirs once it is ready again (rest for one). A stop ends dependents
 * before what they depend on, within the one grace period. A task that declares no
 * dependencies starts and stops as if none of this existed, unless others depend on it.
 *
 * <h2>Generations</h2> {@link #pause(Duration)} stops every live task as
 * {@link #stop(Duration) stop} does (same grace, interrupt and report), by cancelling
 * each task's own token instead of the root, and refuses spawns until {@link #resume()}
 * opens a new generation, whose tasks run under fresh tokens below the root. The root,
 * the first failure and the listeners outlive generations: a task that fails in any
 * generation, even while a pause stops it, cancels the root. A pause does not run the
 * stopped tasks again; whoever spawned them spawns them again after the resume (a Spring
 * context's lifecycle does so for its task beans). The finished tasks that
 * {@link #tasks()} remembers are those of the current generation.
 *
 * <h2>Stopping</h2> {@link #stop(Duration)} refuses new spawns, cancels the root, waits
 * up to the grace period, then takes the stack of every task still running and interrupts
 * it, waits a short while more (one second by default, see
 * {@link Builder#interruptWait(Duration)}) and returns a {@link StopReport} naming those
 * stragglers. It is bounded even when a task ignores both cancellation and interrupts;
 * such a task's thread is left running.
 *
 * <h2>Thread-safety</h2> All methods are thread-safe. Which thread runs a listener, a
 * restart predicate or an asynchronous task's end (the task's own, the supervision
 * timer's, the one that completes a stage, the one that stops the registry) is stated
 * once, in {@link CriticalTaskListener}'s
 * <a href="CriticalTaskListener.html#threads">thread rules</a>; none of them runs under a
 * lock. The registry's handles are owned by it: they need not be joined or detached.
 */
public final class CriticalTaskRegistry implements AutoCloseable {

    /** The grace period of {@link #close()} unless the builder sets another. */
    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(10);

    /**
     * How long {@code stop} waits after interrupting stragglers, unless the builder sets
     * another.
     */
    public static final Duration DEFAULT_INTERRUPT_WAIT = Duration.ofSeconds(1);

    /**
     * How many finished tasks {@link #tasks()} keeps, unless the builder sets another.
     */
    public static final int DEFAULT_FINISHED_TASK_HISTORY = 100;

    private static final System.Logger DEFAULT_LOGGER = System.getLogger(CriticalTaskRegistry.class.getName());

    private final CancellationToken root;

    private final Executor executor;

    private final System.Logger logger;

    private final Duration interruptWait;

    private final Duration closeGracePeriod;

    private final int finishedTaskHistory;

    /** Makes the supervision timer's scheduler; null for the default one. */
    private final @Nullable Supplier<ScheduledThreadPoolExecutor> supervisionScheduler;

    private final Object lock = new Object();

    /** Live tasks in spawn order; guarded by {@code lock}. */
    private final Map<String, CriticalTaskHandle> live = new LinkedHashMap<>();

    /** The most recently finished tasks, oldest first; guarded by {@code lock}. */
    private final ArrayDeque<CriticalTaskHandle> finished = new ArrayDeque<>();

    private volatile boolean stopping;

    /** Set from the start of a pause until the next resume; spawns are refused. */
    private volatile boolean paused;

    /**
     * Watches heartbeats and times asynchronous restarts; created with the first task
     * that needs it. Guarded by {@code lock}.
     */
    private @Nullable SupervisionTimer timer;

    private final List<CriticalTaskListener> listeners = new CopyOnWriteArrayList<>();

    private final LeaderElection election;

    /** The open group of each role that live tasks name. Guarded by {@code lock}. */
    private final Map<String, RoleGroup> roles = new HashMap<>();

    private final AtomicReference<@Nullable CriticalTaskFailedException> firstFailure = new AtomicReference<>();

    private final StartOrder order = new StartOrder(lock, this::lookup);

    /** A registry with a new root token and one new platform thread per task. */
    public CriticalTaskRegistry() {
        this(builder());
    }

    private CriticalTaskRegistry(Builder builder) {
        this.root = builder.rootToken != null ? builder.rootToken : CancellationToken.create();
        this.executor = builder.executor();
        this.logger = builder.logger;
        this.interruptWait = builder.interruptWait;
        this.closeGracePeriod = builder.closeGracePeriod;
        this.finishedTaskHistory = builder.finishedTaskHistory;
        this.election = builder.leaderElection != null ? builder.leaderElection : new LocalLeaderElection();
        this.supervisionScheduler = builder.supervisionScheduler;
    }

    /**
     * {@return a builder for a registry with its own root token, threads, logger or time
     * limits}
     */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * {@return whether this JVM offers virtual threads (Java 21 or later)}
     */
    public static boolean virtualThreadsAvailable() {
        return TaskThreads.virtualThreadsAvailable();
    }

    /**
     * {@return the root token: every task runs under a child of it, and any failure
     * cancels it}
     */
    public CancellationToken rootToken() {
        return root;
    }

    /**
     * Spawns a named task under the root token, with no restarts and no heartbeat.
     * @param name unique among live tasks; not blank. With the default executor the
     * thread is named {@code critical-task-<name>}.
     * @param task the work
     * @return the task's handle, owned by this registry (joining or detaching it is
     * optional)
     * @throws IllegalArgumentException when the name is blank or a live task already has
     * it
     * @throws IllegalStateException when {@link #stop(Duration)} has begun, or the
     * registry is paused
     * @throws NullPointerException when the name or the task is null
     * @throws java.util.concurrent.RejectedExecutionException when the executor refuses
     * the task
     */
    public CriticalTaskHandle spawn(String name, CriticalTask task) {
        // the spec checks the name and the task, with the same messages
        return spawn(CriticalTaskSpec.of(name, task));
    }

    /**
     * Spawns a named asynchronous task under the root token, with no restarts:
     * {@code start} runs on a task thread, which is released as soon as it returns; the
     * task then lasts until its stage completes, and cancelling its token cancels the
     * stage.
     * @param name unique among live tasks; not blank
     * @param task starts the work and returns its stage
     * @return the task's handle, owned by this registry
     * @throws IllegalArgumentException when the name is blank or a live task already has
     * it
     * @throws IllegalStateException when {@link #stop(Duration)} has begun, or the
     * registry is paused
     * @throws NullPointerException when the name or the task is null
     * @throws java.util.concurrent.RejectedExecutionException when the executor refuses
     * the task
     * @see AsyncCriticalTask
     */
    public CriticalTaskHandle spawnAsync(String name, AsyncCriticalTask task) {
        return spawn(CriticalTaskSpec.async(name, task));
    }

    /**
     * Spawns a task as its spec describes: its restart policy decides whether a failure
     * is run again before it cancels the root, and its heartbeat timeout, if any, is
     * watched by one monitor thread shared by all tasks of this registry.
     * @param spec the task's name, work, restart policy and heartbeat
     * @return the task's handle, owned by this registry (joining or detaching it is
     * optional)
     * @throws IllegalArgumentException when a live task already has the spec's name, or a
     * task it {@link CriticalTaskSpec#withDependsOn depends on} is neither live nor
     * remembered as finished (naming both; {@link #spawnAll(List)} spawns tasks that
     * depend on each other, and refuses cycles)
     * @throws IllegalStateException when {@link #stop(Duration)} has begun, or the
     * registry is paused
     * @throws java.util.concurrent.RejectedExecutionException when the executor refuses
     * the task
     */
    public CriticalTaskHandle spawn(CriticalTaskSpec spec) {
        Objects.requireNonNull(spec, "spec must not be null");
        String name = spec.name();
        TaskRun run;
        CriticalTaskHandle handle;
        RoleGroup group = null;
        synchronized (lock) {
            if (stopping) {
                throw new IllegalStateException("Cannot spawn critical task '" + name + "': the registry is stopping");
            }
            if (paused) {
                throw new IllegalStateException("Cannot spawn critical task '" + name
                        + "': the registry is paused (its tasks are stopped until it is resumed)");
            }
            if (live.containsKey(name)) {
                throw new IllegalArgumentException("A critical task named '" + name + "' is already running");
            }
            if (!spec.dependsOn().isEmpty()) {
                StartOrder.inStartOrder(List.of(spec), live.keySet(), knownNames());
            }
            boolean timed = spec.heartbeatTimeout().isPresent() || spec.startupTimeout().isPresent()
                    || (spec.isAsync() && spec.restartPolicy().allowsRestarts());
            String role = spec.leadershipRole().orElse(null);
            if (role != null) {
                group = roles.get(role);
                if (group == null || !group.join()) {
                    group = new RoleGroup(role, election);
                    group.join();
                    roles.put(role, group);
                }
            }
            run = new TaskRun(spec, root, logger, timed ? supervisionTimer() : null, executor, group);
            handle = CriticalTaskHandle.owned(run);
            run.observeWith(new Supervision(handle));
            run.gate().startInOrder(order);
            live.put(name, handle);
        }
        try {
            if (group != null) {
                // outside the lock: the election may call listeners on this thread
                group.campaign();
            }
            executor.execute(run);
        }
        catch (RuntimeException | Error refused) {
            synchronized (lock) {
                live.remove(name, handle);
            }
            if (group != null) {
                boolean last;
                synchronized (lock) {
                    last = group.leave();
                    if (last) {
                        roles.remove(group.role(), group);
                    }
                }
                if (last) {
                    group.close();
                }
            }
            // whoever saw it meanwhile (tasks(), find(), a stop) sees it end, never
            // having run
            run.abandonUnstarted();
            throw refused;
        }
        return handle;
    }

    /**
     * Spawns several tasks together, each after those it depends on: every spec is
     * checked first (names, dependencies, cycles), and a batch that fails the check
     * spawns nothing. A task that depends on others begins once they are ready, as the
     * class comment states. When a spawn is refused midway (its executor refuses it), the
     * tasks of the batch spawned before it are cancelled, and the refusal is thrown.
     * @param specs the tasks; a dependency may name a task of the batch or a task already
     * live (or remembered as finished)
     * @return the handles, in the order of {@code specs}
     * @throws IllegalArgumentException naming the tasks, when two share a name, a name is
     * already live, a dependency names no such task, or dependencies form a cycle
     * @throws IllegalStateException when {@link #stop(Duration)} has begun
     * @throws java.util.concurrent.RejectedExecutionException when the executor refuses a
     * task
     */
    public List<CriticalTaskHandle> spawnAll(List<CriticalTaskSpec> specs) {
        Objects.requireNonNull(specs, "specs must not be null");
        specs.forEach(spec -> Objects.requireNonNull(spec, "specs must not contain null"));
        List<CriticalTaskSpec> ordered;
        synchronized (lock) {
            if (stopping) {
                throw new IllegalStateException("Cannot spawn critical tasks: the registry is stopping");
            }
            ordered = StartOrder.inStartOrder(specs, live.keySet(), knownNames());
        }
        Map<String, CriticalTaskHandle> spawned = new LinkedHashMap<>();
        try {
            for (CriticalTaskSpec spec : ordered) {
                spawned.put(spec.name(), spawn(spec));
            }
        }
        catch (RuntimeException | Error refused) {
            spawned.values().forEach(CriticalTaskHandle::cancel);
            throw refused;
        }
        List<CriticalTaskHandle> handles = new ArrayList<>(specs.size());
        specs.forEach(spec -> handles.add(spawned.get(spec.name())));
        return Collections.unmodifiableList(handles);
    }

    /**
     * The names a task may depend on: the live tasks and the finished ones remembered.
     * Guarded by {@code lock}.
     */
    private Set<String> knownNames() {
        Set<String> known = new LinkedHashSet<>(live.keySet());
        finished.forEach(done -> known.add(done.description()));
        return known;
    }

    /** What {@link #find} finds, as a run. Guarded by {@code lock}. */
    private @Nullable TaskRun lookup(String name) {
        CriticalTaskHandle found = findLocked(name);
        return found != null ? found.run() : null;
    }

    /**
     * The supervision timer, made with the first task that needs it. Guarded by
     * {@code lock}.
     */
    private SupervisionTimer supervisionTimer() {
        SupervisionTimer existing = timer;
        if (existing == null) {
            existing = supervisionScheduler != null ? new SupervisionTimer(supervisionScheduler.get())
                    : new SupervisionTimer();
            timer = existing;
        }
        return existing;
    }

    /**
     * The live task with this name, or else the most recently finished one still
     * remembered.
     * @param name the task's name
     * @return the task, or empty when no task of that name is live or remembered
     */
    public Optional<CriticalTaskHandle> find(String name) {
        Objects.requireNonNull(name, "name must not be null");
        synchronized (lock) {
            return Optional.ofNullable(findLocked(name));
        }
    }

    /** What {@link #find} finds. Guarded by {@code lock}. */
    private @Nullable CriticalTaskHandle findLocked(String name) {
        CriticalTaskHandle running = live.get(name);
        if (running != null) {
            return running;
        }
        for (Iterator<CriticalTaskHandle> newestFirst = finished.descendingIterator(); newestFirst.hasNext();) {
            CriticalTaskHandle done = newestFirst.next();
            if (done.description().equals(name)) {
                return done;
            }
        }
        return null;
    }

    /**
     * A snapshot: the remembered finished tasks (at most
     * {@link Builder#finishedTaskHistory(int)}), oldest first, then the live ones in the
     * order they were spawned.
     * @return the tasks, finished ones first; an unmodifiable copy
     */
    public List<CriticalTaskHandle> tasks() {
        synchronized (lock) {
            List<CriticalTaskHandle> snapshot = new ArrayList<>(finished.size() + live.size());
            snapshot.addAll(finished);
            snapshot.addAll(live.values());
            return Collections.unmodifiableList(snapshot);
        }
    }

    /**
     * Gives up the leadership of {@code role}, if this registry leads it, and competes
     * again: the role's tasks are cancelled with a {@link LeadershipRevokedException}
     * ({@link Revocation#YIELDED}) and wait in {@link TaskState#STANDBY}; the election
     * may grant the role to another instance, or to this one again. The role's tasks are
     * stopped first (waiting up to the builder's close grace period for them), and only
     * then is the role given up, so that another instance never starts the work while
     * this one still runs it.
     * @param role the role
     * @return whether this registry led the role
     * @throws InterruptedException when interrupted while the tasks stop; the role is
     * given up all the same
     */
    public boolean yieldLeadership(String role) throws InterruptedException {
        Objects.requireNonNull(role, "role must not be null");
        RoleGroup group;
        synchronized (lock) {
            group = roles.get(role);
        }
        return group != null && group.yieldLeadership(CancellationToken.saturatedNanos(closeGracePeriod));
    }

    /**
     * {@return the grant of {@code role} in force, if this registry leads it}
     * @param role the role
     */
    public Optional<LeadershipTerm> leadership(String role) {
        Objects.requireNonNull(role, "role must not be null");
        RoleGroup group;
        synchronized (lock) {
            group = roles.get(role);
        }
        RoleGroup.Grant grant = group != null ? group.current() : null;
        return grant != null ? Optional.of(grant.term()) : Optional.empty();
    }

    /**
     * Adds a listener for tasks that start or end from now on.
     * @param listener what to tell
     * @return a registration whose {@code close()} removes the listener
     */
    public Registration addListener(CriticalTaskListener listener) {
        Objects.requireNonNull(listener, "listener must not be null");
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /**
     * The first failure: the one the root was cancelled with, once a failure has
     * cancelled it (even one of a handle spawned on the root directly, which the registry
     * does not watch); before that, the failure of one of the registry's tasks that has
     * been recorded and is about to cancel the root; and when the root was cancelled
     * without a failure (by {@link #stop(Duration) stop}, say), the first failure of one
     * of the registry's tasks after that.
     * @return the first failure, or empty while no task has failed
     */
    public Optional<CriticalTaskFailedException> firstFailure() {
        CriticalTaskFailedException rootFailure = rootFailure();
        return rootFailure != null ? Optional.of(rootFailure) : Optional.ofNullable(firstFailure.get());
    }

    /**
     * {@return the failure the root was cancelled with, if one was}
     */
    private @Nullable CriticalTaskFailedException rootFailure() {
        return root.isCancelled() && root.reason().orElse(null) instanceof CriticalTaskFailedException failure ? failure
                : null;
    }

    /**
     * {@return whether {@link #stop(Duration)} has begun; spawns are refused from then
     * on}
     */
    public boolean isStopping() {
        return stopping;
    }

    /**
     * Stops every task: refuses new spawns, cancels the root, waits up to {@code grace}
     * for the tasks to end, then interrupts the ones still running and waits the
     * builder's interrupt wait more. Safe to call more than once and from several
     * threads.
     * @param grace how long tasks get to stop after the root is cancelled; not negative
     * @return the tasks that outlived the grace period, with the stack each had then
     * @throws InterruptedException when the calling thread is interrupted while waiting;
     * the root stays cancelled
     */
    public StopReport stop(Duration grace) throws InterruptedException {
        requireGrace(grace);
        List<CriticalTaskHandle> running;
        SupervisionTimer supervision;
        synchronized (lock) {
            stopping = true;
            running = new ArrayList<>(live.values());
            supervision = timer;
        }
        long deadline = deadlineAfter(grace);
        stopDependentsFirst(running, deadline);
        root.cancel();
        return awaitStopped(running, supervision, grace, deadline);
    }

    /**
     * Dependents first, each layer within the grace period ending at {@code deadline};
     * nothing when no task depends on another.
     */
    private static void stopDependentsFirst(List<CriticalTaskHandle> running, long deadline)
            throws InterruptedException {
        List<TaskRun> runs = new ArrayList<>(running.size());
        running.forEach(task -> runs.add(task.run()));
        StartOrder.stopDependentsFirst(runs, deadline);
    }

    /**
     * Stops the tasks of the current generation as {@link #stop(Duration)} does (the same
     * grace, interrupt and report), but cancels each live task's own token instead of the
     * root: the registry refuses spawns until {@link #resume()}, then runs tasks again. A
     * task that fails while it stops (with anything but an {@code InterruptedException}
     * once its token is cancelled) is a failure as at any other time: it cancels the
     * root. Safe to call more than once and from several threads; during or after a
     * {@code stop}, it only waits as {@code stop} does.
     * @param grace how long tasks get to stop after their tokens are cancelled; not
     * negative
     * @return the tasks that outlived the grace period, with the stack each had then
     * @throws InterruptedException when the calling thread is interrupted while waiting;
     * the tasks stay cancelled and the registry paused
     */
    public StopReport pause(Duration grace) throws InterruptedException {
        requireGrace(grace);
        List<CriticalTaskHandle> running;
        SupervisionTimer supervision;
        synchronized (lock) {
            paused = true;
            running = new ArrayList<>(live.values());
            supervision = timer;
            // the next generation's tasks get a timer of their own: no thread of this
            // one is left behind
            timer = null;
        }
        long deadline = deadlineAfter(grace);
        stopDependentsFirst(running, deadline);
        // No spawn can join the generation now, and every restart of these runs under
        // their tokens.
        for (CriticalTaskHandle task : running) {
            task.run().token().cancel();
        }
        return awaitStopped(running, supervision, grace, deadline);
    }

    /**
     * Opens a new generation after a {@link #pause(Duration) pause}: spawns are accepted
     * again, each task under a fresh token below the root, and the finished tasks of
     * earlier generations are forgotten ({@link #tasks()} and {@link #find(String)} no
     * longer return them). Does nothing unless paused, nor once {@link #stop(Duration)}
     * has begun. A task of an earlier generation that has not ended yet keeps its name
     * until it ends.
     */
    public void resume() {
        synchronized (lock) {
            if (!paused || stopping) {
                return;
            }
            finished.clear();
            paused = false;
        }
    }

    /**
     * {@return whether a {@link #pause(Duration) pause} has begun and no
     * {@link #resume()} has followed; spawns are refused meanwhile}
     */
    public boolean isPaused() {
        return paused;
    }

    private static void requireGrace(Duration grace) {
        Objects.requireNonNull(grace, "grace must not be null");
        if (grace.isNegative()) {
            throw new IllegalArgumentException("grace must not be negative, but was " + grace);
        }
    }

    /**
     * Waits for tasks whose token is cancelled, up to the grace, then interrupts the
     * stragglers and waits the interrupt wait; shuts the supervision timer down first.
     */
    private StopReport awaitStopped(List<CriticalTaskHandle> running, @Nullable SupervisionTimer supervision,
            Duration grace, long deadline) throws InterruptedException {
        if (supervision != null) {
            // every task is cancelled now: a stall is no longer news, and no restart is
            // due
            supervision.shutdown();
        }
        List<CriticalTaskHandle> outlived = new ArrayList<>();
        for (CriticalTaskHandle task : running) {
            if (!task.run().awaitDone(deadline - System.nanoTime())) {
                outlived.add(task);
            }
        }
        if (outlived.isEmpty()) {
            releaseRoles();
            return new StopReport(List.of());
        }
        List<UnstoppedTask> unstopped = new ArrayList<>(outlived.size());
        for (CriticalTaskHandle task : outlived) {
            StackTraceElement[] stack = task.run().thread().stackTrace();
            if (!task.isFinished()) {
                unstopped.add(new UnstoppedTask(task.description(), List.of(stack)));
                task.run().interruptIfRunning();
                TaskEvents.straggler(task.description(), task.attempt(), grace, List.of(stack), task.run().thread());
            }
        }
        long interruptDeadline = deadlineAfter(interruptWait);
        for (CriticalTaskHandle task : outlived) {
            task.run().awaitDone(interruptDeadline - System.nanoTime());
        }
        releaseRoles();
        StopReport report = new StopReport(unstopped);
        if (!report.isClean()) {
            logger.log(System.Logger.Level.WARNING, report.describe());
        }
        return report;
    }

    /**
     * Stops with the builder's close grace period ({@link #DEFAULT_GRACE_PERIOD} by
     * default). When interrupted, returns with the thread's interrupt flag set.
     */
    @Override
    public void close() {
        try {
            stop(closeGracePeriod);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        synchronized (lock) {
            return "CriticalTaskRegistry[live=" + live.keySet() + (stopping ? ", stopping" : paused ? ", paused" : "")
                    + "]";
        }
    }

    /**
     * Closes every role's candidacy: after the tasks have stopped (each group closes its
     * own when its last task ends), so this only releases what tasks that outlived the
     * stop still hold.
     */
    private void releaseRoles() {
        List<RoleGroup> open;
        synchronized (lock) {
            open = new ArrayList<>(roles.values());
            roles.clear();
        }
        for (RoleGroup group : open) {
            group.close();
        }
    }

    private static long deadlineAfter(Duration wait) {
        // capped so that adding it to nanoTime cannot overflow
        return System.nanoTime() + Math.min(CancellationToken.saturatedNanos(wait), Long.MAX_VALUE / 4);
    }

    private void notifyListeners(String event, CriticalTaskHandle task, ListenerCall call) {
        for (CriticalTaskListener listener : listeners) {
            try {
                call.notify(listener);
            }
            catch (Throwable ex) {
                logger.log(System.Logger.Level.WARNING, "A critical task listener threw on '" + event + "' of task '"
                        + task.description() + "'; the other listeners still run", ex);
            }
        }
    }

    @FunctionalInterface
    private interface ListenerCall {

        void notify(CriticalTaskListener listener);

    }

    /**
     * How the registry watches one of its tasks. A per-task policy (restarts, heartbeats)
     * belongs here, next to the handle it supervises.
     */
    private final class Supervision implements TaskObserver {

        private final CriticalTaskHandle handle;

        /** Set when this task, ending, was the last of its role. */
        private volatile boolean lastOfRole;

        Supervision(CriticalTaskHandle handle) {
            this.handle = handle;
        }

        @Override
        public void started(TaskRun run) {
            notifyListeners("started", handle, listener -> listener.started(handle));
        }

        @Override
        public CriticalTaskFailedException failing(TaskRun run, CriticalTaskFailedException failure) {
            // Every failing task cancels the root with the recorded first failure:
            // whichever cancel
            // lands first, the root's reason is the record. A failure the root already
            // carries came
            // first (a handle spawned on the root directly records nothing of its own).
            CriticalTaskFailedException earlier = rootFailure();
            firstFailure.compareAndSet(null, earlier != null ? earlier : failure);
            return Objects.requireNonNull(firstFailure.get());
        }

        @Override
        public void ready(TaskRun run) {
            order.changed();
            notifyListeners("ready", handle, listener -> listener.ready(handle));
        }

        @Override
        public void restarting(TaskRun run, Throwable cause, Duration backoff) {
            // rest for one: what depends on it stops first, and runs again once it is
            // ready
            order.stopDependents(run);
            notifyListeners("restarted", handle, listener -> listener.restarted(handle, cause, backoff));
        }

        @Override
        public void granted(TaskRun run, LeadershipTerm term) {
            notifyListeners("granted", handle, listener -> listener.granted(handle, term));
        }

        @Override
        public void standby(TaskRun run, LeadershipRevokedException reason) {
            notifyListeners("standby", handle, listener -> listener.standby(handle, reason));
        }

        @Override
        public void stalled(TaskRun run, StallReport stall) {
            notifyListeners("stalled", handle, listener -> listener.stalled(handle, stall));
        }

        @Override
        public boolean ending(TaskRun run, BooleanSupplier publish) {
            // one step for every reader: a handle that says finished has freed its name
            synchronized (lock) {
                if (!publish.getAsBoolean()) {
                    return false;
                }
                live.remove(run.description(), handle);
                RoleGroup group = run.group();
                if (group != null && group.leave()) {
                    roles.remove(group.role(), group);
                    lastOfRole = true;
                }
                if (finishedTaskHistory > 0) {
                    if (finished.size() >= finishedTaskHistory) {
                        finished.removeFirst();
                    }
                    finished.addLast(handle);
                }
                return true;
            }
        }

        @Override
        public void finished(TaskRun run) {
            order.changed();
            RoleGroup group = run.group();
            if (group != null && lastOfRole) {
                // the last task of its role has ended: release the role at once
                group.close();
            }
            TaskSnapshot end = run.published();
            switch (end.state()) {
                case COMPLETED -> notifyListeners("completed", handle, listener -> listener.completed(handle));
                case CANCELLED -> notifyListeners("cancelled", handle, listener -> listener.cancelled(handle));
                case FAILED -> {
                    CriticalTaskFailedException failure = end.failure().orElseThrow();
                    notifyListeners("failed", handle, listener -> listener.failed(handle, failure));
                }
                case RUNNING, STALLED, STANDBY ->
                    throw new IllegalStateException("finished while running: " + run.description());
            }
        }

    }

    /**
     * Configures a {@link CriticalTaskRegistry}. Choose at most one of
     * {@link #executor(Executor)}, {@link #threadFactory(ThreadFactory)} and
     * {@link #virtualThreads(boolean)}; without any, each task gets a new platform
     * thread. Not thread-safe.
     */
    public static final class Builder {

        private @Nullable CancellationToken rootToken;

        private @Nullable Executor executor;

        private @Nullable ThreadFactory threadFactory;

        private boolean virtualThreads;

        private boolean daemonThreads;

        private System.Logger logger = DEFAULT_LOGGER;

        private Duration interruptWait = DEFAULT_INTERRUPT_WAIT;

        private Duration closeGracePeriod = DEFAULT_GRACE_PERIOD;

        private int finishedTaskHistory = DEFAULT_FINISHED_TASK_HISTORY;

        private @Nullable LeaderElection leaderElection;

        private @Nullable Supplier<ScheduledThreadPoolExecutor> supervisionScheduler;

        private Builder() {
        }

        /**
         * The scheduler of the supervision timer instead of its own thread: the clock of
         * heartbeat checks, start-up timeouts and asynchronous backoffs, for tests that
         * move it by hand.
         */
        Builder supervisionScheduler(Supplier<ScheduledThreadPoolExecutor> supervisionScheduler) {
            this.supervisionScheduler = Objects.requireNonNull(supervisionScheduler, "supervisionScheduler");
            return this;
        }

        /**
         * The root token to use instead of a new one.
         * @param rootToken the root; cancelling it stops every task
         * @return this builder
         */
        public Builder rootToken(CancellationToken rootToken) {
            this.rootToken = Objects.requireNonNull(rootToken, "rootToken must not be null");
            return this;
        }

        /**
         * Runs tasks on this executor. It must run every task eventually; a bounded pool
         * that long-running tasks could fill would starve the rest.
         * @param executor runs every task, and every restart of an asynchronous one
         * @return this builder
         */
        public Builder executor(Executor executor) {
            this.executor = Objects.requireNonNull(executor, "executor must not be null");
            return this;
        }

        /**
         * Runs each task on a new thread from this factory; the factory names the
         * threads.
         * @param threadFactory makes one thread per task
         * @return this builder
         */
        public Builder threadFactory(ThreadFactory threadFactory) {
            this.threadFactory = Objects.requireNonNull(threadFactory, "threadFactory must not be null");
            return this;
        }

        /**
         * Runs each task on a new virtual thread named {@code critical-task-<name>}.
         * Needs Java 21 or later: {@link #build()} fails with a clear message on older
         * versions.
         * @param virtualThreads whether each task runs on a new virtual thread
         * @return this builder
         */
        public Builder virtualThreads(boolean virtualThreads) {
            this.virtualThreads = virtualThreads;
            return this;
        }

        /**
         * Whether the default platform threads are daemon threads (default {@code false}:
         * like {@code new Thread()}, a running task keeps the JVM alive). Virtual threads
         * always are.
         * @param daemonThreads whether the default platform threads are daemon threads
         * @return this builder
         */
        public Builder daemonThreads(boolean daemonThreads) {
            this.daemonThreads = daemonThreads;
            return this;
        }

        /**
         * Where the registry and its tasks log: failures at {@code ERROR}, stop reports
         * and throwing listeners at {@code WARNING}. Defaults to
         * {@link System#getLogger(String)}.
         * @param logger where to log
         * @return this builder
         */
        public Builder logger(System.Logger logger) {
            this.logger = Objects.requireNonNull(logger, "logger must not be null");
            return this;
        }

        /**
         * How long {@code stop} waits after interrupting stragglers (default one second).
         * @param interruptWait how long to wait; not negative
         * @return this builder
         */
        public Builder interruptWait(Duration interruptWait) {
            this.interruptWait = requireNotNegative(interruptWait, "interruptWait");
            return this;
        }

        /**
         * The grace period of {@link CriticalTaskRegistry#close()} (default ten seconds).
         * @param closeGracePeriod the grace period; not negative
         * @return this builder
         */
        public Builder closeGracePeriod(Duration closeGracePeriod) {
            this.closeGracePeriod = requireNotNegative(closeGracePeriod, "closeGracePeriod");
            return this;
        }

        /**
         * How many finished tasks {@link CriticalTaskRegistry#tasks()} remembers (default
         * 100).
         * @param finishedTaskHistory how many; not negative, 0 for none
         * @return this builder
         */
        public Builder finishedTaskHistory(int finishedTaskHistory) {
            if (finishedTaskHistory < 0) {
                throw new IllegalArgumentException(
                        "finishedTaskHistory must not be negative, but was " + finishedTaskHistory);
            }
            this.finishedTaskHistory = finishedTaskHistory;
            return this;
        }

        /**
         * Decides which instance leads the roles that tasks name
         * ({@link CriticalTaskSpec#withLeadership(String)}). Default: a
         * {@link LocalLeaderElection} of the registry's own, which grants every role at
         * once.
         * @param leaderElection the election
         * @return this builder
         */
        public Builder leaderElection(LeaderElection leaderElection) {
            this.leaderElection = Objects.requireNonNull(leaderElection, "leaderElection must not be null");
            return this;
        }

        /**
         * Creates the registry.
         * @return the registry
         * @throws IllegalStateException when more than one of executor, thread factory
         * and virtual threads was chosen, or virtual threads were asked for on Java 17 to
         * 20
         */
        public CriticalTaskRegistry build() {
            executor();
            return new CriticalTaskRegistry(this);
        }

        private Executor executor() {
            int choices = (executor != null ? 1 : 0) + (threadFactory != null ? 1 : 0) + (virtualThreads ? 1 : 0);
            if (choices > 1) {
                throw new IllegalStateException(
                        "Choose only one of executor, threadFactory and virtualThreads for a CriticalTaskRegistry");
            }
            if (executor != null) {
                return executor;
            }
            if (threadFactory != null) {
                return TaskThreads.from(threadFactory);
            }
            return virtualThreads ? TaskThreads.virtual() : TaskThreads.platform(daemonThreads);
        }

        private static Duration requireNotNegative(Duration value, String name) {
            Objects.requireNonNull(value, name + " must not be null");
            if (value.isNegative()) {
                throw new IllegalArgumentException(name + " must not be negative, but was " + value);
            }
            return value;
        }

    }

}
