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

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.criticaltask.spring.scheduling.Critical;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.scheduling.annotation.Scheduled;

/**
 * Audits the {@link OrderLedger} on a fixed delay ({@code sample.orders.audit.interval})
 * and fails when an invariant of the order flow is broken:
 * <ol>
 * <li><b>no order is stuck</b>: while orders are being taken (the queue is open), no
 * order stays {@link OrderStatus#ACCEPTED} longer than {@code maxPendingAge}. Processing
 * an order takes milliseconds; an older one means the processor has stalled, or the order
 * was recorded but never reached it. Once the queue is closed the service is stopping,
 * and the processor's drain hands back what it cannot process, so the check no longer
 * applies;</li>
 * <li><b>every final record is complete</b>: a {@link OrderStatus#PROCESSED} order has a
 * total, a {@link OrderStatus#REJECTED} or {@link OrderStatus#NOT_PROCESSED} one a
 * reason.</li>
 * </ol>
 *
 * <p>
 * Why the whole service stops: the {@link OrderProcessor} fails the service when it
 * throws, but a processor that hangs, or an order that falls between the ledger and the
 * queue, leaves it {@code RUNNING} and healthy by every probe while orders pile up
 * unanswered. A broken invariant means the service is wrong, and its in-memory state can
 * no longer be trusted: the method is {@link Critical @Critical}, so the exception it
 * throws fails the critical task {@code orderLedgerAudit.audit}, and the service shuts
 * down and exits non-zero to be restarted clean. Without {@code @Critical}, Spring's
 * scheduler would log the exception and run the audit again at its next trigger, for
 * ever.
 *
 * <p>
 * Not final, and {@link #audit()} is public and not final: the starter advises a critical
 * method through a class-based proxy.
 */
public class OrderLedgerAudit {

    /**
     * The default of {@code sample.orders.audit.interval}, for the properties and the
     * placeholder alike.
     */
    public static final String DEFAULT_INTERVAL = "10s";

    private static final Logger logger = LoggerFactory.getLogger(OrderLedgerAudit.class);

    private final OrderLedger ledger;

    private final OrderQueue queue;

    private final Duration maxPendingAge;

    private final Clock clock;

    /**
     * Creates the audit.
     * @param ledger the ledger to audit
     * @param queue the queue the processor drains: open while orders are being taken
     * @param maxPendingAge how long an order may stay {@code ACCEPTED} while the queue is
     * open
     * @param clock the time to measure an order's age against
     */
    public OrderLedgerAudit(OrderLedger ledger, OrderQueue queue, Duration maxPendingAge, Clock clock) {
        this.ledger = ledger;
        this.queue = queue;
        this.maxPendingAge = maxPendingAge;
        this.clock = clock;
    }

    /**
     * Checks the ledger once.
     * @throws IllegalStateException naming every broken invariant, with the count and an
     * example of each
     */
    @Critical
    @Scheduled(fixedDelayString = "${sample.orders.audit.interval:" + DEFAULT_INTERVAL + "}")
    public void audit() {
        // The records first, the queue second: the queue never reopens, so an open queue
        // now was
        // open when the records were copied, and the processor was still taking orders.
        List<OrderRecord> records = this.ledger.records();
        boolean takingOrders = !this.queue.isClosed();
        Instant now = this.clock.instant();
        List<String> violations = new ArrayList<>(2);
        if (takingOrders) {
            stuckOrders(records, now, violations);
        }
        incompleteRecords(records, violations);
        if (!violations.isEmpty()) {
            throw new IllegalStateException("Order ledger audit failed: " + String.join("; ", violations));
        }
        logger.debug("Order ledger audit passed: {} order(s) remembered, queue {}", records.size(),
                takingOrders ? "open" : "closed");
    }

    private void stuckOrders(List<OrderRecord> records, Instant now, List<String> violations) {
        Instant acceptedBefore = now.minus(this.maxPendingAge);
        OrderRecord oldest = null;
        int stuck = 0;
        for (OrderRecord record : records) {
            if (record.status() == OrderStatus.ACCEPTED && record.acceptedAt().isBefore(acceptedBefore)) {
                stuck++;
                if (oldest == null || record.acceptedAt().isBefore(oldest.acceptedAt())) {
                    oldest = record;
                }
            }
        }
        if (oldest != null) {
            violations.add(stuck + " order(s) ACCEPTED for longer than " + this.maxPendingAge
                    + " (sample.orders.audit.max-pending-age) while orders are being taken, the oldest " + oldest.id()
                    + " accepted at " + oldest.acceptedAt() + " (" + Duration.between(oldest.acceptedAt(), now)
                    + " ago): the order processor has stalled, or the orders never reached it");
        }
    }

    private static void incompleteRecords(List<OrderRecord> records, List<String> violations) {
        OrderRecord first = null;
        int incomplete = 0;
        for (OrderRecord record : records) {
            if (!isComplete(record)) {
                incomplete++;
                if (first == null) {
                    first = record;
                }
            }
        }
        if (first != null) {
            violations
                .add(incomplete + " incomplete record(s), the first: order " + first.id() + " is " + first.status()
                        + ((first.status() == OrderStatus.PROCESSED) ? " without a total" : " without a reason"));
        }
    }

    private static boolean isComplete(OrderRecord record) {
        return switch (record.status()) {
            case ACCEPTED -> true;
            case PROCESSED -> record.total() != null;
            case REJECTED, NOT_PROCESSED -> record.reason() != null;
        };
    }

}
