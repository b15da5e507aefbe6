package dev.criticaltask.sample;

import java.time.Duration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

@Tag("spring")
class SamplePropertiesTests {

    @Test
    void invalidValuesAreRefusedWithThePropertyName() {
        SampleProperties.Audit audit = new SampleProperties.Audit(Duration.ofSeconds(10), Duration.ofSeconds(30));
        assertThatIllegalArgumentException().isThrownBy(() -> new SampleProperties.Orders(0, Duration.ZERO, audit))
            .withMessageContaining("sample.orders.queue-capacity");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new SampleProperties.Orders(1, Duration.ofSeconds(-1), audit))
            .withMessageContaining("sample.orders.drain-timeout");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new SampleProperties.Audit(Duration.ZERO, Duration.ofSeconds(30)))
            .withMessageContaining("sample.orders.audit.interval");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new SampleProperties.Audit(Duration.ofSeconds(10), Duration.ofSeconds(-1)))
            .withMessageContaining("sample.orders.audit.max-pending-age");
        assertThatIllegalArgumentException().isThrownBy(() -> new SampleProperties.Prices(Duration.ZERO))
            .withMessageContaining("sample.prices.refresh-interval");
        assertThatIllegalArgumentException().isThrownBy(() -> new SampleProperties.Heartbeat(Duration.ZERO))
            .withMessageContaining("sample.heartbeat.interval");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new SampleProperties.Chaos(Duration.ofSeconds(-1), false, false))
            .withMessageContaining("sample.chaos.fail-after");
    }

}
