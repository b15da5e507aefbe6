/**
 * The application's readiness while critical tasks that await their ready signal are not
 * ready yet.
 */
@NullMarked
package dev.criticaltask.spring.availability;

import org.jspecify.annotations.NullMarked;
