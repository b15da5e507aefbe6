package dev.criticaltask.spring;

import java.time.Duration;
import java.util.Objects;

import dev.criticaltask.CriticalTaskRegistry;

import org.springframework.context.ApplicationEvent;

/**
 * Published when a task with a heartbeat timeout went longer than the timeout without a heartbeat,
 * once per stall, on the registry's heartbeat monitor thread. Whether the stall is only reported or
 * treated as a failure is the task's {@code heartbeat.on-stall}.
 */
public final class CriticalTaskStalledEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final String taskName;

    private final Duration silentFor;

    /**
     * Creates a new event.
     *
     * @param source the registry of the task
     * @param taskName the task's name
     * @param silentFor how long the task had gone without a heartbeat
     */
    public CriticalTaskStalledEvent(CriticalTaskRegistry source, String taskName, Duration silentFor) {
        super(source);
        this.taskName = Objects.requireNonNull(taskName, "taskName must not be null");
        this.silentFor = Objects.requireNonNull(silentFor, "silentFor must not be null");
    }

    /** The task's name. */
    public String getTaskName() {
        return this.taskName;
    }

    /** How long the task had gone without a heartbeat when the stall was found. */
    public Duration getSilentFor() {
        return this.silentFor;
    }

    @Override
    public CriticalTaskRegistry getSource() {
        return (CriticalTaskRegistry) super.getSource();
    }

}
