/**
 * Spring Boot auto-configuration for critical tasks: every {@link dev.criticaltask.CriticalTask}
 * bean runs under one root {@link dev.criticaltask.CancellationToken}, and the first task that
 * fails turns into an orderly, observable, exit-coded shutdown of the application.
 *
 * @see dev.criticaltask.spring.CriticalTaskAutoConfiguration
 * @see dev.criticaltask.spring.CriticalTaskProperties
 */
@NullMarked
package dev.criticaltask.spring;

import org.jspecify.annotations.NullMarked;
