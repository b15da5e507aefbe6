package dev.criticaltask.sample.prices;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * The latest prices, replaced as a whole on each refresh so that readers never see half of one.
 * Thread-safe; reads take no lock.
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
