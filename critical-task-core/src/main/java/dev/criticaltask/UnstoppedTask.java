package dev.criticaltask;

import java.util.List;
import java.util.Objects;

/**
 * A task that was still running when its registry's grace period ran out.
 *
 * @param name the task's name
 * @param stackTrace where its thread was at that moment, innermost frame first; empty when the task
 *     had no thread yet
 */
public record UnstoppedTask(String name, List<StackTraceElement> stackTrace) {

    /**
     * Copies the stack, so the record stays immutable.
     *
     * @param name the task's name
     * @param stackTrace where its thread was; empty when the task had no thread
     */
    public UnstoppedTask {
        Objects.requireNonNull(name, "name must not be null");
        stackTrace = List.copyOf(stackTrace);
    }
}
