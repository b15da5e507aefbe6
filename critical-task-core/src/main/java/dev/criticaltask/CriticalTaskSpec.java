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
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;

import org.jspecify.annotations.Nullable;

/**
 * Everything the registry needs to supervise one task: its name, its work, its
 * {@link RestartPolicy} and, optionally, a heartbeat timeout, whether it awaits its ready
 * signal, a start-up timeout, and the tasks it depends on. Spawn it with
 * {@link CriticalTaskRegistry#spawn(CriticalTaskSpec)}, or several together, in their
 * dependency order, with {@link CriticalTaskRegistry#spawnAll(List)}.
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

    private final boolean awaitReady;

    private final @Nullable Duration startupTimeout;

    private final List<String> dependsOn;

    private final @Nullable String leadershipRole;

    private CriticalTaskSpec(String name, TaskBody body, RestartPolicy restartPolicy,
            @Nullable Duration heartbeatTimeout, StallAction stallAction, boolean awaitReady,
            @Nullable Duration startupTimeout, List<String> dependsOn, @Nullable String leadershipRole) {
        this.name = name;
        this.body = body;
        this.restartPolicy = restartPolicy;
        this.heartbeatTimeout = heartbeatTimeout;
        this.stallAction = stallAction;
        this.awaitReady = awaitReady;
        this.startupTimeout = startupTimeout;
        this.dependsOn = dependsOn;
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
        return of(name, TaskBody.Async.of(Objects.requireNonNull(task, "task must not be null")));
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

    /**
     * A spec for an asynchronous task that takes a {@link TaskContext}, so that it can
     * say when it is ready: no restarts, no heartbeat (an asynchronous task has none).
     * @param name the task's name; not blank
     * @param task starts the work with its context and returns its stage
     * @return the spec
     * @throws IllegalArgumentException when the name is blank
     */
    public static CriticalTaskSpec supervisedAsync(String name, SupervisedAsyncTask task) {
        return of(name, TaskBody.Async.of(Objects.requireNonNull(task, "task must not be null")));
    }

    private static CriticalTaskSpec of(String name, TaskBody body) {
        CriticalTaskHandle.requireDescription(name);
        return new CriticalTaskSpec(name, body, RestartPolicy.never(), null, StallAction.REPORT, false, null, List.of(),
                null);
    }

    /**
     * The same spec with this restart policy.
     * @param restartPolicy what a failure leads to
     * @return a new spec
     */
    public CriticalTaskSpec withRestartPolicy(RestartPolicy restartPolicy) {
        return new CriticalTaskSpec(name, body, Objects.requireNonNull(restartPolicy, "restartPolicy must not be null"),
                heartbeatTimeout, stallAction, awaitReady, startupTimeout, dependsOn, leadershipRole);
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
                Objects.requireNonNull(onStall, "onStall must not be null"), awaitReady, startupTimeout, dependsOn,
                leadershipRole);
    }

    /**
     * The same spec, awaiting the task's ready signal or not. A task that awaits it is
     * ready only once each attempt calls {@link TaskContext#ready()}: the tasks that
     * depend on it start after that, and its start-up timeout, if any, runs until then.
     * Otherwise (the default) a task is ready as soon as each attempt begins.
     * @param awaitReady whether the task is ready only once it says so
     * @return a new spec
     * @throws IllegalStateException when {@code awaitReady} is true and the task is a
     * plain {@link CriticalTask} or an {@link AsyncCriticalTask}, which have no
     * {@link TaskContext} to say it with
     */
    public CriticalTaskSpec withAwaitReady(boolean awaitReady) {
        if (awaitReady && !body.canSignalReady()) {
            throw new IllegalStateException("Critical task '" + name + "' is " + body.kind() + ", which cannot say "
                    + "it is ready: define it with CriticalTaskSpec.supervised(name, context -> ...) or "
                    + "CriticalTaskSpec.supervisedAsync(name, context -> ...) and call context.ready()");
        }
        if (!awaitReady && startupTimeout != null) {
            throw new IllegalStateException("Critical task '" + name + "' has a start-up timeout, which needs it to "
                    + "await its ready signal: remove the timeout first");
        }
        return new CriticalTaskSpec(name, body, restartPolicy, heartbeatTimeout, stallAction, awaitReady,
                startupTimeout, dependsOn, leadershipRole);
    }

    /**
     * The same spec with a start-up timeout: an attempt that has not called
     * {@link TaskContext#ready()} within {@code timeout} of its start has failed, with a
     * {@link TaskStartTimeoutException} as the cause, which goes through the restart
     * policy like any other failure. The attempt's token is cancelled and its thread
     * interrupted. The time a task waits for the tasks it depends on does not count.
     * @param timeout how long each attempt has to become ready; positive
     * @return a new spec
     * @throws IllegalArgumentException when the timeout is not positive
     * @throws IllegalStateException when the task does not
     * {@link #withAwaitReady(boolean) await its ready signal}: it would be ready at once
     */
    public CriticalTaskSpec withStartupTimeout(Duration timeout) {
        Objects.requireNonNull(timeout, "startup timeout must not be null");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("startup timeout must be positive, but was " + timeout);
        }
        if (!awaitReady) {
            throw new IllegalStateException("Critical task '" + name + "' does not await its ready signal, so a "
                    + "start-up timeout could never run out: call withAwaitReady(true) first");
        }
        return new CriticalTaskSpec(name, body, restartPolicy, heartbeatTimeout, stallAction, awaitReady, timeout,
                dependsOn, leadershipRole);
    }

    /**
     * The same spec depending on these tasks: it starts only once each of them is ready
     * (or has completed), and a {@link CriticalTaskRegistry#stop(Duration) stop} ends it
     * before them. When one of them restarts, this task's running attempt is stopped
     * first (gracefully: its token is cancelled) and it runs again once that one is
     * ready, as Erlang/OTP's rest-for-one strategy does along the dependency graph; that
     * is not a restart of its own, and its budget is not charged. Replaces what an
     * earlier call set; an empty collection depends on nothing.
     * @param names the names of the tasks it depends on, each already live in the
     * registry or spawned with it by {@link CriticalTaskRegistry#spawnAll(List)}
     * @return a new spec
     * @throws IllegalArgumentException when a name is blank, or this task's own
     */
    public CriticalTaskSpec withDependsOn(Collection<String> names) {
        Objects.requireNonNull(names, "names must not be null");
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (String dependency : names) {
            if (dependency == null || dependency.isBlank()) {
                throw new IllegalArgumentException(
                        "Critical task '" + name + "' cannot depend on a blank task name: " + names);
            }
            if (dependency.equals(name)) {
                throw new IllegalArgumentException("Critical task '" + name + "' cannot depend on itself");
            }
            unique.add(dependency);
        }
        return new CriticalTaskSpec(name, body, restartPolicy, heartbeatTimeout, stallAction, awaitReady,
                startupTimeout, List.copyOf(unique), leadershipRole);
    }

    /**
     * The same spec depending on these tasks; see {@link #withDependsOn(Collection)}.
     * @param names the names of the tasks it depends on
     * @return a new spec
     */
    public CriticalTaskSpec withDependsOn(String... names) {
        return withDependsOn(List.of(names));
    }

    /**
     * The same spec with its work wrapped, for instrumentation that must run around each
     * attempt on the thread that runs it (an observation and its scope, a logging
     * context). Blocking work (a {@link CriticalTask} or a {@link SupervisedTask}) is
     * wrapped by {@code blocking}, which gets it as a {@code SupervisedTask} and runs it
     * once per attempt, on the task's thread; asynchronous work by {@code async}, whose
     * {@code start} runs once per attempt on a task thread and returns the attempt's
     * stage. The name, restart policy and heartbeat stay; so does what the work can do: a
     * plain task wrapped still cannot be given a heartbeat.
     * @param blocking wraps blocking work; must not return null
     * @param async wraps asynchronous work; must not return null
     * @return a new spec
     */
    public CriticalTaskSpec withDecoratedTask(UnaryOperator<SupervisedTask> blocking,
            UnaryOperator<AsyncCriticalTask> async) {
        Objects.requireNonNull(blocking, "blocking must not be null");
        Objects.requireNonNull(async, "async must not be null");
        TaskBody decorated = body instanceof TaskBody.Async work ? work.decorated(async) : new TaskBody.Decorated(body,
                Objects.requireNonNull(blocking.apply(body.asSupervised()), "blocking decorator returned null"));
        return new CriticalTaskSpec(name, decorated, restartPolicy, heartbeatTimeout, stallAction, awaitReady,
                startupTimeout, dependsOn, leadershipRole);
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
        String leadershipRole = role;
        return new CriticalTaskSpec(name, body, restartPolicy, heartbeatTimeout, stallAction, awaitReady,
                startupTimeout, dependsOn, leadershipRole);
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
     * Whether the task takes a {@link TaskContext}, and so can say when it is ready.
     * @return true for a {@link #supervised supervised} or {@link #supervisedAsync
     * supervised asynchronous} task
     */
    public boolean canSignalReady() {
        return body.canSignalReady();
    }

    /**
     * Whether the task is ready only once it calls {@link TaskContext#ready()}.
     * @return false unless {@link #withAwaitReady(boolean)} set it
     */
    public boolean awaitsReady() {
        return awaitReady;
    }

    /**
     * The start-up timeout, when the task has one.
     * @return how long each attempt has to become ready, or empty
     */
    public Optional<Duration> startupTimeout() {
        return Optional.ofNullable(startupTimeout);
    }

    /**
     * The tasks this one depends on.
     * @return their names, in the order given; an unmodifiable list, empty by default
     */
    public List<String> dependsOn() {
        return dependsOn;
    }

    /**
     * Whether the task is an {@link AsyncCriticalTask} or a {@link SupervisedAsyncTask},
     * which run without holding a thread.
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
                + (awaitReady ? ", awaits ready" : "") + (startupTimeout != null ? ", startup " + startupTimeout : "")
                + (dependsOn.isEmpty() ? "" : ", depends on " + dependsOn)
                + (leadershipRole != null ? ", role " + leadershipRole : "") + "]";
    }

}
