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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The status of recent orders, for {@code GET /orders/{id}}. Thread-safe. It remembers
 * the last {@value #CAPACITY} orders only: a demo keeps no database, and an in-memory map
 * must not grow for ever.
 */
public final class OrderLedger {

    static final int CAPACITY = 10_000;

    private final Map<String, OrderRecord> records = new LinkedHashMap<>(16, 0.75f, false) {

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, OrderRecord> eldest) {
            return size() > CAPACITY;
        }

    };

    /** Records a newly accepted order. */
    public synchronized void accepted(Order order) {
        this.records.put(order.id(), OrderRecord.accepted(order));
    }

    /** Moves an order to a final status. */
    public synchronized void update(String id, OrderStatus status, @Nullable BigDecimal total, @Nullable String reason,
            Instant at) {
        this.records.computeIfPresent(id, (key, record) -> record.with(status, total, reason, at));
    }

    /** Forgets an order that was recorded but could not be queued after all. */
    public synchronized void forget(String id) {
        this.records.remove(id);
    }

    /** The order with this id, if it is still remembered. */
    public synchronized Optional<OrderRecord> find(String id) {
        return Optional.ofNullable(this.records.get(id));
    }

    /** A copy of every remembered record, oldest first, taken at one moment. */
    public synchronized List<OrderRecord> records() {
        return List.copyOf(this.records.values());
    }

}
