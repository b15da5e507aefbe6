package dev.criticaltask;

import org.jspecify.annotations.Nullable;

/**
 * One run of a task's body: its number, its own token and, for a task with a heartbeat timeout,
 * the watch of its heartbeats. It is the {@link TaskContext} a {@link SupervisedTask} receives, and
 * what a stall or an interrupt names, so that neither can reach another attempt.
 */
final class Attempt implements TaskContext {

    private final TaskRun run;

    private final int number;

    private final CancellationToken token;

    private final @Nullable HeartbeatWatch watch;

    Attempt(TaskRun run, int number, CancellationToken token, long heartbeatTimeoutNanos, StallAction onStall,
            @Nullable SupervisionTimer timer) {
        this.run = run;
        this.number = number;
        this.token = token;
        this.watch = heartbeatTimeoutNanos > 0 && timer != null
                ? new HeartbeatWatch(run, this, heartbeatTimeoutNanos, onStall, timer) : null;
    }

    @Override
    public CancellationToken cancellation() {
        return token;
    }

    @Override
    public String name() {
        return run.description();
    }

    @Override
    public int attempt() {
        return number;
    }

    @Override
    public void heartbeat() {
        HeartbeatWatch watching = watch;
        if (watching != null) {
            watching.beat();
        }
    }

    @Nullable HeartbeatWatch watch() {
        return watch;
    }
}
