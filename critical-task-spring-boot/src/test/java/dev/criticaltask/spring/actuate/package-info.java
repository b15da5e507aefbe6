/**
 * End-to-end tests of the health and endpoint JSON over HTTP.
 */
@NullMarked
package dev.criticaltask.spring.actuate;

import org.jspecify.annotations.NullMarked;
