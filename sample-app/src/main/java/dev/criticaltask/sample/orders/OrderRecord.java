/*
 * Copyright 2026-present the original author or authors.
 *
 * Licensed under the Apache License, Version 2.0 (the "License");
 * you may not use this file except in compliance with the License.
 * You may obtain a copy of the License at
 *
 *      https://www.apache.org/licenses/LICENSE-2.0
 *
 * Unless required by applicable law or agreed to in writing, software
 * distributed under the License is distributed on an "AS IS" BASIS,
 * WITHOUT WARRANTIES OR CONDITIONS OF ANY KIND, either express or implied.
 * See the License for the specific language governing permissions and
 * limitations under the License.
 */

package dev.criticaltask.sample.orders;

import java.math.BigDecimal;
import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * What the service knows about an order, as {@code GET /orders/{id}} shows it.
 *
 * @param id the order's id
 * @param item what was ordered
 * @param quantity how many
 * @param status where it is
 * @param total the price, once it was processed
 * @param reason why it was rejected or not processed
 * @param acceptedAt when it was accepted
 * @param updatedAt when its status last changed
 */
public record OrderRecord(String id, String item, int quantity, OrderStatus status, @Nullable BigDecimal total,
        @Nullable String reason, Instant acceptedAt, Instant updatedAt) {

    static OrderRecord accepted(Order order) {
        return new OrderRecord(order.id(), order.item(), order.quantity(), OrderStatus.ACCEPTED, null, null,
                order.acceptedAt(), order.acceptedAt());
    }

    OrderRecord with(OrderStatus status, @Nullable BigDecimal total, @Nullable String reason, Instant at) {
        return new OrderRecord(this.id, this.item, this.quantity, status, total, reason, this.acceptedAt, at);
    }

}
