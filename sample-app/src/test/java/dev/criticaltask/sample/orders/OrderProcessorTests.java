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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.sample.prices.PriceCache;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

@Tag("spring")
@ExtendWith(OutputCaptureExtension.class)
class OrderProcessorTests {

    private final OrderQueue queue = new OrderQueue(10);

    private final OrderLedger ledger = new OrderLedger();

    private final PriceCache prices = new PriceCache();

    OrderProcessorTests() {
        this.prices.replace(Map.of("coffee", new BigDecimal("3.50")), Instant.EPOCH);
    }

    private OrderProcessor processor(Duration drainTimeout) {
        return new OrderProcessor(this.queue, this.ledger, this.prices, drainTimeout, Clock.systemUTC());
    }

    private Order accept(String id, String item, int quantity) {
        Order order = new Order(id, item, quantity, Instant.now());
        this.ledger.accepted(order);
        assertThat(this.queue.offer(order)).isEqualTo(OrderQueue.Offer.QUEUED);
        return order;
    }

    private OrderStatus status(String id) {
        return this.ledger.find(id).orElseThrow().status();
    }

    @Test
    void processesOrdersUntilCancelledThenRefusesNewOnes() throws InterruptedException {
        CancellationToken root = CancellationToken.create();
        CriticalTaskHandle handle = CriticalTaskHandle.spawn("orderProcessor", processor(Duration.ofSeconds(5)), root);
        try {
            accept("a", "coffee", 2);
            accept("b", "pizza", 1);
            await().atMost(Duration.ofSeconds(10)).until(() -> status("a") == OrderStatus.PROCESSED);
            assertThat(this.ledger.find("a").orElseThrow().total()).isEqualByComparingTo("7.00");
            await().atMost(Duration.ofSeconds(10)).until(() -> status("b") == OrderStatus.REJECTED);
            // bad input is the client's problem: the worker is still running
            assertThat(handle.isFinished()).isFalse();

            root.cancel();
            assertThat(handle.join(Duration.ofSeconds(10))).isTrue();
            assertThat(this.queue.offer(new Order("c", "coffee", 1, Instant.now()))).isEqualTo(OrderQueue.Offer.CLOSED);
        }
        finally {
            root.cancel();
            handle.join(Duration.ofSeconds(10));
        }
    }

    @Test
    void drainsQueuedOrdersWhenCancelled() throws InterruptedException {
        List.of("a", "b", "c").forEach((id) -> accept(id, "coffee", 1));
        CancellationToken cancelled = CancellationToken.create();
        cancelled.cancel();

        processor(Duration.ofSeconds(5)).run(cancelled);

        assertThat(List.of("a", "b", "c")).allSatisfy((id) -> assertThat(status(id)).isEqualTo(OrderStatus.PROCESSED));
    }

    @Test
    void handsBackAndLogsEveryOrderItCouldNotProcess(CapturedOutput output) throws InterruptedException {
        List.of("order-1", "order-2", "order-3").forEach((id) -> accept(id, "coffee", 1));
        CancellationToken cancelled = CancellationToken.create();
        cancelled.cancel();

        // no drain time at all: everything queued is handed back
        processor(Duration.ZERO).run(cancelled);

        assertThat(List.of("order-1", "order-2", "order-3")).allSatisfy((id) -> {
            assertThat(status(id)).isEqualTo(OrderStatus.NOT_PROCESSED);
            assertThat(output).containsPattern("Order " + id + " .* was NOT processed");
        });
        assertThat(output).contains("0 queued order(s) processed while draining, 3 handed back");
        assertThat(this.queue.size()).isZero();
    }

}
