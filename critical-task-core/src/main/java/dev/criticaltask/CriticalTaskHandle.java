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

import java.lang.ref.Reference;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;

import org.jspecify.annotations.Nullable;

/**
 * A handle on one running critical task: a task that must succeed, or stop gracefully
 * when asked.
 *
 * <p>
 * {@link #spawn(String, CriticalTask, CancellationToken) spawn} gives the task a
 * {@link CancellationToken#child() child} of the parent token and runs it. If the task
 * throws, the parent is cancelled at once, with the task's
 * {@link CriticalTaskFailedException} as its reason, without anyone having to call
 * {@link #join()}; every other task under that parent sees its token cancelled and stops.
 * The parent is cancelled <em>before</em> the failure can be observed through
 * {@link #join()}, {@link #completion()}, {@link #state()} or a registry.
 * {@link #cancel()} is the graceful path: it cancels only this task's own token, never
 * the parent.
 *
 * <h2>Outcomes</h2>
 * <ul>
 * <li>{@link TaskState#COMPLETED}: returned normally before its token was cancelled.
 * <li>{@link TaskState#CANCELLED}: returned, or threw {@link InterruptedException}, after
 * its token was cancelled: a graceful stop.
 * <li>{@link TaskState#FAILED}: threw anything else, including while shutting down. A
 * checked exception "failed"; an unchecked exception or an {@link Error} "crashed". The
 * failure is logged exactly once, at {@code ERROR}, with the task's name and the stack.
 * </ul>
 * When the task ends, its token is unlinked from the parent, so a long-lived parent holds
 * nothing of finished tasks.
 *
 * <h2>Ownership</h2> Like the Rust original, which panics when such a handle is dropped,
 * a handle must be {@linkplain #join() joined} (or {@link #completion()} taken) or
 * {@linkplain #detach() detached}. A handle from {@code spawn} that becomes unreachable
 * while neither is reported (found through a phantom reference): an {@code ERROR} log
 * naming the task (and where it was spawned, when recorded), and
 * {@link #abandonedCount()} goes up. Handles of a {@link CriticalTaskRegistry} are owned
 * by the registry and never reported. Every forgotten handle is reported and counted;
 * whether its report names the spawn site depends on the system property
 * {@code dev.criticaltask.spawnSites}, because recording a site costs a stack walk:
 * {@code sampled} (the default) records one spawn in
 * {@code dev.criticaltask.spawnSites.interval} (1,024 unless set), {@code all} records
 * every one, {@code off} none. A handle forgotten in a loop is thus soon reported with
 * its site; set {@code all} to find a single one. The properties are read when the first
 * handle is spawned, and an invalid value makes that spawn throw
 * {@link ExceptionInInitializerError}, naming the property.
 *
 * <h2>Thread-safety</h2> All methods are thread-safe; any number of threads may join the
 * same handle. Each accessor reads the task's latest {@link TaskSnapshot};
 * {@link #snapshot()} gives one whole. The task runs on the executor's thread; the
 * default executor starts one new platform thread per task, named
 * {@code critical-task-<description>}. Stages from {@link #completion()} complete on the
 * thread that ends the task, by the <a href="CriticalTaskListener.html#threads">thread
 * rules</a>.
 */
public final class CriticalTaskHandle {

    private static final System.Logger DEFAULT_LOGGER = System.getLogger(CriticalTaskHandle.class.getName());

    private final TaskRun run;

    private final @Nullable Ownership ownership;

    /** A handle that the caller owns, tracked until it is joined or detached. */
    private CriticalTaskHandle(TaskRun run, @Nullable StackTraceElement spawnSite, SpawnSites sites) {
        this.run = run;
        Ownership owner = new Ownership(this, run.description(), spawnSite, sites, DEFAULT_LOGGER);
        this.ownership = owner;
        // before the executor gets the run, which publishes it to the task's thread
        run.ownedBy(owner);
    }

    private CriticalTaskHandle(TaskRun run) {
        this.run = run;
        this.ownership = null;
    }

    /**
     * Spawns {@code task} on a new platform thread named
     * {@code critical-task-<description>}.
     * @param description the task's name, used in logs, thread names and failures; not
     * blank
     * @param task the work
     * @param parent the token cancelled when the task fails; the task runs under a child
     * of it
     * @return the handle, which the caller must join or detach
     * @throws IllegalArgumentException when the description is blank
     * @throws NullPointerException when an argument is null
     */
    public static CriticalTaskHandle spawn(String description, CriticalTask task, CancellationToken parent) {
        return spawn(description, task, parent, TaskThreads.platform());
    }

    /**
     * Spawns {@code task} on {@code executor}. The executor must run it eventually; a
     * bounded pool that long-running tasks could fill is a poor choice. When the executor
     * refuses the task, its exception is thrown and nothing is left behind.
     * @param description the task's name, used in logs and failures; not blank
     * @param task the work
     * @param parent the token cancelled when the task fails; the task runs under a child
     * of it
     * @param executor runs the task
     * @return the handle, which the caller must join or detach
     * @throws IllegalArgumentException when the description is blank
     * @throws NullPointerException when an argument is null
     */
    public static CriticalTaskHandle spawn(String description, CriticalTask task, CancellationToken parent,
            Executor executor) {
        requireDescription(description);
        Objects.requireNonNull(task, "task must not be null");
        Objects.requireNonNull(parent, "parent must not be null");
        Objects.requireNonNull(executor, "executor must not be null");
        TaskRun run = new TaskRun(description, task, parent, DEFAULT_LOGGER);
        SpawnSites sites = SpawnSites.configured();
        CriticalTaskHandle handle = new CriticalTaskHandle(run, sites.record(), sites);
        try {
            executor.execute(run);
        }
        catch (RuntimeException | Error refused) {
            run.abandonUnstarted();
            handle.settle();
            throw refused;
        }
        return handle;
    }

    /** A handle owned by a registry: never reported as forgotten. */
    static CriticalTaskHandle owned(TaskRun run) {
        return new CriticalTaskHandle(run);
    }

    static void requireDescription(@Nullable String description) {
        Objects.requireNonNull(description, "task name must not be null");
        if (description.isBlank()) {
            throw new IllegalArgumentException("task name must not be blank, but was '" + description + "'");
        }
    }

    /**
     * The number of handles found unreachable while neither joined nor detached, since
     * this class was loaded.
     * @return how many handles were reported as forgotten
     */
    public static long abandonedCount() {
        return Ownership.abandonedCount();
    }

    /**
     * {@return the task's name, as given to {@code spawn}}
     */
    public String description() {
        return run.description();
    }

    /**
     * {@return whether the task has reached a terminal state}
     */
    public boolean isFinished() {
        return run.published().isFinished();
    }

    /**
     * {@return whether this task's own token is cancelled}
     */
    public boolean isCancelled() {
        return run.token().isCancelled();
    }

    /**
     * Asks the task to stop gracefully by cancelling its own token. The parent is never
     * touched; the task may still fail while it stops, which then cancels the parent as
     * usual.
     */
    public void cancel() {
        run.token().cancel();
    }

    /**
     * Waits for the task to end.
     * @throws CriticalTaskFailedException when the task failed (the parent is already
     * cancelled)
     * @throws InterruptedException when the waiting thread is interrupted; the task goes
     * on
     */
    public void join() throws InterruptedException {
        settle();
        join(Long.MAX_VALUE);
    }

    /**
     * Waits at most {@code timeout} for the task to end. A time-out cancels nothing: the
     * task goes on, and the handle counts as joined.
     * @param timeout how long to wait at most
     * @return {@code true} when the task ended successfully or gracefully, {@code false}
     * on time-out
     * @throws CriticalTaskFailedException when the task failed
     * @throws InterruptedException when the waiting thread is interrupted; the task goes
     * on
     */
    public boolean join(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout must not be null");
        settle();
        return join(CancellationToken.saturatedNanos(timeout));
    }

    private boolean join(long nanos) throws InterruptedException {
        if (!run.awaitDone(nanos)) {
            return false;
        }
        // published before the run completes: a failed task's snapshot has its failure
        CriticalTaskFailedException failed = run.published().failure().orElse(null);
        if (failed != null) {
            throw failed;
        }
        return true;
    }

    /**
     * A read-only stage that completes when the task ends: normally on success or a
     * graceful stop, exceptionally with the {@link CriticalTaskFailedException} on
     * failure. Completing or cancelling it from outside affects nothing. Taking it counts
     * as joining.
     * @return the read-only stage of the task's end
     */
    public CompletionStage<Void> completion() {
        settle();
        return run.completion();
    }

    /**
     * Declares that nobody will join this task; it goes on, and its failure still cancels
     * the parent.
     */
    public void detach() {
        settle();
    }

    /**
     * The task's current state. The outcome is decided when the task returns or throws,
     * then published: a {@link #cancel()} racing the task's return may find the outcome
     * already decided (and later read {@code COMPLETED} or {@code FAILED}), and
     * {@link #isFinished()} turns true just before listeners run and {@link #join()}
     * returns. For a registry's task, its name is free for a new spawn from the moment
     * the state is terminal.
     * @return the state of the latest snapshot
     */
    public TaskState state() {
        return run.published().state();
    }

    /**
     * The task's leadership role, when it has one
     * ({@link CriticalTaskSpec#withLeadership(String)}); the grant it runs under is in
     * {@link TaskSnapshot#leadership()}.
     * @return the role, or empty
     */
    public Optional<String> leadershipRole() {
        return run.leadershipRole();
    }

    /**
     * Everything this handle's accessors tell, read at once: one moment of the task,
     * whose facts agree (see {@link TaskSnapshot}). Read it, rather than several
     * accessors one after the other, to show several facts together.
     * @return the task's state, attempt, restarts, times, failure and heartbeat age, as
     * of now
     */
    public TaskSnapshot snapshot() {
        return run.snapshot();
    }

    /**
     * {@return the failure, once the task is {@link TaskState#FAILED}}
     */
    public Optional<CriticalTaskFailedException> failure() {
        return run.published().failure();
    }

    /**
     * {@return when the task began to run on its thread; empty while it waits for one}
     */
    public Optional<Instant> startedAt() {
        return run.published().startedAt();
    }

    /**
     * {@return when the task reached its terminal state; empty while it runs}
     */
    public Optional<Instant> finishedAt() {
        return run.published().finishedAt();
    }

    /**
     * {@return which run of the task this is: 1 until its first restart; 0 before it
     * started}
     */
    public int attempt() {
        return run.published().attempt();
    }

    /**
     * {@return how many times the task's restart policy has run it again}
     */
    public int restartCount() {
        return run.published().restartCount();
    }

    /**
     * {@return what made the task restart last, if it ever did}
     */
    public Optional<Throwable> lastRestartCause() {
        return run.published().lastRestartCause();
    }

    /**
     * How long since the last heartbeat (or the start of the current attempt), while an
     * attempt of a task spawned with a heartbeat timeout runs; empty otherwise, also
     * between attempts.
     * @return the heartbeat age of the running attempt, or empty
     */
    public Optional<Duration> sinceLastHeartbeat() {
        return run.snapshot().sinceLastHeartbeat();
    }

    /**
     * {@return whether the running attempt is ready; see {@link TaskSnapshot#isReady()}}
     */
    public boolean isReady() {
        return run.published().isReady();
    }

    /**
     * {@return when the running (or last) attempt became ready; empty while it is not
     * ready yet}
     */
    public Optional<Instant> readyAt() {
        return run.published().readyAt();
    }

    /**
     * {@return whether the task is ready only once it says so (see
     * {@link CriticalTaskSpec#awaitsReady()})}
     */
    public boolean awaitsReady() {
        return run.awaitsReady();
    }

    /**
     * {@return the names of the tasks this one depends on (see
     * {@link CriticalTaskSpec#dependsOn()}); empty for a task spawned without a spec}
     */
    public List<String> dependsOn() {
        return run.dependsOn();

    }

    /**
     * The latest stall of the task, if it has missed a heartbeat: which attempt, how long
     * it was silent, and where its thread was. Kept after the task recovers, restarts or
     * ends; a task with {@link StallAction#REPORT} that stays stalled has it taken again
     * at each check, at most once per heartbeat timeout.
     * @return the latest stall, or empty when the task never stalled
     */
    public Optional<StallReport> lastStall() {
        return Optional.ofNullable(run.stalls().last());
    }

    TaskRun run() {
        return run;
    }

    @Override
    public String toString() {
        return "CriticalTaskHandle[" + run.description() + ", " + state() + "]";
    }

    private void settle() {
        Ownership owner = ownership;
        if (owner != null) {
            owner.settle();
        }
        // Without it the handle may be found unreachable once its field is read (by
        // spawn(…).detach(),
        // say), and reported as forgotten before settle() has marked it settled.
        Reference.reachabilityFence(this);
    }

}
