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

import dev.criticaltask.testsupport.QuietLogs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The contract: "once the root is cancelled by a failure, firstFailure() returns it", and
 * "the root's reason is that first failure". Two tasks that fail at the same moment break
 * it: each records its failure with a compare-and-set ({@code Supervision.failing}) and
 * then cancels the root ({@code TaskRun.fail}), and the two steps of the two tasks can
 * interleave as CAS(A) wins, CAS(B) loses, cancel(B) wins, cancel(A) is a no-op. Found by
 * {@link SeededStressTest}.
 */
@Tag("core")
class FirstFailureRaceTest {

    static {
        QuietLogs.install();
    }

    @Test
    void firstFailureIsTheRootsReason() throws Exception {
        int mismatches = 0;
        int rounds = 2_000;
        for (int round = 0; round < rounds; round++) {
            CyclicBarrier together = new CyclicBarrier(2);
            CriticalTaskRegistry registry = CriticalTaskRegistry.builder()
                .executor(command -> new Thread(command).start())
                .build();
            CriticalTaskHandle a = registry.spawn("a", token -> {
                together.await(5, TimeUnit.SECONDS);
                throw new IllegalStateException("a");
            });
            CriticalTaskHandle b = registry.spawn("b", token -> {
                together.await(5, TimeUnit.SECONDS);
                throw new IllegalStateException("b");
            });
            assertThat(a.run().awaitDone(TimeUnit.SECONDS.toNanos(5))).isTrue();
            assertThat(b.run().awaitDone(TimeUnit.SECONDS.toNanos(5))).isTrue();
            registry.stop(Duration.ofSeconds(5));
            if (registry.rootToken().reason().orElseThrow() != registry.firstFailure().orElseThrow()) {
                mismatches++;
            }
        }
        System.out.println("firstFailure() was not the root's reason in " + mismatches + " of " + rounds + " rounds");
        assertThat(mismatches).isZero();
    }

}
