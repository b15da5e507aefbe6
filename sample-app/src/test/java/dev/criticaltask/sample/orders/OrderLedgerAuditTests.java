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
import java.time.ZoneOffset;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The ledger audit's invariants, on a real ledger and queue at a fixed time: a healthy
 * ledger passes, and each broken invariant throws with a message that says which, how
 * many, and an example.
 */
@Tag("spring")
class OrderLedgerAuditTests {

    private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

    private static final Duration MAX_PENDING_AGE = Duration.ofSeconds(30);

    private final OrderLedger ledger = new OrderLedger();

    private final OrderQueue queue = new OrderQueue(10);

    private final OrderLedgerAudit audit = new OrderLedgerAudit(this.ledger, this.queue, MAX_PENDING_AGE,
            Clock.fixed(NOW, ZoneOffset.UTC));

    private Order accepted(String id, Duration ago) {
        Order order = new Order(id, "coffee", 2, NOW.minus(ago));
        this.ledger.accepted(order);
        return order;
    }

    @Test
    void anEmptyLedgerPasses() {
        assertThatNoException().isThrownBy(this.audit::audit);
    }

    @Test
    void aHealthyLedgerPasses() {
        accepted("pending", MAX_PENDING_AGE); // exactly at the bound: not stuck yet
        accepted("processed", Duration.ofMinutes(5));
        this.ledger.update("processed", OrderStatus.PROCESSED, new BigDecimal("7.00"), null, NOW);
        accepted("rejected", Duration.ofMinutes(4));
        this.ledger.update("rejected", OrderStatus.REJECTED, null, "no price for item 'pizza'", NOW);

        assertThatNoException().isThrownBy(this.audit::audit);
    }

    @Test
    void anOrderAcceptedLongerThanTheBoundWhileOrdersAreTakenFailsTheAudit() {
        accepted("fresh", Duration.ofSeconds(1));
        accepted("stuck-1", Duration.ofSeconds(45));
        accepted("stuck-2", Duration.ofSeconds(31));

        assertThatIllegalStateException().isThrownBy(this.audit::audit)
            .withMessageStartingWith("Order ledger audit failed: 2 order(s) ACCEPTED for longer than PT30S")
            .withMessageContaining("sample.orders.audit.max-pending-age")
            .withMessageContaining("the oldest stuck-1 accepted at 2026-11-25T11:59:15Z (PT45S ago)")
            .withMessageContaining("the order processor has stalled, or the orders never reached it")
            .withMessageNotContaining("fresh");
    }

    @Test
    void oldAcceptedOrdersAreNotStuckOnceTheQueueIsClosed() {
        // the service is stopping: the processor's drain processes or hands back what is
        // left
        accepted("draining", Duration.ofMinutes(5));
        this.queue.close();

        assertThatNoException().isThrownBy(this.audit::audit);
    }

    @Test
    void aProcessedOrderWithoutATotalFailsTheAudit() {
        accepted("a", Duration.ofSeconds(1));
        this.ledger.update("a", OrderStatus.PROCESSED, null, null, NOW);

        assertThatIllegalStateException().isThrownBy(this.audit::audit)
            .withMessage(
                    "Order ledger audit failed: 1 incomplete record(s), the first: order a is PROCESSED without a total");
    }

    @Test
    void aRejectedOrHandedBackOrderWithoutAReasonFailsTheAuditEvenWhileStopping() {
        accepted("r", Duration.ofSeconds(2));
        this.ledger.update("r", OrderStatus.REJECTED, null, null, NOW);
        accepted("n", Duration.ofSeconds(1));
        this.ledger.update("n", OrderStatus.NOT_PROCESSED, null, null, NOW);
        this.queue.close();

        assertThatIllegalStateException().isThrownBy(this.audit::audit)
            .withMessage(
                    "Order ledger audit failed: 2 incomplete record(s), the first: order r is REJECTED without a reason");
    }

    @Test
    void everyBrokenInvariantIsNamedInOneFailure() {
        accepted("stuck", Duration.ofMinutes(1));
        accepted("p", Duration.ofSeconds(1));
        this.ledger.update("p", OrderStatus.PROCESSED, null, null, NOW);

        assertThatIllegalStateException().isThrownBy(this.audit::audit)
            .withMessageContaining("1 order(s) ACCEPTED for longer than PT30S")
            .withMessageContaining("; 1 incomplete record(s), the first: order p is PROCESSED without a total");
    }

}
