package dev.criticaltask.sample.orders;

import java.time.Instant;

/**
 * An order the service has accepted.
 *
 * @param id unique id, returned to the client
 * @param item what was ordered
 * @param quantity how many
 * @param acceptedAt when {@code POST /orders} accepted it
 */
public record Order(String id, String item, int quantity, Instant acceptedAt) {
}
