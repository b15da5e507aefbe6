package dev.criticaltask;

/**
 * Hears what the tasks of a {@link CriticalTaskRegistry} do.
 *
 * <p>Every call is made on the task's own thread, outside any lock (but {@link #stalled}, made on the
 * heartbeat monitor's thread): {@link #started} just before the task runs, {@link #restarted} before
 * each backoff, the others once it has reached its terminal state and before {@link
 * CriticalTaskHandle#join()} returns. By then a failure has cancelled the root and is the registry's
 * {@link CriticalTaskRegistry#firstFailure() first failure} if no other came before it. Listeners
 * should be quick; one that throws is logged and the others still hear the event.
 */
public interface CriticalTaskListener {

    /** The task is about to run. */
    default void started(CriticalTaskHandle task) {
    }

    /** The task returned normally without having been cancelled. */
    default void completed(CriticalTaskHandle task) {
    }

    /** The task stopped gracefully after its token was cancelled. */
    default void cancelled(CriticalTaskHandle task) {
    }

    /**
     * The task threw and its restart policy runs it again after {@code backoff}; the root is not
     * cancelled. Called before the backoff.
     */
    default void restarted(CriticalTaskHandle task, Throwable cause, java.time.Duration backoff) {
    }

    /**
     * The task went longer than its heartbeat timeout without a heartbeat. Called on the registry's
     * heartbeat monitor thread, once per stall.
     */
    default void stalled(CriticalTaskHandle task, java.time.Duration silentFor) {
    }

    /** The task threw and no restart is left; the registry's root token is already cancelled. */
    default void failed(CriticalTaskHandle task, CriticalTaskFailedException failure) {
    }
}
