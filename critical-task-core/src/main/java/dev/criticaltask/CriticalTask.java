package dev.criticaltask;

/**
 * Background work that must succeed or stop gracefully.
 *
 * <p>The task receives its own cancellation token and should return soon after it is cancelled,
 * for example by checking {@link CancellationToken#isCancelled()} between units of work or by
 * blocking in {@link CancellationToken#await(java.time.Duration)} instead of sleeping.
 *
 * <p>How the run ends decides what happens next:
 * <ul>
 *   <li>returning normally completes the task, or stops it gracefully when its token was cancelled;
 *   <li>throwing {@link InterruptedException} after its token was cancelled is a graceful stop too;
 *   <li>throwing anything else, a checked exception, an unchecked exception or an {@link Error},
 *       is a failure: the parent token is cancelled, so every sibling stops as well.
 * </ul>
 */
@FunctionalInterface
public interface CriticalTask {

    /**
     * Runs the work until it is done or until {@code cancellation} is cancelled.
     *
     * @param cancellation this task's own token: cancelled when the task is asked to stop
     * @throws Exception any failure; it cancels the parent token
     */
    void run(CancellationToken cancellation) throws Exception;
}
