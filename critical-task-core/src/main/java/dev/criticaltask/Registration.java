package dev.criticaltask;

/**
 * A handle on something registered, such as a cancellation callback or a registry listener.
 *
 * <p>{@link #close()} unregisters it. Closing is idempotent and thread-safe. Once {@code close()}
 * has returned, a callback that had not started yet will never start; one that was already running
 * when {@code close()} was called may still be running.
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {

    /** Unregisters; does nothing when already closed, or when the callback has already run. */
    @Override
    void close();
}
