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

package dev.criticaltask.sample.chaos;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.sample.SampleProperties;
import dev.criticaltask.sample.orders.Order;
import dev.criticaltask.sample.orders.OrderLedger;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Failures on request, each of which shuts the whole service down:
 * <ul>
 * <li>{@code POST /chaos/fail} spawns, at run time, a critical task that crashes at once.
 * It shows that tasks spawned on the registry by application code are as critical as the
 * {@code @Bean} ones.</li>
 * <li>{@code POST /chaos/lose-order} records an order in the ledger as {@code ACCEPTED}
 * without queuing it: the classic lost write between a database and a queue. No worker
 * fails, the processor never sees the order, and every probe stays UP; once the order is
 * older than {@code sample.orders.audit.max-pending-age}, the critical scheduled ledger
 * audit ({@code orderLedgerAudit.audit}) throws and takes the service down.</li>
 * </ul>
 *
 * <p>
 * It exists only with {@code sample.chaos.http-enabled=true}: by default no HTTP request
 * can make anything fail (both paths answer 404).
 */
@RestController
@ConditionalOnBooleanProperty("sample.chaos.http-enabled")
class ChaosController {

    private final CriticalTaskRegistry registry;

    private final OrderLedger ledger;

    private final Duration maxPendingAge;

    private final Clock clock;

    private final AtomicInteger requests = new AtomicInteger();

    ChaosController(CriticalTaskRegistry registry, OrderLedger ledger, SampleProperties properties, Clock clock) {
        this.registry = registry;
        this.ledger = ledger;
        this.maxPendingAge = properties.orders().audit().maxPendingAge();
        this.clock = clock;
    }

    @PostMapping("/chaos/fail")
    ResponseEntity<Map<String, String>> fail() {
        String name = "chaos-" + this.requests.incrementAndGet();
        try {
            this.registry.spawn(name, (cancellation) -> {
                throw new IllegalStateException("chaos: failure requested over HTTP (POST /chaos/fail)");
            }).detach();
        }
        catch (IllegalStateException ex) {
            // the registry refuses spawns once it has begun to stop
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", String.valueOf(ex.getMessage())));
        }
        return ResponseEntity.accepted().body(Map.of("task", name, "result", "crashing; the service shuts down"));
    }

    @PostMapping("/chaos/lose-order")
    ResponseEntity<Map<String, String>> loseOrder() {
        Order order = new Order(UUID.randomUUID().toString(), "coffee", 1, this.clock.instant());
        // What OrderController does, minus the queue: the record says ACCEPTED, nothing
        // will process it.
        this.ledger.accepted(order);
        return ResponseEntity.accepted()
            .location(URI.create("/orders/" + order.id()))
            .body(Map.of("order", order.id(), "result", "recorded as ACCEPTED but never queued; the ledger audit "
                    + "fails the service once it is older than " + this.maxPendingAge));
    }

}
