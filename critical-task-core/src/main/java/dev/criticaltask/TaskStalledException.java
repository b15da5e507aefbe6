package dev.criticaltask;

import java.time.Duration;

/** A task with a heartbeat timeout went longer than the timeout without a heartbeat. */
public class TaskStalledException extends Exception {

    private static final long serialVersionUID = 1L;

    private final transient Duration silentFor;

    /**
     * Creates the stall of a task.
     *
     * @param taskName the task
     * @param silentFor how long it had gone without a heartbeat
     * @param timeout its heartbeat timeout
     */
    public TaskStalledException(String taskName, Duration silentFor, Duration timeout) {
        super("Critical task '" + taskName + "' sent no heartbeat for " + silentFor.toMillis()
                + " ms (timeout " + timeout.toMillis() + " ms)");
        this.silentFor = silentFor;
    }

    /** {@return how long the task had gone without a heartbeat when the stall was found} */
    public Duration silentFor() {
        return silentFor;
    }
}
