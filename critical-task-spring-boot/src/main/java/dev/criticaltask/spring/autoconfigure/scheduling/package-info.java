/**
 * Auto-configuration for critical {@code @Scheduled} and {@code @Async} methods:
 * {@code @Critical} jobs.
 */
@NullMarked
package dev.criticaltask.spring.autoconfigure.scheduling;

import org.jspecify.annotations.NullMarked;
