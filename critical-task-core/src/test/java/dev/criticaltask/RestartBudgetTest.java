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

package dev.criticaltask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.time.Duration;
import java.util.Random;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The sliding-window arithmetic, driven by explicit times: no clock, no sleeps. */
@Tag("core")
class RestartBudgetTest {

    private static final long SECOND = Duration.ofSeconds(1).toNanos();

    private static final long MILLI = Duration.ofMillis(1).toNanos();

    @Test
    void allowsMaxRestartsWithinTheWindowThenEscalates() {
        RestartBudget budget = new RestartBudget(RestartPolicy.limited(3, Duration.ofSeconds(60)).withJitter(0),
                new Random(1));
        long t0 = 1_000 * SECOND;
        assertThat(budget.onFailure(t0, new IOException("1"))).isEqualTo(100 * MILLI);
        assertThat(budget.onFailure(t0 + SECOND, new IOException("2"))).isEqualTo(200 * MILLI);
        assertThat(budget.onFailure(t0 + 2 * SECOND, new IOException("3"))).isEqualTo(400 * MILLI);
        assertThat(budget.wouldRestart(t0 + 3 * SECOND, new IOException("4"))).isFalse();
        assertThat(budget.onFailure(t0 + 3 * SECOND, new IOException("4"))).isEqualTo(-1);
        assertThat(budget.earlierCauses()).extracting(Throwable::getMessage).containsExactly("1", "2", "3");
    }

    @Test
    void restartsLeaveTheWindowAsItSlides() {
        RestartBudget budget = new RestartBudget(RestartPolicy.limited(2, Duration.ofSeconds(10)).withJitter(0),
                new Random(1));
        long t0 = 5 * SECOND;
        budget.onFailure(t0, new IOException("a"));
        budget.onFailure(t0 + 5 * SECOND, new IOException("b"));
        assertThat(budget.wouldRestart(t0 + 9 * SECOND, new IOException("c"))).isFalse();
        // at t0 + 10 s the first restart is exactly one window old and still counts
        assertThat(budget.wouldRestart(t0 + 10 * SECOND, new IOException("c"))).isFalse();
        assertThat(budget.onFailure(t0 + 10 * SECOND + 1, new IOException("c")))
            .as("one restart left the window, so the backoff counts one earlier restart")
            .isEqualTo(200 * MILLI);
        assertThat(budget.earlierCauses()).extracting(Throwable::getMessage).containsExactly("b", "c");
    }

    @Test
    void worksAcrossNanoTimeOverflow() {
        RestartBudget budget = new RestartBudget(RestartPolicy.limited(1, Duration.ofSeconds(10)).withJitter(0),
                new Random(1));
        long nearOverflow = Long.MAX_VALUE - SECOND;
        assertThat(budget.onFailure(nearOverflow, new IOException("a"))).isPositive();
        assertThat(budget.wouldRestart(nearOverflow + 5 * SECOND, new IOException("b"))).isFalse();
        assertThat(budget.wouldRestart(nearOverflow + 11 * SECOND, new IOException("b"))).isTrue();
    }

    @Test
    void backoffDoublesUpToTheCeiling() {
        RestartBudget budget = new RestartBudget(RestartPolicy.limited(100, Duration.ofHours(1))
            .withBackoff(Duration.ofMillis(50), Duration.ofMillis(300))
            .withJitter(0), new Random(1));
        assertThat(budget.backoffNanos(0)).isEqualTo(50 * MILLI);
        assertThat(budget.backoffNanos(1)).isEqualTo(100 * MILLI);
        assertThat(budget.backoffNanos(2)).isEqualTo(200 * MILLI);
        assertThat(budget.backoffNanos(3)).isEqualTo(300 * MILLI);
        assertThat(budget.backoffNanos(80)).isEqualTo(300 * MILLI);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 1, 2, 3, 4, 5 })
    void jitterStaysWithinItsShareAndBetweenFloorAndCeiling(long seed) {
        RestartPolicy policy = RestartPolicy.limited(100, Duration.ofHours(1))
            .withBackoff(Duration.ofMillis(100), Duration.ofSeconds(1))
            .withJitter(0.5);
        RestartBudget budget = new RestartBudget(policy, new Random(seed));
        for (int i = 0; i < 1_000; i++) {
            assertThat(budget.backoffNanos(1)).isBetween(100 * MILLI, 300 * MILLI);
            assertThat(budget.backoffNanos(0)).isBetween(100 * MILLI, 150 * MILLI);
            assertThat(budget.backoffNanos(10)).isBetween(100 * MILLI, 1_000 * MILLI);
        }
    }

    @Test
    void errorsAreNotRetriedByDefaultAndRetryOnChoosesWhatIs() {
        RestartBudget byDefault = new RestartBudget(RestartPolicy.limited(5, Duration.ofMinutes(1)), new Random(1));
        assertThat(byDefault.wouldRestart(0, new OutOfMemoryError())).isFalse();
        assertThat(byDefault.wouldRestart(0, new IllegalStateException())).isTrue();

        RestartBudget onlyIo = new RestartBudget(
                RestartPolicy.limited(5, Duration.ofMinutes(1)).retryOn(thrown -> thrown instanceof IOException),
                new Random(1));
        assertThat(onlyIo.wouldRestart(0, new IOException())).isTrue();
        assertThat(onlyIo.onFailure(0, new IllegalStateException())).isEqualTo(-1);
    }

    @Test
    void withLimitKeepsTheBackoffAndWhatIsRetried() {
        RestartPolicy tuned = RestartPolicy.limited(1, Duration.ofSeconds(1))
            .withBackoff(Duration.ofMillis(7), Duration.ofMillis(70))
            .withJitter(0)
            .retryOn(thrown -> thrown instanceof IOException);
        RestartPolicy wider = tuned.withLimit(5, Duration.ofMinutes(2));
        assertThat(wider.maxRestarts()).isEqualTo(5);
        assertThat(wider.within()).isEqualTo(Duration.ofMinutes(2));
        assertThat(wider.initialBackoff()).isEqualTo(Duration.ofMillis(7));
        assertThat(wider.jitter()).isZero();
        assertThat(wider.retries(new IllegalStateException())).isFalse();
        assertThat(RestartPolicy.never().withLimit(2, Duration.ofSeconds(1)).initialBackoff())
            .isEqualTo(RestartPolicy.DEFAULT_INITIAL_BACKOFF);
        assertThat(tuned.withLimit(0, Duration.ofSeconds(1))).isSameAs(RestartPolicy.never());
    }

    @Test
    void neverNeverRestarts() {
        assertThat(RestartPolicy.never().allowsRestarts()).isFalse();
        assertThat(RestartPolicy.limited(0, Duration.ofSeconds(1))).isSameAs(RestartPolicy.never());
        assertThat(RestartBudget.of(RestartPolicy.never())).isNull();
    }

    @Test
    void invalidPoliciesAreRefusedWithTheirName() {
        assertThatThrownBy(() -> RestartPolicy.limited(-1, Duration.ofSeconds(1))).hasMessageContaining("maxRestarts");
        assertThatThrownBy(() -> RestartPolicy.limited(1, Duration.ZERO)).hasMessageContaining("within");
        assertThatThrownBy(() -> RestartPolicy.limited(1, Duration.ofSeconds(1))
            .withBackoff(Duration.ofSeconds(2), Duration.ofSeconds(1))).hasMessageContaining("max backoff");
        assertThatThrownBy(() -> RestartPolicy.limited(1, Duration.ofSeconds(1)).withJitter(1.5))
            .hasMessageContaining("jitter");
        assertThatThrownBy(() -> RestartPolicy.limited(1, Duration.ofSeconds(1)).withJitter(Double.NaN))
            .hasMessageContaining("jitter");
    }

}
