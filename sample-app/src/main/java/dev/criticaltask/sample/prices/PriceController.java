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
