package dev.criticaltask;

/**
 * What a {@link SupervisedTask} receives for one run: its token, its name, which attempt this is,
 * and the heartbeat it reports progress with.
 *
 * <p>A context belongs to one attempt; a restart gets a new one with a fresh token. Its methods may
 * be called from any thread, but a heartbeat is meant to come from the task's own work loop.
 */
public interface TaskContext {

    /** {@return this attempt's token: cancelled when the task is asked to stop} */
    CancellationToken cancellation();

    /** {@return the task's name} */
    String name();

    /** {@return which run this is: 1 for the first, 2 after the first restart, and so on} */
    int attempt();

    /**
     * Reports progress. A task spawned with a heartbeat timeout that goes longer than the timeout
     * without calling this is {@link TaskState#STALLED}; the next heartbeat makes it
     * {@link TaskState#RUNNING} again (unless the stall was treated as a failure). Cheap: a
     * volatile write and a volatile read. A heartbeat counts for this context's attempt only.
     */
    void heartbeat();
}
