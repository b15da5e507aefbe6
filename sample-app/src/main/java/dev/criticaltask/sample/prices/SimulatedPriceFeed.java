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
import java.math.RoundingMode;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A price feed that needs no network: a fixed menu whose prices drift a little on every
 * fetch.
 *
 * <p>
 * With {@code failAfter} set ({@code sample.chaos.fail-after}), the feed "goes down" that
 * long after its first fetch: every later fetch throws an {@link IOException}. This is
 * the chaos switch that shows a critical worker failing. Thread-safe.
 */
public final class SimulatedPriceFeed implements PriceFeed {

    private static final Map<String, BigDecimal> MENU = Map.of("coffee", new BigDecimal("3.50"), "tea",
            new BigDecimal("2.80"), "croissant", new BigDecimal("2.20"), "bagel", new BigDecimal("2.60"));

    private final @Nullable Duration failAfter;

    private long fetches;

    private long firstFetchNanos;

    /**
     * Creates the feed.
     * @param failAfter how long after the first fetch the feed fails; {@code null} for
     * never
     */
    public SimulatedPriceFeed(@Nullable Duration failAfter) {
        this.failAfter = failAfter;
    }

    @Override
    public synchronized Map<String, BigDecimal> fetch() throws IOException {
        long now = System.nanoTime();
        if (this.fetches == 0) {
            this.firstFetchNanos = now;
        }
        else if (this.failAfter != null && now - this.firstFetchNanos >= this.failAfter.toNanos()) {
            throw new IOException("price feed unreachable (chaos: sample.chaos.fail-after=" + this.failAfter + ")");
        }
        this.fetches++;
        // -2%, -1%, 0, +1%, +2%, in turn: visibly fresh prices, reproducible in tests.
        BigDecimal drift = BigDecimal.ONE.add(BigDecimal.valueOf((this.fetches % 5) - 2, 2));
        Map<String, BigDecimal> prices = new LinkedHashMap<>();
        MENU.forEach((item, price) -> prices.put(item, price.multiply(drift).setScale(2, RoundingMode.HALF_EVEN)));
        return prices;
    }

}
