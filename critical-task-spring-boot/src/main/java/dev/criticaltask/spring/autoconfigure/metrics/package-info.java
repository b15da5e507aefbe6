/**
 * Auto-configuration for the Micrometer metrics of critical tasks.
 */
@NullMarked
package dev.criticaltask.spring.autoconfigure.metrics;

import org.jspecify.annotations.NullMarked;
