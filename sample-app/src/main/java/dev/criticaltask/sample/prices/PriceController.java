package dev.criticaltask.sample.prices;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /prices}: the cached prices and when they were refreshed. */
@RestController
class PriceController {

    private final PriceCache cache;

    PriceController(PriceCache cache) {
        this.cache = cache;
    }

    /**
     * The body of {@code GET /prices}.
     *
     * @param prices by item
     * @param refreshedAt when they were fetched; {@code null} before the first refresh
     */
    record Prices(Map<String, BigDecimal> prices, @Nullable Instant refreshedAt) {
    }

    @GetMapping("/prices")
    Prices prices() {
        return new Prices(this.cache.prices(), this.cache.refreshedAt().orElse(null));
    }

}
