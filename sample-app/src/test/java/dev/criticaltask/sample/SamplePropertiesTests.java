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
        assertThatIllegalArgumentException().isThrownBy(() -> new SampleProperties.Prices(Duration.ZERO, Duration.ZERO))
            .withMessageContaining("sample.prices.refresh-interval");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new SampleProperties.Prices(Duration.ofSeconds(5), Duration.ofSeconds(-1)))
            .withMessageContaining("sample.prices.warm-up");
        assertThatIllegalArgumentException().isThrownBy(() -> new SampleProperties.Heartbeat(Duration.ZERO))
            .withMessageContaining("sample.heartbeat.interval");
        assertThatIllegalArgumentException()
            .isThrownBy(() -> new SampleProperties.Chaos(Duration.ofSeconds(-1), false, false))
            .withMessageContaining("sample.chaos.fail-after");
    }

}
