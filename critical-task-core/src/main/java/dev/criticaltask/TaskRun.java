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
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * The state machine of one critical task: what the executor runs, and the one
 * {@link TaskSnapshot} that every reader sees, replaced as a whole by compare-and-set
 * (never a running task with a finish time, nor an attempt without its heartbeat base).
 * The attempts run in {@link BlockingAttempts} or {@link AsyncAttempts}, watched by a
 * {@link HeartbeatWatch}; each begins and ends in the {@link AttemptCycle}, where the
 * restart policy decides whether the task restarts, finishes, or fails and cancels its
 * parent ({@link Escalation}). Its other parts: the {@link StartGate} (start order and
 * readiness), {@link RunLeadership} (the grants of its role) and the {@link StallRecord}.
 *
 * <p>
 * No lock is held while user code runs; the one monitor, {@link TaskThread}'s, is held
 * only for a few steps of the runtime's own, so a stop is never held up by a task. The
 * run holds no reference to its {@link CriticalTaskHandle}, so a handle can be found
 * unreachable (and reported as forgotten) while its task is still running.
 *
 * <p>
 * Why it is cut this way: a new fact of a task (readiness, say) is a field and a
 * transition of the snapshot; a new state a task passes through without ending (waiting
 * for leadership) is a transition too, decided where an attempt's end is decided, in the
 * {@link AttemptCycle}; a new event (a JFR event) is a call of the {@link TaskObserver},
 * whose calls are the points where a task fails, restarts, stalls and ends.
 */
final class TaskRun implements Runnable {

    // VarHandles rather than field updaters: an updater checks the receiver's class on
    // every call, and these run several times per task
    private static final VarHandle SNAPSHOT;

    private static final VarHandle RUNNABLE;

    static {
        try {
            MethodHandles.Lookup lookup = MethodHandles.lookup();
            SNAPSHOT = lookup.findVarHandle(TaskRun.class, "snapshot", TaskSnapshot.class);
            RUNNABLE = lookup.findVarHandle(TaskRun.class, "runnable", int.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final CriticalTaskSpec spec;

    private final CancellationToken parent;

    /**
     * The task's own token: a child of the parent; each restarted attempt runs under a
     * child of it.
     */
    private final CancellationToken token;

    private final System.Logger logger;

    /**
     * Watches the heartbeats and times the restarts of an asynchronous task; null when
     * neither is needed.
     */
    private final @Nullable SupervisionTimer timer;

    /** Runs the restarted attempts of an asynchronous task. */
    private final @Nullable Executor executor;

    /** The grants of this task's leadership role; null without a role. */
    private final @Nullable RunLeadership leadership;

    private final TaskCompletion done = new TaskCompletion();

    private volatile @Nullable TaskObserver observer;

    // the parts of the run, each of one concept; each publishes through this run's
    // transition and finish, so the snapshot stays the one truth
    private final StartGate gate = new StartGate(this);

    private final AttemptCycle attempts;

    private final StallRecord stalls;

    private final Escalation escalation;

    private volatile TaskSnapshot snapshot = TaskSnapshot.SPAWNED;

    /**
     * 1 while the executor may run this: once at first, then once per asynchronous
     * restart.
     */
    private volatile int runnable = 1;

    private final TaskThread thread = new TaskThread();

    /**
     * The report of a forgotten handle, kept reachable by this run until the task ends;
     * null for a registry's task. Written before the executor gets this run, read by the
     * thread that ends the task.
     */
    private @Nullable Ownership ownership;

    TaskRun(String description, CriticalTask task, CancellationToken parent, System.Logger logger) {
        this(CriticalTaskSpec.of(description, task), parent, logger, null, null, null);
    }

    /**
     * A run of a spec: {@code timer} watches its heartbeats, {@code executor} runs its
     * asynchronous restarts, {@code group} grants its role (null without one).
     */
    TaskRun(CriticalTaskSpec spec, CancellationToken parent, System.Logger logger, @Nullable SupervisionTimer timer,
            @Nullable Executor executor, @Nullable RoleGroup group) {
        this.leadership = group != null ? new RunLeadership(group) : null;
        this.spec = spec;
        this.parent = parent;
        this.logger = logger;
        RestartBudget budget = RestartBudget.of(spec.restartPolicy());
        this.timer = timer;
        this.executor = executor;
        this.token = parent.child();
        this.attempts = new AttemptCycle(this, spec, budget, leadership);
        this.stalls = new StallRecord(this, logger);
        this.escalation = new Escalation(this, parent, budget);
    }

    /** Keeps {@code owner} reachable while the task has not ended. */
    void ownedBy(Ownership owner) {
        this.ownership = owner;
    }

    void observeWith(TaskObserver observer) {
        this.observer = observer;
    }

    @Override
    public void run() {
        if (!RUNNABLE.compareAndSet(this, 1, 0)) {
            throw new IllegalStateException("Critical task '" + description() + "' was already run");
        }
        thread.hold();
        try {
            if (snapshot.attempt() == 0) {
                if (!gate.awaitFirstStart()) {
                    // stopped while it waited for what it depends on: it never began
                    finish(TaskState.CANCELLED, null);
                    return;
                }
                long now = TaskTime.now();
                transition(spawned -> spawned.launched(now));
                TaskObserver watcher = observer;
                if (watcher != null) {
                    watcher.started(this);
                }
            }
            if (spec.body() instanceof TaskBody.Async async && leadership == null) {
                AsyncAttempts.start(this, async.task());
            }
            else {
                BlockingAttempts.run(this);
            }
        }
        finally {
            thread.release();
        }
    }

    /**
     * Publishes the terminal state (FAILED once a failure escalated), then tells who
     * waits for it.
     */
    void finish(TaskState outcome, @Nullable CriticalTaskFailedException failed) {
        CriticalTaskFailedException fatal = escalation.failure();
        TaskState end = fatal != null ? TaskState.FAILED : outcome;
        CriticalTaskFailedException failure = fatal != null ? fatal : failed;
        if (failure != null && !parent.isCancelled()) {
            // escalated on another thread that has not cancelled the parent yet: not
            // observable before
            parent.cancel(escalation.reasonFor(failure));
        }
        thread.release();
        gate.left();
        long at = TaskTime.now();
        TaskObserver watcher = observer;
        boolean published = watcher != null
                ? watcher.ending(this, () -> transition(running -> running.ended(end, failure, at)))
                : transition(running -> running.ended(end, failure, at));
        if (!published) {
            return;
        }
        token.unlinkFromParent();
        try {
            if (watcher != null) {
                watcher.finished(this);
            }
        }
        finally {
            done.end(failure);
            ended();
        }
    }

    /**
     * Undoes a spawn whose executor refused the task: it ends, cancelled, never having
     * run.
     */
    void abandonUnstarted() {
        if (!RUNNABLE.compareAndSet(this, 1, 0)) {
            return; // the executor ran it after all
        }
        long at = TaskTime.now();
        transition(spawned -> spawned.ended(TaskState.CANCELLED, null, at));
        token.cancel(); // which unlinks it from the parent
        done.end(null);
        ended();
    }

    /**
     * From here on nothing keeps the run alive: the handle's report must not go with it.
     */
    private void ended() {
        Ownership owner = ownership;
        if (owner != null) {
            owner.taskEnded();
        }
    }

    /**
     * Publishes the snapshot {@code step} makes of the current one; false when it made
     * none.
     */
    boolean transition(UnaryOperator<TaskSnapshot> step) {
        while (true) {
            TaskSnapshot now = snapshot;
            TaskSnapshot next = step.apply(now);
            if (next == null) {
                return false;
            }
            if (SNAPSHOT.compareAndSet(this, now, next)) {
                return true;
            }
        }
    }

    // --- what the attempts and their watches use

    /** Lets the executor run this once more: an asynchronous task's restart. */
    void rearm() {
        runnable = 1;
    }

    /**
     * Takes back a {@link #rearm()} the executor refused; false when it ran this after
     * all.
     */
    boolean disarm() {
        return RUNNABLE.compareAndSet(this, 1, 0);
    }

    /**
     * Interrupts the task's thread if the task is still running on it; true when it did.
     */
    boolean interruptIfRunning() {
        return !snapshot.isFinished() && thread.interruptIfHeld();
    }

    /**
     * Whether this task's token is cancelled, or is about to be by a cancel of its parent
     * under way.
     */
    boolean isBeingCancelled() {
        return token.isCancelled() || parent.isCancelled();
    }

    /**
     * Logs through the task's logger, the message made only when the logger takes it (a
     * disabled level costs no concatenation); a logger that throws is ignored.
     */
    void log(System.Logger.Level level, Supplier<String> message, Throwable thrown) {
        try {
            logger.log(level, message, thrown);
        }
        catch (RuntimeException loggerFailed) {
            // a broken logger must not keep the task from reaching its terminal state
        }
    }

    // --- what the handle and the registry read

    /**
     * Waits for the terminal state; a failure is not thrown. Returns false on time-out.
     */
    boolean awaitDone(long nanos) throws InterruptedException {
        return done.await(nanos);
    }

    CompletionStage<Void> completion() {
        return done.view();
    }

    /** The snapshot as published: what the handle's accessors read. */
    TaskSnapshot published() {
        return snapshot;
    }

    /** The snapshot handed out: the heartbeat age frozen now. */
    TaskSnapshot snapshot() {
        return snapshot.frozenAt(System.nanoTime());
    }

    String description() {
        return spec.name();
    }

    List<String> dependsOn() {
        return spec.dependsOn();
    }

    boolean awaitsReady() {
        return spec.awaitsReady();
    }

    TaskBody body() {
        return spec.body();
    }

    CancellationToken token() {
        return token;
    }

    /** The thread the task holds, if any: for a stop's stack and a stall's interrupt. */
    TaskThread thread() {
        return thread;
    }

    @Nullable SupervisionTimer timer() {
        return timer;
    }

    @Nullable Executor executor() {
        return executor;
    }

    Optional<String> leadershipRole() {
        return spec.leadershipRole();
    }

    @Nullable RoleGroup group() {
        return leadership != null ? leadership.group() : null;
    }

    @Nullable TaskObserver observer() {
        return observer;
    }

    AttemptCycle attempts() {
        return attempts;
    }

    StartGate gate() {
        return gate;
    }

    StallRecord stalls() {
        return stalls;
    }

    Escalation escalation() {
        return escalation;
    }

}
