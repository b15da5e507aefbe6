package dev.criticaltask.spring;

import java.time.Duration;
import java.util.Objects;

import dev.criticaltask.CriticalTaskRegistry;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a task failed and its restart policy runs it again; the root token is not
 * cancelled. Published on the task's own thread, before the backoff.
 */
public final class CriticalTaskRestartedEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final String taskName;

    private final transient Throwable cause;

    private final int restarts;

    private final Duration backoff;

    /**
     * Creates a new event.
     *
     * @param source the registry of the task
     * @param taskName the task's name
     * @param cause what the failed attempt threw
     * @param restarts how many times the task has been restarted, this restart included
     * @param backoff how long the task waits before it runs again
     */
    public CriticalTaskRestartedEvent(CriticalTaskRegistry source, String taskName, Throwable cause, int restarts,
            Duration backoff) {
        super(source);
        this.taskName = Objects.requireNonNull(taskName, "taskName must not be null");
        this.cause = Objects.requireNonNull(cause, "cause must not be null");
        this.restarts = restarts;
        this.backoff = Objects.requireNonNull(backoff, "backoff must not be null");
    }

    /** The task's name. */
    public String getTaskName() {
        return this.taskName;
    }

    /** What the failed attempt threw. */
    public Throwable getCause() {
        return this.cause;
    }

    /** How many times the task has been restarted, this restart included. */
    public int getRestarts() {
        return this.restarts;
    }

    /** How long the task waits before it runs again. */
    public Duration getBackoff() {
        return this.backoff;
    }

    @Override
    public CriticalTaskRegistry getSource() {
        return (CriticalTaskRegistry) super.getSource();
    }

}
