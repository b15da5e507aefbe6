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
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many rounds of one failure reaching hundreds of parked siblings: no sibling may miss
 * the cancellation, the root's reason must be the failure, and nothing may stay linked.
 * Each round is seeded, so a failing seed can be replayed on its own.
 */
@Tag("core")
class FailurePropagationStressTest {

    private static final Duration LONG = Duration.ofSeconds(30);

    static long[] seeds() {
        long[] seeds = new long[20];
        for (int i = 0; i < seeds.length; i++) {
            seeds[i] = 0xC0FFEEL + i;
        }
        return seeds;
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void oneFailureReachesEveryParkedSibling(long seed) throws Exception {
        // SplittableRandom: java.util.Random gives nearly the same first draws for
        // neighbouring seeds
        SplittableRandom random = new SplittableRandom(seed);
        int siblings = 100 + random.nextInt(300);
        boolean waitWithTimeout = random.nextBoolean();
        CriticalTaskRegistry registry = CriticalTaskRegistry.builder().daemonThreads(true).build();
        CountDownLatch parked = new CountDownLatch(siblings);
        AtomicInteger sawFailureAsReason = new AtomicInteger();
        List<CriticalTaskHandle> handles = new ArrayList<>(siblings);
        for (int i = 0; i < siblings; i++) {
            handles.add(registry.spawn("sibling-" + i, token -> {
                parked.countDown();
                if (waitWithTimeout) {
                    while (!token.await(Duration.ofMillis(50))) {
                        Thread.onSpinWait();
                    }
                }
                else {
                    token.await();
                }
                if (token.reason().orElse(null) instanceof CriticalTaskFailedException) {
                    sawFailureAsReason.incrementAndGet();
                }
            }));
        }
        // the failure may come before every sibling has parked: late ones see a cancelled
        // token
        int parkedBeforeFailure = random.nextInt(siblings + 1);
        while (siblings - parked.getCount() < parkedBeforeFailure) {
            Thread.onSpinWait();
        }
        CriticalTaskHandle failing = registry.spawn("failing", token -> {
            throw new IOException("seed " + seed);
        });

        assertThatThrownBy(failing::join).isInstanceOf(CriticalTaskFailedException.class);
        for (CriticalTaskHandle handle : handles) {
            assertThat(handle.join(LONG)).as("seed %d: %s returned", seed, handle).isTrue();
            assertThat(handle.state()).as("seed %d: %s", seed, handle).isEqualTo(TaskState.CANCELLED);
        }
        assertThat(sawFailureAsReason).as("seed %d", seed).hasValue(siblings);
        assertThat(registry.firstFailure()).as("seed %d", seed)
            .hasValueSatisfying(failure -> assertThat(failure).hasRootCauseMessage("seed " + seed));
        assertThat(registry.rootToken().reason()).containsSame(registry.firstFailure().orElseThrow());
        assertThat(registry.rootToken().linkedCount()).as("seed %d: nothing stays linked", seed).isZero();
        assertThat(registry.stop(LONG).isClean()).isTrue();
    }

}
