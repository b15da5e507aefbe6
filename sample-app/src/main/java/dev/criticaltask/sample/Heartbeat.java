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

import java.time.Clock;
import java.time.Duration;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTask;
import dev.criticaltask.sample.orders.OrderQueue;
import dev.criticaltask.sample.prices.PriceCache;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Beats every {@code interval}: logs the state of the service and counts the beat in
 * {@code sample.heartbeats}, which an outside watchdog can alert on when it stops
 * growing.
 *
 * <p>
 * Between beats it blocks in {@link CancellationToken#await(Duration)}, so it stops as
 * soon as it is cancelled rather than at the end of a sleep.
 */
final class Heartbeat implements CriticalTask {

    private static final Logger logger = LoggerFactory.getLogger(Heartbeat.class);

    private final OrderQueue orders;

    private final PriceCache prices;

    private final Duration interval;

    private final Counter beats;

    private final Clock clock;

    Heartbeat(OrderQueue orders, PriceCache prices, Duration interval, MeterRegistry meterRegistry, Clock clock) {
        this.orders = orders;
        this.prices = prices;
        this.interval = interval;
        this.clock = clock;
        this.beats = Counter.builder("sample.heartbeats")
            .description("Beats of the sample's heartbeat worker")
            .baseUnit("beats")
            .register(meterRegistry);
    }

    @Override
    public void run(CancellationToken cancellation) throws InterruptedException {
        do {
            this.beats.increment();
            logger.info("Heartbeat #{}: {} order(s) queued, prices {}", (long) this.beats.count(), this.orders.size(),
                    this.prices.refreshedAt()
                        .map((at) -> Duration.between(at, this.clock.instant()).toMillis() + " ms old")
                        .orElse("not loaded yet"));
        }
        while (!cancellation.await(this.interval));
        logger.info("Heartbeat stopped after {} beat(s)", (long) this.beats.count());
    }

}
