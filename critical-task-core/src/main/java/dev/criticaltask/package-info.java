/**
 * Critical background tasks: work that must not die silently.
 *
 * <p>
 * A {@link dev.criticaltask.CancellationToken} forms a tree of cancellation signals. A
 * {@link dev.criticaltask.CriticalTaskHandle} runs one
 * {@link dev.criticaltask.CriticalTask} under a child of a parent token; if the task
 * throws, the parent is cancelled, so every sibling stops. A
 * {@link dev.criticaltask.CriticalTaskRegistry} owns a root token, names its tasks,
 * remembers the first failure and stops everything with a bounded grace period.
 *
 * <p>
 * Everything here is thread-safe unless a type says otherwise. Nothing in this package
 * depends on a framework; logging goes through {@link java.lang.System.Logger}.
 */
@NullMarked
package dev.criticaltask;

import org.jspecify.annotations.NullMarked;
