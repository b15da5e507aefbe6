/**
 * The read-only {@code criticaltasks} actuator endpoint.
 */
@NullMarked
package dev.criticaltask.spring.actuate.endpoint;

import org.jspecify.annotations.NullMarked;
