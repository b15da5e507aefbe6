/**
 * Auto-configuration for critical tasks: every task bean runs under one root
 * {@link dev.criticaltask.CancellationToken}, and the first task that fails turns into an
 * orderly, observable, exit-coded shutdown of the application.
 *
 * @see dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration
 * @see dev.criticaltask.spring.autoconfigure.CriticalTaskProperties
 */
@NullMarked
package dev.criticaltask.spring.autoconfigure;

import org.jspecify.annotations.NullMarked;
