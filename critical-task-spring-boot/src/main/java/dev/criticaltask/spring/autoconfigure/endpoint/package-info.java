/**
 * Auto-configuration for the {@code criticaltasks} actuator endpoint.
 */
@NullMarked
package dev.criticaltask.spring.autoconfigure.endpoint;

import org.jspecify.annotations.NullMarked;
