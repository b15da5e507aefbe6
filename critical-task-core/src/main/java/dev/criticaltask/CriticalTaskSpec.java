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
 * <p>Immutable and thread-safe; the {@code with…} methods return new specs.
 */
public final class CriticalTaskSpec {

    private final String name;

    private final SupervisedTask task;

    /** The task as given, when it was a plain {@link CriticalTask}: run without a context. */
    private final @Nullable CriticalTask plainTask;

    /** The task as given, when it was an {@link AsyncCriticalTask}: run without holding a thread. */
    private final @Nullable AsyncCriticalTask asyncTask;

    private final RestartPolicy restartPolicy;

    private final @Nullable Duration heartbeatTimeout;

    private final StallAction stallAction;

    private CriticalTaskSpec(String name, SupervisedTask task, @Nullable CriticalTask plainTask,
            @Nullable AsyncCriticalTask asyncTask, RestartPolicy restartPolicy, @Nullable Duration heartbeatTimeout,
            StallAction stallAction) {
        this.name = name;
        this.task = task;
        this.plainTask = plainTask;
        this.asyncTask = asyncTask;
        this.restartPolicy = restartPolicy;
        this.heartbeatTimeout = heartbeatTimeout;
        this.stallAction = stallAction;
    }

    /**
     * A spec for a plain task: no restarts, no heartbeat.
     *
     * @throws IllegalArgumentException when the name is blank
     */
    public static CriticalTaskSpec of(String name, CriticalTask task) {
        CriticalTaskHandle.requireDescription(name);
        Objects.requireNonNull(task, "task must not be null");
        return new CriticalTaskSpec(name, context -> task.run(context.cancellation()), task, null, RestartPolicy.never(),
                null, StallAction.REPORT);
    }

    /**
     * A spec for an asynchronous task: no restarts, and no heartbeat (it has no {@link TaskContext}).
     * The registry runs it without holding a thread while its stage is pending; {@link #task()}
     * returns the blocking equivalent, which waits for the stage on the calling thread.
     *
     * @throws IllegalArgumentException when the name is blank
     */
    public static CriticalTaskSpec async(String name, AsyncCriticalTask task) {
        CriticalTaskHandle.requireDescription(name);
        Objects.requireNonNull(task, "task must not be null");
        return new CriticalTaskSpec(name, context -> AsyncStages.runBlocking(task, context.cancellation()), null, task,
                RestartPolicy.never(), null, StallAction.REPORT);
    }

    /**
     * A spec for a task that takes a {@link TaskContext}, as heartbeat tasks do: no restarts, no
     * heartbeat until {@link #withHeartbeat(Duration, StallAction)} sets one. (A name of its own, so
     * that a lambda is never ambiguous between the two kinds of task.)
     *
     * @throws IllegalArgumentException when the name is blank
     */
    public static CriticalTaskSpec supervised(String name, SupervisedTask task) {
        CriticalTaskHandle.requireDescription(name);
        return new CriticalTaskSpec(name, Objects.requireNonNull(task, "task must not be null"), null, null,
                RestartPolicy.never(), null, StallAction.REPORT);
    }

    /** The same spec with this restart policy. */
    public CriticalTaskSpec withRestartPolicy(RestartPolicy restartPolicy) {
        return new CriticalTaskSpec(name, task, plainTask, asyncTask,
                Objects.requireNonNull(restartPolicy, "restartPolicy must not be null"), heartbeatTimeout, stallAction);
    }

    /**
     * The same spec with a heartbeat: the task must call {@link TaskContext#heartbeat()} at least
     * once per {@code timeout}, or it is stalled, and {@code onStall} says what follows.
     *
     * @throws IllegalArgumentException when the timeout is not positive
     * @throws IllegalStateException when the task is a plain {@link CriticalTask} or an
     *     {@link AsyncCriticalTask}, which have no {@link TaskContext} to send heartbeats with
     */
    public CriticalTaskSpec withHeartbeat(Duration timeout, StallAction onStall) {
        if (!canHeartbeat()) {
            throw new IllegalStateException("Critical task '" + name + "' is " + (asyncTask != null
                    ? "an AsyncCriticalTask" : "a plain CriticalTask") + ", which cannot send "
                    + "heartbeats: define it with CriticalTaskSpec.supervised(name, context -> ...) instead");
        }
        Objects.requireNonNull(timeout, "heartbeat timeout must not be null");
        if (timeout.isZero() || timeout.isNegative()) {
            throw new IllegalArgumentException("heartbeat timeout must be positive, but was " + timeout);
        }
        return new CriticalTaskSpec(name, task, plainTask, asyncTask, restartPolicy, timeout,
                Objects.requireNonNull(onStall, "onStall must not be null"));
    }

    /** The task's name. */
    public String name() {
        return name;
    }

    /** Whether the task takes a {@link TaskContext}, and so can send heartbeats. */
    public boolean canHeartbeat() {
        return plainTask == null && asyncTask == null;
    }

    /** Whether the task is an {@link AsyncCriticalTask}, which runs without holding a thread. */
    public boolean isAsync() {
        return asyncTask != null;
    }

    /** The work. */
    public SupervisedTask task() {
        return task;
    }

    @Nullable CriticalTask plainTask() {
        return plainTask;
    }

    @Nullable AsyncCriticalTask asyncTask() {
        return asyncTask;
    }

    /** What happens when the task fails. */
    public RestartPolicy restartPolicy() {
        return restartPolicy;
    }

    /** The heartbeat timeout, when the task has one. */
    public Optional<Duration> heartbeatTimeout() {
        return Optional.ofNullable(heartbeatTimeout);
    }

    /** What a missed heartbeat leads to. */
    public StallAction stallAction() {
        return stallAction;
    }

    @Override
    public String toString() {
        return "CriticalTaskSpec[" + name + (asyncTask != null ? ", async" : "") + ", " + restartPolicy
                + (heartbeatTimeout != null ? ", heartbeat " + heartbeatTimeout + " " + stallAction : "") + "]";
    }
}
