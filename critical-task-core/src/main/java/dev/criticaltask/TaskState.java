package dev.criticaltask;

/**
 * Where a critical task is in its life. A task starts {@link #RUNNING} and moves exactly once to one
 * of the three terminal states.
 */
public enum TaskState {
    /** Spawned and not yet ended (this includes a task still waiting for its thread). */
    RUNNING,
    /** Returned normally without its token having been cancelled. */
    COMPLETED,
    /**
     * Stopped gracefully: returned, or threw {@link InterruptedException}, after its token was
     * cancelled.
     */
    CANCELLED,
    /** Threw; its parent token was cancelled because of it. */
    FAILED;

    /** Whether this state is final. */
    public boolean isTerminal() {
        return this != RUNNING;
    }
}
