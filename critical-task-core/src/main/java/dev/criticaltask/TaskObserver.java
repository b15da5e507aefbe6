package dev.criticaltask;

/**
 * What a {@link TaskRun} tells its owner (the registry) as it runs. Every call comes from the task's
 * own thread, except {@link #stalled}.
 */
interface TaskObserver {

    /** The task is about to run. */
    void started(TaskRun run);

    /**
     * The task's failure escalates; called before the parent token is cancelled, so the failure is
     * recorded first.
     *
     * @return the failure to cancel the parent with: the first one recorded, so that two tasks
     *     failing at once cannot leave the parent's reason naming another task than the record
     */
    CriticalTaskFailedException failing(TaskRun run, CriticalTaskFailedException failure);

    /** The task failed and will run again after {@code backoff}; called before the backoff. */
    void restarting(TaskRun run, Throwable cause, java.time.Duration backoff);

    /** The task missed its heartbeat; called on the heartbeat monitor's thread. */
    void stalled(TaskRun run, java.time.Duration silentFor);

    /** The task reached its terminal state; called before {@code join()} returns. */
    void finished(TaskRun run);
}
