/**
 * Orders: accepted over HTTP into a bounded queue, processed by a critical worker, never
 * lost silently.
 */
@NullMarked
package dev.criticaltask.sample.orders;

import org.jspecify.annotations.NullMarked;
