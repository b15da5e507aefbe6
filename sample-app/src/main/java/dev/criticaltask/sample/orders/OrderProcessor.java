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
import java.util.Optional;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTask;
import dev.criticaltask.Registration;
import dev.criticaltask.sample.prices.PriceCache;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Drains the {@link OrderQueue}: prices each order from the {@link PriceCache} and
 * records the outcome in the {@link OrderLedger}.
 *
 * <p>
 * How it stops, however the run ends (cancelled, interrupted, or failing):
 * <ol>
 * <li>the order in hand is always finished;</li>
 * <li>the queue is closed, so {@code POST /orders} refuses new orders with 503;</li>
 * <li>the orders still queued are processed until {@code drainTimeout} has passed;</li>
 * <li>each one left after that is handed back: marked {@link OrderStatus#NOT_PROCESSED}
 * and logged at WARN with its id. No accepted order disappears without a trace.</li>
 * </ol>
 * An order whose item has no price is {@link OrderStatus#REJECTED}: bad input from a
 * client is the client's problem, never a reason to fail the worker and with it the
 * service.
 */
public final class OrderProcessor implements CriticalTask {

    private static final Logger logger = LoggerFactory.getLogger(OrderProcessor.class);

    /**
     * How long one poll waits. Closing the queue wakes the poll at once on cancellation,
     * so this only bounds how stale a missed wake-up could make the token check.
     */
    private static final Duration POLL_TIMEOUT = Duration.ofSeconds(1);

    private final OrderQueue queue;

    private final OrderLedger ledger;

    private final PriceCache prices;

    private final Duration drainTimeout;

    private final Clock clock;

    /**
     * Creates the processor.
     * @param queue where orders come from
     * @param ledger where outcomes go
     * @param prices the prices to charge
     * @param drainTimeout how long queued orders are still processed once the processor
     * is cancelled
     * @param clock the time of each outcome
     */
    public OrderProcessor(OrderQueue queue, OrderLedger ledger, PriceCache prices, Duration drainTimeout, Clock clock) {
        this.queue = queue;
        this.ledger = ledger;
        this.prices = prices;
        this.drainTimeout = drainTimeout;
        this.clock = clock;
    }

    @Override
    public void run(CancellationToken cancellation) throws InterruptedException {
        // Closing the queue on cancel wakes the poll below at once instead of after
        // POLL_TIMEOUT.
        Registration wakeUp = cancellation.onCancel(this.queue::close);
        try {
            while (!cancellation.isCancelled()) {
                Order order = this.queue.poll(POLL_TIMEOUT);
                if (order != null) {
                    process(order);
                }
            }
        }
        finally {
            wakeUp.close();
            drain(cancellation);
        }
    }

    /**
     * Closes the queue, processes what it holds while the drain time lasts, hands back
     * the rest.
     */
    private void drain(CancellationToken cancellation) {
        this.queue.close();
        long deadline = System.nanoTime() + this.drainTimeout.toNanos();
        int processed = 0;
        int handedBack = 0;
        Order order;
        while ((order = this.queue.pollNow()) != null) {
            // An interrupt means the grace period is over: hand back instead of
            // processing.
            if (System.nanoTime() - deadline < 0 && !Thread.currentThread().isInterrupted()) {
                process(order);
                processed++;
            }
            else {
                handBack(order, reason(cancellation));
                handedBack++;
            }
        }
        logger.info("Order processor stopped: {} queued order(s) processed while draining, {} handed back", processed,
                handedBack);
    }

    private void process(Order order) {
        Optional<BigDecimal> price = this.prices.price(order.item());
        if (price.isEmpty()) {
            this.ledger.update(order.id(), OrderStatus.REJECTED, null, "no price for item '" + order.item() + "'",
                    this.clock.instant());
            logger.info("Order {} rejected: no price for item '{}'", order.id(), order.item());
            return;
        }
        BigDecimal total = price.get().multiply(BigDecimal.valueOf(order.quantity()));
        this.ledger.update(order.id(), OrderStatus.PROCESSED, total, null, this.clock.instant());
        logger.info("Order {} processed: {} x {} = {}", order.id(), order.quantity(), order.item(), total);
    }

    private void handBack(Order order, String reason) {
        this.ledger.update(order.id(), OrderStatus.NOT_PROCESSED, null, reason, this.clock.instant());
        logger.warn("Order {} ({} x {}, accepted at {}) was NOT processed: {}; handing it back", order.id(),
                order.quantity(), order.item(), order.acceptedAt(), reason);
    }

    private static String reason(CancellationToken cancellation) {
        return cancellation.reason()
            .map((cause) -> "the service stopped after a failure (" + cause.getMessage() + ")")
            .orElse("the service stopped before the order's turn");
    }

}
