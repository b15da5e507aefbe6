package dev.criticaltask;

/**
 * A critical task that takes a {@link TaskContext}: for work that reports heartbeats or wants to
 * know its attempt number. Otherwise it behaves exactly like a {@link CriticalTask}: the same
 * outcomes, the same failure semantics.
 */
@FunctionalInterface
public interface SupervisedTask {

    /**
     * Runs the work until it is done or until the context's token is cancelled.
     *
     * @param context this attempt's token, name, attempt number and heartbeat
     * @throws Exception any failure; it goes through the task's restart policy, then cancels the
     *     parent token
     */
    void run(TaskContext context) throws Exception;
}
