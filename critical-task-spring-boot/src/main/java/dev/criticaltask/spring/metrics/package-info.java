/**
 * Micrometer metrics of critical tasks.
 */
@NullMarked
package dev.criticaltask.spring.metrics;

import org.jspecify.annotations.NullMarked;
