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
import java.time.Instant;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Where a critical task was at one moment, every fact of it read at once: its
 * {@link TaskState}, which attempt ran, how many restarts, when it started and finished,
 * its failure or its last restart's cause, and how long the running attempt had gone
 * without a heartbeat. Take it with {@link CriticalTaskHandle#snapshot()}.
 *
 * <p>
 * The facts agree with each other: a snapshot that has a finish time is in a terminal
 * state and one in a terminal state has a finish time; a failure is present exactly when
 * the state is {@link TaskState#FAILED}; a heartbeat age is present only while an attempt
 * of a task with a heartbeat timeout runs, and is measured from that attempt's start at
 * the earliest. The handle's own accessors each read the latest snapshot, so two of them
 * called one after the other may describe two moments; read one snapshot to show several
 * facts together, as a health check does.
 *
 * <p>
 * Immutable and thread-safe. It holds the throwables it names, and nothing else of the
 * task.
 */
public final class TaskSnapshot {

    /** A task that is spawned and waits for its thread. */
    static final TaskSnapshot SPAWNED = new TaskSnapshot(TaskState.RUNNING, 0, 0, TaskTime.NONE, TaskTime.NONE, null,
            null, null, null, TaskTime.NONE, null);

    private final TaskState state;

    private final int attempt;

    private final int restarts;

    /**
     * Every time is kept in {@link TaskTime}'s form, and made an {@link Instant} when
     * read.
     */
    private final long startedAt;

    private final long finishedAt;

    private final @Nullable CriticalTaskFailedException failure;

    private final @Nullable Throwable lastRestartCause;

    /**
     * The running attempt's heartbeat watch, in the snapshot the task publishes: the base
     * of the heartbeat age, published with the attempt it belongs to. Never in a snapshot
     * handed out.
     */
    private final @Nullable HeartbeatWatch heartbeat;

    /** The heartbeat age, frozen when a snapshot is handed out. */
    private final @Nullable Duration sinceLastHeartbeat;

    /**
     * When the current (or last) attempt became ready; null before, and between attempts.
     */
    private final long readyAt;

    /** The grant the running attempt of a task with a role runs under. */
    private final @Nullable LeadershipTerm term;

    private TaskSnapshot(TaskState state, int attempt, int restarts, long startedAt, long finishedAt,
            @Nullable CriticalTaskFailedException failure, @Nullable Throwable lastRestartCause,
            @Nullable HeartbeatWatch heartbeat, @Nullable Duration sinceLastHeartbeat, long readyAt,
            @Nullable LeadershipTerm term) {
        this.state = state;
        this.attempt = attempt;
        this.restarts = restarts;
        this.startedAt = startedAt;
        this.finishedAt = finishedAt;
        this.failure = failure;
        this.lastRestartCause = lastRestartCause;
        this.heartbeat = heartbeat;
        this.sinceLastHeartbeat = sinceLastHeartbeat;
        this.readyAt = readyAt;
        this.term = term;
    }

    /**
     * {@return the task's state}
     */
    public TaskState state() {
        return state;
    }

    /**
     * {@return whether the state is terminal}
     */
    public boolean isFinished() {
        return state.isTerminal();
    }

    /**
     * {@return which run of the task this is: 1 until its first restart; 0 before it
     * started}
     */
    public int attempt() {
        return attempt;
    }

    /**
     * {@return how many times the task's restart policy had run it again}
     */
    public int restartCount() {
        return restarts;
    }

    /**
     * {@return when the task began to run on its thread; empty while it waited for one}
     * Like every time of a snapshot, to the microsecond.
     */
    public Optional<Instant> startedAt() {
        return TaskTime.instant(startedAt);
    }

    /**
     * {@return when the task reached its terminal state; empty while it ran}
     */
    public Optional<Instant> finishedAt() {
        return TaskTime.instant(finishedAt);
    }

    /**
     * {@return the failure, when the state is {@link TaskState#FAILED}}
     */
    public Optional<CriticalTaskFailedException> failure() {
        return Optional.ofNullable(failure);
    }

    /**
     * {@return what made the task restart last, if it had restarted}
     */
    public Optional<Throwable> lastRestartCause() {
        return Optional.ofNullable(lastRestartCause);
    }

    /**
     * How long the running attempt had gone without a heartbeat (since its start, before
     * its first one), for a task spawned with a heartbeat timeout; empty between attempts
     * and once finished.
     * @return the heartbeat age, or empty
     */
    public Optional<Duration> sinceLastHeartbeat() {
        return Optional.ofNullable(sinceLastHeartbeat);
    }

    /**
     * Whether the running attempt is ready: it has called {@link TaskContext#ready()}, or
     * it began and its task does not await a ready signal. False while the task waits to
     * start, between attempts (a restart is not ready until its new attempt is) and once
     * the task has finished.
     * @return whether the task is ready now
     */
    public boolean isReady() {
        return readyAt != TaskTime.NONE && !state.isTerminal();
    }

    /**
     * When the running attempt became ready; kept once the task has finished, as the last
     * time it did.
     * @return when it became ready, or empty while it is not (yet) ready
     */
    public Optional<Instant> readyAt() {
        return TaskTime.instant(readyAt);
    }

    /** When the task began to run, in {@link TaskTime}'s form. */
    long startTime() {
        return startedAt;
    }

    /**
     * Whether the tasks that depend on this one may run: it is ready, or it has
     * completed.
     */
    boolean satisfiesDependents() {
        return isReady() || state == TaskState.COMPLETED;
    }

    /**
     * {@return the leadership grant the running attempt runs under; empty for a task
     * without a role, and while it is in {@link TaskState#STANDBY}}
     */
    public Optional<LeadershipTerm> leadership() {
        return Optional.ofNullable(term);
    }

    @Override
    public String toString() {
        return "TaskSnapshot[" + state + ", attempt " + attempt + ", " + restarts + " restarts"
                + TaskTime.describe(", started ", startedAt) + TaskTime.describe(", ready ", readyAt)
                + TaskTime.describe(", finished ", finishedAt)
                + (sinceLastHeartbeat != null ? ", " + sinceLastHeartbeat + " since the last heartbeat" : "")
                + (term != null ? ", " + term.role() + " term " + term.term() : "") + "]";
    }

    // --- the transitions: each returns the next snapshot, or null when it does not apply
    // -------

    /**
     * The copy handed out: the heartbeat age frozen at {@code nowNanos}, the watch left
     * behind.
     */
    TaskSnapshot frozenAt(long nowNanos) {
        HeartbeatWatch watch = heartbeat;
        return watch == null ? this : new TaskSnapshot(state, attempt, restarts, startedAt, finishedAt, failure,
                lastRestartCause, null, Duration.ofNanos(watch.silentNanos(nowNanos)), readyAt, term);
    }

    @Nullable HeartbeatWatch heartbeat() {
        return heartbeat;
    }

    /** The task got its thread. */
    TaskSnapshot launched(long at) {
        return new TaskSnapshot(state, attempt, restarts, at, TaskTime.NONE, null, lastRestartCause, null, null,
                TaskTime.NONE, null);
    }

    /**
     * Attempt {@code number} runs, watched by {@code watch} (null without a heartbeat
     * timeout), ready from {@code ready} on ({@link TaskTime#NONE} when it awaits its
     * ready signal).
     */
    @Nullable TaskSnapshot attemptStarted(int number, @Nullable HeartbeatWatch watch, long ready,
            @Nullable LeadershipTerm leadership) {
        return state.isTerminal() ? null : new TaskSnapshot(TaskState.RUNNING, number, restarts, startedAt,
                TaskTime.NONE, null, lastRestartCause, watch, null, ready, leadership);
    }

    /** Attempt {@code number} said it is ready, at {@code at}. */
    @Nullable TaskSnapshot readied(int number, long at) {
        return state.isTerminal() || attempt != number || readyAt != TaskTime.NONE ? null : new TaskSnapshot(state,
                attempt, restarts, startedAt, TaskTime.NONE, null, lastRestartCause, heartbeat, null, at, term);
    }

    /**
     * Attempt {@code number} is being stopped for a restart of a task it depends on: not
     * ready from now on. Always a new snapshot while that attempt runs, so that a ready
     * signal racing it must read the stop.
     */
    @Nullable TaskSnapshot stoppingForDependency(int number) {
        return state.isTerminal() || attempt != number ? null : new TaskSnapshot(state, attempt, restarts, startedAt,
                TaskTime.NONE, null, lastRestartCause, heartbeat, null, TaskTime.NONE, term);
    }

    /**
     * The attempt was stopped because a task it depends on restarts; it runs again once
     * that one is ready. Not a restart of its own: nothing is counted.
     */
    @Nullable TaskSnapshot requeued() {
        return state.isTerminal() ? null : new TaskSnapshot(TaskState.RUNNING, attempt, restarts, startedAt,
                TaskTime.NONE, null, lastRestartCause, null, null, TaskTime.NONE, term);
    }

    /**
     * The task of a role waits for the role to be granted: before its first grant, or
     * after a revocation ended its attempt. A standby counts as ready (from {@code at}):
     * it serves traffic, while another instance runs the task.
     */
    @Nullable TaskSnapshot standby(long at) {
        return state.isTerminal() ? null
                : new TaskSnapshot(TaskState.STANDBY, 0, restarts, startedAt, TaskTime.NONE, null, lastRestartCause,
                        null, null, state == TaskState.STANDBY && readyAt != TaskTime.NONE ? readyAt : at, null);
    }

    /** The attempt failed and the task runs again after a backoff. */
    @Nullable TaskSnapshot restarting(Throwable cause) {
        return state.isTerminal() ? null : new TaskSnapshot(TaskState.RUNNING, attempt, restarts + 1, startedAt,
                TaskTime.NONE, null, cause, null, null, TaskTime.NONE, term);
    }

    /**
     * The attempt that {@code watch} watches went longer than its timeout without a
     * heartbeat.
     */
    @Nullable TaskSnapshot stalled(HeartbeatWatch watch) {
        return state != TaskState.RUNNING || heartbeat != watch ? null : new TaskSnapshot(TaskState.STALLED, attempt,
                restarts, startedAt, TaskTime.NONE, null, lastRestartCause, watch, null, readyAt, term);
    }

    /** The stalled attempt that {@code watch} watches sent a heartbeat again. */
    @Nullable TaskSnapshot recovered(HeartbeatWatch watch) {
        return state != TaskState.STALLED || heartbeat != watch ? null : new TaskSnapshot(TaskState.RUNNING, attempt,
                restarts, startedAt, TaskTime.NONE, null, lastRestartCause, watch, null, readyAt, term);
    }

    /** The task reached its terminal state {@code outcome} at {@code at}. */
    @Nullable TaskSnapshot ended(TaskState outcome, @Nullable CriticalTaskFailedException failed, long at) {
        return state.isTerminal() ? null : new TaskSnapshot(outcome, attempt, restarts, startedAt, at, failed,
                lastRestartCause, null, null, readyAt, null);
    }

}
