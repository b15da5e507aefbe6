/**
 * Critical jobs: {@code @Scheduled} and {@code void @Async} methods made critical with
 * {@link dev.criticaltask.spring.scheduling.Critical @Critical}, the bean post-processor
 * that finds and advises them, and the registry of jobs that health and the endpoint
 * describe.
 */
@NullMarked
package dev.criticaltask.spring.scheduling;

import org.jspecify.annotations.NullMarked;
