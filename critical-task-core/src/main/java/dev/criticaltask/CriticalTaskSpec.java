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
import java.util.Objects;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Everything the registry needs to supervise one task: its name, its work, its
 * {@link RestartPolicy} and, optionally, a heartbeat timeout. Spawn it with
 * {@link CriticalTaskRegistry#spawn(CriticalTaskSpec)}.
 *
 * <p>
 * Immutable and thread-safe; the {@code with…} methods return new specs.
 */
public final class CriticalTaskSpec {

    private final String name;

    private final TaskBody body;

    private final RestartPolicy restartPolicy;

    private final @Nullable Duration heartbeatTimeout;

    private final StallAction stallAction;

    private final @Nullable String leadershipRole;

    private CriticalTaskSpec(String name, TaskBody body, RestartPolicy restartPolicy,
            @Nullable Duration heartbeatTimeout, StallAction stallAction, @Nullable String leadershipRole) {
        this.name = name;
        this.body = body;
        this.restartPolicy = restartPolicy;
        this.heartbeatTimeout = heartbeatTimeout;
        this.stallAction = stallAction;
        this.leadershipRole = leadershipRole;
    }

    /**
     * A spec for a plain task: no restarts, no heartbeat.
     * @param name the task's name; not blank
     * @param task the work
     * @return the spec
     * @throws IllegalArgumentException when the name is blank
     */
    public static CriticalTaskSpec of(String name, CriticalTask task) {
        return of(name, new TaskBody.Plain(Objects.requireNonNull(task, "task must not be null")));
    }

    /**
     * A spec for an asynchronous task: no restarts, and no heartbeat (it has no
     * {@link TaskContext}). The registry runs it without holding a thread while its stage
     * is pending; {@link #task()} returns the blocking equivalent, which waits for the
     * stage on the calling thread.
     * @param name the task's name; not blank
     * @param task starts the work and returns its stage
     * @return the spec
     * @throws IllegalArgumentException when the name is blank
     */
    public static CriticalTaskSpec async(String name, AsyncCriticalTask task) {
        return of(name, new TaskBody.Async(Objects.requireNonNull(task, "task must not be null")));
    }

    /**
     * A spec for a task that takes a {@link TaskContext}, as heartbeat tasks do: no
     * restarts, no heartbeat until {@link #withHeartbeat(Duration, StallAction)} sets
     * one. (A name of its own, so that a lambda is never ambiguous between the two kinds
     * of task.)
     * @param name the task's name; not blank
     * @param task the work
     * @return the spec
     * @throws IllegalArgumentException when the name is blank
     */
    public static CriticalTaskSpec supervised(String name, SupervisedTask task) {
        return of(name, new TaskBody.Supervised(Objects.requireNonNull(task, "task must not be null")));
    }

    private static CriticalTaskSpec of(String name, TaskBody body) {
        CriticalTaskHandle.requireDescription(name);
        return new CriticalTaskSpec(name, body, RestartPolicy.never(), null, StallAction.REPORT, null);
    }

    /**
     * The same spec with this restart policy.
     * @param restartPolicy what a failure leads to
     * @return a new spec
     */
    public CriticalTaskSpec withRestartPolicy(RestartPolicy restartPolicy) {
        return new CriticalTaskSpec(name, body, Objects.requireNonNull(restartPolicy, "restartPolicy must not be null"),
                heartbeatTimeout, stallAction, leadershipRole);
    }

    /**
     * The same spec with a heartbeat: the task must call {@link TaskContext#heartbeat()}
     * at least once per {@code timeout}, or it is stalled, and {@code onStall} says what
     * follows.
     * @param timeout the longest time between two heartbeats; positive
     * @param onStall what a missed heartbeat leads to
     * @return a new spec
     * @throws IllegalArgumentException when the timeout is not positive
     * @throws IllegalStateException when the task is a plain {@link CriticalTask} or an
     * {@link AsyncCriticalTask}, which have no {@link TaskContext} to send heartbeats
     * with
     */
    public CriticalTaskSpec withHeartbeat(Duration timeout, StallAction onStall) {
        if (!body.canHeartbeat()) {
            throw new IllegalStateException("Critical task '" + name + "' is " + body.kind() + ", which cannot send "
                    + "heartbeats: define it with CriticalTaskSpec.supervised(name, context -> ...) instead");
        }
        Objects.requireNonNull(timeout, "heartbeat timeout must not be null");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("heartbeat timeout must be positive, but was " + timeout);
        }
        return new CriticalTaskSpec(name, body, restartPolicy, timeout,
                Objects.requireNonNull(onStall, "onStall must not be null"), leadershipRole);
    }

    /**
     * The same spec with a leadership role: the task runs only while the registry's
     * {@link LeaderElection} grants this instance the role. Until then, and again after
     * each revocation, it waits in {@link TaskState#STANDBY}; a revocation cancels its
     * token with a {@link LeadershipRevokedException}, which is a graceful stop (not a
     * failure, whatever the task throws after it), and the next grant runs it again from
     * the start. A failure inside a term goes through the restart policy as usual. Tasks
     * of one registry that name the same role run together under one candidacy. A task
     * with a role holds its thread while it waits (an asynchronous one too: it then runs
     * as its blocking equivalent, {@link #task()}).
     * @param role the role; not blank
     * @return a new spec
     * @throws IllegalArgumentException when the role is blank
     */
    public CriticalTaskSpec withLeadership(String role) {
        Objects.requireNonNull(role, "role must not be null");
        if (role.isBlank()) {
            throw new IllegalArgumentException("Critical task '" + name + "': leadership role must not be blank");
        }
        return new CriticalTaskSpec(name, body, restartPolicy, heartbeatTimeout, stallAction, role);
    }

    /**
     * The leadership role, when the task has one.
     * @return the role, or empty
     */
    public Optional<String> leadershipRole() {
        return Optional.ofNullable(leadershipRole);
    }

    /**
     * The task's name.
     * @return the name, never blank
     */
    public String name() {
        return name;
    }

    /**
     * Whether the task takes a {@link TaskContext}, and so can send heartbeats.
     * @return true for a {@link #supervised(String, SupervisedTask) supervised} task
     */
    public boolean canHeartbeat() {
        return body.canHeartbeat();
    }

    /**
     * Whether the task is an {@link AsyncCriticalTask}, which runs without holding a
     * thread.
     * @return true for an {@link #async(String, AsyncCriticalTask) asynchronous} task
     */
    public boolean isAsync() {
        return body instanceof TaskBody.Async;
    }

    /**
     * The work, as a {@link SupervisedTask}: the task itself when it is one, otherwise a
     * view that runs it on the calling thread (for an asynchronous task: starts it and
     * waits for its stage).
     * @return the work
     */
    public SupervisedTask task() {
        return body.asSupervised();
    }

    TaskBody body() {
        return body;
    }

    /**
     * What happens when the task fails.
     * @return the restart policy; {@link RestartPolicy#never()} unless one was set
     */
    public RestartPolicy restartPolicy() {
        return restartPolicy;
    }

    /**
     * The heartbeat timeout, when the task has one.
     * @return the timeout, or empty
     */
    public Optional<Duration> heartbeatTimeout() {
        return Optional.ofNullable(heartbeatTimeout);
    }

    /** The heartbeat timeout in nanoseconds; 0 without one. */
    long heartbeatTimeoutNanos() {
        return heartbeatTimeout != null ? CancellationToken.saturatedNanos(heartbeatTimeout) : 0;
    }

    /**
     * What a missed heartbeat leads to.
     * @return the stall action; {@link StallAction#REPORT} unless one was set
     */
    public StallAction stallAction() {
        return stallAction;
    }

    @Override
    public String toString() {
        return "CriticalTaskSpec[" + name + (isAsync() ? ", async" : "") + ", " + restartPolicy
                + (heartbeatTimeout != null ? ", heartbeat " + heartbeatTimeout + " " + stallAction : "")
                + (leadershipRole != null ? ", role " + leadershipRole : "") + "]";
    }

}
