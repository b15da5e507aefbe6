/**
 * Auto-configuration for the readiness of critical tasks.
 */
@NullMarked
package dev.criticaltask.spring.autoconfigure.availability;

import org.jspecify.annotations.NullMarked;
