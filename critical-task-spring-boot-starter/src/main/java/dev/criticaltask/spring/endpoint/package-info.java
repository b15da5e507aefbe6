/**
 * The read-only {@code criticaltasks} actuator endpoint.
 */
@NullMarked
package dev.criticaltask.spring.endpoint;

import org.jspecify.annotations.NullMarked;
