/**
 * Auto-configuration for the health contributor of critical tasks.
 */
@NullMarked
package dev.criticaltask.spring.autoconfigure.health;

import org.jspecify.annotations.NullMarked;
