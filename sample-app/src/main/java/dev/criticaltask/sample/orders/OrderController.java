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

import java.net.URI;
import java.time.Clock;
import java.util.Map;
import java.util.UUID;

import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /orders} accepts an order into the queue (202, with its id and a
 * {@code Location}), or refuses it: 400 for invalid input, 503 when the queue is full or
 * the service is stopping. {@code GET /orders/{id}} shows where an order is.
 *
 * <p>
 * Nothing a client sends can fail a worker: input is checked here, and an unknown item is
 * a rejected order, not an exception in the processor.
 */
@RestController
@RequestMapping("/orders")
class OrderController {

    static final int MAX_QUANTITY = 1_000;

    private final OrderQueue queue;

    private final OrderLedger ledger;

    private final Clock clock;

    OrderController(OrderQueue queue, OrderLedger ledger, Clock clock) {
        this.queue = queue;
        this.ledger = ledger;
        this.clock = clock;
    }

    /**
     * The body of {@code POST /orders}.
     *
     * @param item what to order, e.g. {@code coffee}
     * @param quantity how many, 1 to {@value OrderController#MAX_QUANTITY}
     */
    record OrderRequest(@Nullable String item, @Nullable Integer quantity) {
    }

    @PostMapping
    ResponseEntity<?> accept(@RequestBody OrderRequest request) {
        String item = request.item();
        Integer quantity = request.quantity();
        if (item == null || item.isBlank() || quantity == null || quantity < 1 || quantity > MAX_QUANTITY) {
            return ResponseEntity.badRequest()
                .body(Map.of("error", "an order needs an item and a quantity from 1 to " + MAX_QUANTITY));
        }
        Order order = new Order(UUID.randomUUID().toString(), item.strip(), quantity, this.clock.instant());
        // Record first: the processor may update the record as soon as the order is
        // queued.
        this.ledger.accepted(order);
        OrderQueue.Offer offer = this.queue.offer(order);
        if (offer != OrderQueue.Offer.QUEUED) {
            this.ledger.forget(order.id());
            String why = (offer == OrderQueue.Offer.FULL) ? "the order queue is full" : "the service is stopping";
            return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header("Retry-After", "1")
                .body(Map.of("error", why));
        }
        return ResponseEntity.accepted()
            .location(URI.create("/orders/" + order.id()))
            .body(this.ledger.find(order.id()).orElseGet(() -> OrderRecord.accepted(order)));
    }

    @GetMapping("/{id}")
    ResponseEntity<OrderRecord> find(@PathVariable String id) {
        return ResponseEntity.of(this.ledger.find(id));
    }

}
