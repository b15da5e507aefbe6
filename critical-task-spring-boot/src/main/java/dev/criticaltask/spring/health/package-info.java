/**
 * Health of critical tasks: a composite contributor named {@code criticalTasks} with one
 * entry per task of the {@link dev.criticaltask.CriticalTaskRegistry}.
 */
@NullMarked
package dev.criticaltask.spring.health;

import org.jspecify.annotations.NullMarked;
