/**
 * Prices: a feed, an in-memory cache, and the critical worker that keeps the cache fresh.
 */
@NullMarked
package dev.criticaltask.sample.prices;

import org.jspecify.annotations.NullMarked;
