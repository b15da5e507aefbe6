/**
 * Fault injection for demos and tests. Every piece of it is off unless a
 * {@code sample.chaos.*} property turns it on.
 */
@NullMarked
package dev.criticaltask.sample.chaos;

import org.jspecify.annotations.NullMarked;
