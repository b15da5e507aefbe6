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
