package dev.criticaltask.sample;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class SamplePropertiesTests {

    @Test
    void invalidValuesAreRefusedWithThePropertyName() {
        assertThatIllegalArgumentException().isThrownBy(() -> new SampleProperties.Orders(0, Duration.ZERO))
            .withMessageContaining("sample.orders.queue-capacity");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new SampleProperties.Orders(1, Duration.ofSeconds(-1)))
            .withMessageContaining("sample.orders.drain-timeout");
        assertThatIllegalArgumentException().isThrownBy(() -> new SampleProperties.Prices(Duration.ZERO))
            .withMessageContaining("sample.prices.refresh-interval");
        assertThatIllegalArgumentException().isThrownBy(() -> new SampleProperties.Heartbeat(Duration.ZERO))
            .withMessageContaining("sample.heartbeat.interval");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new SampleProperties.Chaos(Duration.ofSeconds(-1), false, false))
            .withMessageContaining("sample.chaos.fail-after");
    }

}
