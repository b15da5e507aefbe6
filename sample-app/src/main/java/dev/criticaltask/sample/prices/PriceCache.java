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

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The latest prices, replaced as a whole on each refresh so that readers never see half
 * of one. Thread-safe; reads take no lock.
 */
public final class PriceCache {

    private record Snapshot(Map<String, BigDecimal> prices, @Nullable Instant refreshedAt) {
    }

    private volatile Snapshot snapshot = new Snapshot(Map.of(), null);

    /** Replaces every price. */
    public void replace(Map<String, BigDecimal> prices, Instant refreshedAt) {
        this.snapshot = new Snapshot(Map.copyOf(prices), refreshedAt);
    }

    /** The price of one {@code item}, if the feed knows it. */
    public Optional<BigDecimal> price(String item) {
        return Optional.ofNullable(this.snapshot.prices().get(item));
    }

    /** Every price. */
    public Map<String, BigDecimal> prices() {
        return this.snapshot.prices();
    }

    /** When the prices were last refreshed; empty before the first refresh. */
    public Optional<Instant> refreshedAt() {
        return Optional.ofNullable(this.snapshot.refreshedAt());
    }

}
