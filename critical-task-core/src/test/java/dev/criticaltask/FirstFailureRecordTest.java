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

import java.time.Duration;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.testsupport.SilentLogger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two tasks failing at the same moment: the registry's first failure and the root's
 * reason must name the same failure. Each failing task records its failure and then
 * cancels the root; before the fix the two steps of two tasks could interleave as
 * record(A), record(B) refused, cancel(B), cancel(A) ignored, leaving the root's reason
 * naming B while the record named A. Found by the reliability suite's seeded stress
 * runner.
 */
@Tag("core")
class FirstFailureRecordTest {

    @Test
    void firstFailureIsTheRootsReasonWhenTwoTasksFailAtOnce() throws Exception {
        for (int round = 0; round < 500; round++) {
            CyclicBarrier together = new CyclicBarrier(2);
            SilentLogger logger = new SilentLogger();
            CriticalTaskRegistry registry = CriticalTaskRegistry.builder().daemonThreads(true).logger(logger).build();
            CriticalTaskHandle a = registry.spawn("a", token -> {
                together.await(5, TimeUnit.SECONDS);
                throw new IllegalStateException("a");
            });
            CriticalTaskHandle b = registry.spawn("b", token -> {
                together.await(5, TimeUnit.SECONDS);
                throw new IllegalStateException("b");
            });
            assertThat(a.run().awaitDone(TimeUnit.SECONDS.toNanos(10))).isTrue();
            assertThat(b.run().awaitDone(TimeUnit.SECONDS.toNanos(10))).isTrue();
            registry.stop(Duration.ofSeconds(5));

            assertThat(registry.rootToken().reason()).as("round %d", round)
                .containsSame(registry.firstFailure().orElseThrow());
            assertThat(logger.errors).as("round %d: each failure logged once", round).hasValue(2);
        }
    }

}
