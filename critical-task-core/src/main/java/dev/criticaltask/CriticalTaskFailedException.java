package dev.criticaltask;

import java.util.Objects;

/**
 * A critical task ended by throwing. {@link #getCause()} is the task's own throwable.
 *
 * <p>The message names the task and says whether it <em>failed</em> (it threw a checked exception)
 * or <em>crashed</em> (it threw an unchecked exception or an {@link Error}), mirroring the Rust
 * original's "failed" and "panicked".
 *
 * <p>The same instance is the reason of the cancelled parent token, is thrown by
 * {@link CriticalTaskHandle#join()}, completes {@link CriticalTaskHandle#completion()} exceptionally
 * and is the registry's {@link CriticalTaskRegistry#firstFailure()}, so a sibling can tell "a
 * sibling failed" from "shut down" by looking at its token's {@link CancellationToken#reason()}.
 * It carries no stack trace of its own: the cause's stack is where the failure happened.
 */
public class CriticalTaskFailedException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final String taskDescription;

    /**
     * Creates the failure of a task.
     *
     * @param taskDescription the task's name or description
     * @param cause what the task threw
     */
    public CriticalTaskFailedException(String taskDescription, Throwable cause) {
        super(message(taskDescription, cause), Objects.requireNonNull(cause, "cause must not be null"), true, false);
        this.taskDescription = taskDescription;
    }

    /** The name or description of the task that threw. */
    public String taskDescription() {
        return taskDescription;
    }

    /** Whether the task crashed (unchecked exception or {@link Error}) rather than failed. */
    public boolean isCrash() {
        return isCrash(getCause());
    }

    static boolean isCrash(Throwable thrown) {
        return thrown instanceof RuntimeException || thrown instanceof Error;
    }

    private static String message(String taskDescription, Throwable cause) {
        Objects.requireNonNull(taskDescription, "taskDescription must not be null");
        Objects.requireNonNull(cause, "cause must not be null");
        return "Critical task '" + taskDescription + "' " + (isCrash(cause) ? "crashed" : "failed") + ": " + cause;
    }
}
