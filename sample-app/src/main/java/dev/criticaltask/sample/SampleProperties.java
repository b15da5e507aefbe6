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

package dev.criticaltask.sample;

import java.time.Duration;

import dev.criticaltask.sample.orders.OrderLedgerAudit;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Settings of the sample's workers, under {@code sample.}. Checked when bound: an invalid
 * value fails start-up with a message naming the property.
 *
 * @param orders the order queue and its processor
 * @param prices the price cache refresher
 * @param heartbeat the heartbeat
 * @param chaos fault injection for demos and tests; everything off by default
 */
@ConfigurationProperties("sample")
public record SampleProperties(@DefaultValue Orders orders, @DefaultValue Prices prices,
        @DefaultValue Heartbeat heartbeat, @DefaultValue Chaos chaos) {

    /**
     * The order queue and its processor.
     *
     * @param queueCapacity how many accepted orders may wait; {@code POST /orders}
     * answers 503 when the queue is full
     * @param drainTimeout how long the processor keeps processing queued orders after it
     * was told to stop; what is left then is handed back and logged with its id. Keep it
     * well below {@code critical-task.shutdown.grace-period}
     * @param audit the scheduled audit of the order ledger
     */
    public record Orders(@DefaultValue("100") int queueCapacity, @DefaultValue("5s") Duration drainTimeout,
            @DefaultValue Audit audit) {

        public Orders {
            require(queueCapacity >= 1, "sample.orders.queue-capacity", queueCapacity, "at least 1");
            require(!drainTimeout.isNegative(), "sample.orders.drain-timeout", drainTimeout, "zero or positive");
        }

    }

    /**
     * The critical {@code @Scheduled} audit of the order ledger
     * ({@link OrderLedgerAudit}).
     *
     * @param interval time between the end of one audit and the start of the next (a
     * fixed delay). {@code @Scheduled} reads the same property,
     * {@code sample.orders.audit.interval}; it is checked here when the properties are
     * bound, before the scheduler reads it
     * @param maxPendingAge how long an order may stay {@code ACCEPTED} while orders are
     * being taken; an older one means the processor has stalled or lost it, and the audit
     * fails the service. Processing takes milliseconds, so this is a bound on a stall,
     * not on a busy queue
     */
    public record Audit(@DefaultValue(OrderLedgerAudit.DEFAULT_INTERVAL) Duration interval,
            @DefaultValue("30s") Duration maxPendingAge) {

        public Audit {
            require(isPositive(interval), "sample.orders.audit.interval", interval, "positive");
            require(isPositive(maxPendingAge), "sample.orders.audit.max-pending-age", maxPendingAge, "positive");
        }

    }

    /**
     * The price cache refresher.
     *
     * @param refreshInterval time between two fetches of the price feed
     * @param warmUp how long the simulated feed takes before its first answer; the
     * service refuses traffic until the first prices are in
     */
    public record Prices(@DefaultValue("5s") Duration refreshInterval, @DefaultValue("3s") Duration warmUp) {

        public Prices {
            require(isPositive(refreshInterval), "sample.prices.refresh-interval", refreshInterval, "positive");
            require(!warmUp.isNegative(), "sample.prices.warm-up", warmUp, "zero or positive");
        }

    }

    /**
     * The heartbeat.
     *
     * @param interval time between two beats
     */
    public record Heartbeat(@DefaultValue("10s") Duration interval) {

        public Heartbeat {
            require(isPositive(interval), "sample.heartbeat.interval", interval, "positive");
        }

    }

    /**
     * Fault injection. Nothing here is on unless a property turns it on.
     *
     * @param failAfter when set, the price feed becomes unreachable this long after its
     * first fetch, so the price refresher fails (at its next refresh) and takes the
     * service down
     * @param stubbornWorker whether to run one more worker that ignores cancellation and
     * interruption, so that the shutdown has a straggler to report
     * @param httpEnabled whether {@code POST /chaos/fail} exists; without it no HTTP
     * request can make anything fail
     */
    public record Chaos(@Nullable Duration failAfter, @DefaultValue("false") boolean stubbornWorker,
            @DefaultValue("false") boolean httpEnabled) {

        public Chaos {
            require(failAfter == null || !failAfter.isNegative(), "sample.chaos.fail-after", failAfter,
                    "zero or positive");
        }

    }

    private static boolean isPositive(Duration duration) {
        return !duration.isNegative() && !duration.isZero();
    }

    private static void require(boolean valid, String property, @Nullable Object value, String expected) {
        if (!valid) {
            throw new IllegalArgumentException(property + " must be " + expected + ", but was " + value);
        }
    }

}
