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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 19, item 2: a handle's state and its finish time are one fact. A reader that sees
 * a finish time must see a terminal state, and one that sees a terminal state must see a
 * finish time, however its reads interleave with the task's end.
 */
@Tag("core")
class FinishTimeRaceTest {

    /**
     * How long the spawns go on at most; the first inconsistent read ends them at once.
     */
    private static final Duration BUDGET = Duration.ofSeconds(3);

    /**
     * Tasks that end together while one reader scans them: more ends per thread switch.
     */
    private static final int BATCH = 8;

    @Test
    @Timeout(30)
    void aReaderNeverSeesARunningTaskWithAFinishTime() throws Exception {
        List<String> inconsistent = new ArrayList<>();
        int spawns = 0;
        long started = System.nanoTime();
        try (CriticalTaskRegistry registry = CriticalTaskRegistry.builder().build()) {
            while (inconsistent.isEmpty() && System.nanoTime() - started < BUDGET.toNanos()) {
                CountDownLatch go = new CountDownLatch(1);
                List<CriticalTaskHandle> batch = new ArrayList<>(BATCH);
                for (int i = 0; i < BATCH; i++) {
                    boolean cancelled = i % 2 == 1;
                    batch.add(registry.spawn("finisher-" + spawns++, token -> {
                        if (cancelled) {
                            token.await();
                        }
                        else {
                            go.await();
                        }
                    }));
                }
                // the ends come on the tasks' threads (completed, or cancelled) while
                // this thread reads
                go.countDown();
                for (int i = 1; i < BATCH; i += 2) {
                    batch.get(i).cancel();
                }
                readUntilEnded(batch, inconsistent);
                for (CriticalTaskHandle handle : batch) {
                    assertThat(handle.join(Duration.ofSeconds(10))).as("%s ended", handle).isTrue();
                }
            }
        }
        assertThat(inconsistent).as("reads that saw a finish time and a state that disagree, in %d spawns", spawns)
            .isEmpty();
    }

    /**
     * Reads each handle, its finish time first, until every one is terminal or one
     * disagrees.
     */
    private static void readUntilEnded(List<CriticalTaskHandle> handles, List<String> inconsistent) {
        boolean[] ended = new boolean[handles.size()];
        int running = handles.size();
        while (running > 0 && inconsistent.isEmpty()) {
            for (int i = 0; i < handles.size(); i++) {
                if (ended[i]) {
                    continue;
                }
                CriticalTaskHandle handle = handles.get(i);
                Optional<Instant> finishedAt = handle.finishedAt();
                TaskState state = handle.state();
                if (finishedAt.isPresent() && !state.isTerminal()) {
                    inconsistent
                        .add(handle.description() + " was " + state + " with the finish time " + finishedAt.get());
                }
                else if (state.isTerminal()) {
                    if (handle.finishedAt().isEmpty()) {
                        inconsistent.add(handle.description() + " was " + state + " without a finish time");
                    }
                    ended[i] = true;
                    running--;
                }
            }
        }
    }

}
