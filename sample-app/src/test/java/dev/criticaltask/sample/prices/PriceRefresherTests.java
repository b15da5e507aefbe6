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

package dev.criticaltask.sample.prices;

import java.io.IOException;
import java.math.BigDecimal;
import java.time.Clock;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.TaskContext;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

@Tag("spring")
class PriceRefresherTests {

    private final PriceCache cache = new PriceCache();

    @Test
    void refreshesAtOnceAndStopsWhenCancelled() throws Exception {
        CancellationToken cancelled = CancellationToken.create();
        cancelled.cancel();
        PriceFeed feed = () -> Map.of("tea", new BigDecimal("2.80"));

        Context context = new Context(cancelled);

        // an hour between refreshes: only the cancellation can end this run quickly
        new PriceRefresher(feed, this.cache, Duration.ofHours(1), Clock.systemUTC(), Duration.ZERO).run(context);

        assertThat(this.cache.price("tea")).hasValue(new BigDecimal("2.80"));
        assertThat(this.cache.refreshedAt()).isPresent();
        assertThat(context.readyCalls).as("ready once the first prices are in").hasValue(1);
    }

    @Test
    void anUnreachableFeedFailsTheTask() {
        AtomicInteger fetches = new AtomicInteger();
        PriceFeed feed = () -> {
            if (fetches.incrementAndGet() > 2) {
                throw new IOException("feed down");
            }
            return Map.of("tea", BigDecimal.ONE);
        };
        PriceRefresher refresher = new PriceRefresher(feed, this.cache, Duration.ofMillis(1), Clock.systemUTC(),
                Duration.ZERO);

        assertThatIOException().isThrownBy(() -> refresher.run(new Context(CancellationToken.create())))
            .withMessage("feed down");
        // the last good prices stay until the service restarts
        assertThat(this.cache.price("tea")).hasValue(BigDecimal.ONE);
    }

    @Test
    void aCancelDuringTheWarmUpEndsTheRunWithoutAFetchNorReadiness() throws Exception {
        CancellationToken cancelled = CancellationToken.create();
        cancelled.cancel();
        Context context = new Context(cancelled);
        PriceFeed feed = () -> {
            throw new AssertionError("no fetch after a cancel");
        };

        new PriceRefresher(feed, this.cache, Duration.ofHours(1), Clock.systemUTC(), Duration.ofHours(1)).run(context);

        assertThat(context.readyCalls).hasValue(0);
        assertThat(this.cache.refreshedAt()).isEmpty();
    }

    /** The context of one run, counting its ready signals. */
    private record Context(CancellationToken cancellation, AtomicInteger readyCalls) implements TaskContext {

        Context(CancellationToken cancellation) {
            this(cancellation, new AtomicInteger());
        }

        @Override
        public String name() {
            return "priceRefresher";
        }

        @Override
        public int attempt() {
            return 1;
        }

        @Override
        public void heartbeat() {
        }

        @Override
        public void ready() {
            this.readyCalls.incrementAndGet();
        }

    }

}
