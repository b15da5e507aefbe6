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
import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

@Tag("spring")
class SimulatedPriceFeedTests {

    @Test
    void withoutChaosItKeepsAnswering() throws IOException {
        SimulatedPriceFeed feed = new SimulatedPriceFeed(null);
        for (int i = 0; i < 10; i++) {
            assertThat(feed.fetch()).containsOnlyKeys("coffee", "tea", "croissant", "bagel");
        }
    }

    @Test
    void withFailAfterItFailsOnceThatTimeHasPassedSinceTheFirstFetch() throws IOException {
        SimulatedPriceFeed feed = new SimulatedPriceFeed(Duration.ZERO);
        assertThat(feed.fetch()).isNotEmpty();
        assertThatExceptionOfType(IOException.class).isThrownBy(feed::fetch)
            .withMessageContaining("sample.chaos.fail-after");
    }

}
