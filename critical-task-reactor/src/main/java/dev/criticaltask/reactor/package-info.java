/**
 * Critical tasks whose work is a Reactor pipeline:
 * {@link dev.criticaltask.reactor.ReactiveCriticalTask}, run as an asynchronous critical
 * task. No Spring.
 */
@NullMarked
package dev.criticaltask.reactor;

import org.jspecify.annotations.NullMarked;
