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
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * After many spawn/join cycles under one live root, nothing of the finished tasks stays
 * reachable.
 */
@Tag("core")
class MemoryRetentionTest {

    private static final int CYCLES = 5_000;

    @Test
    void rootHoldsNothingOfJoinedTasks() throws Exception {
        CancellationToken root = CancellationToken.create();
        List<WeakReference<Object>> taskState = new ArrayList<>(CYCLES);
        for (int i = 0; i < CYCLES; i++) {
            Object payload = new byte[1024];
            taskState.add(new WeakReference<>(payload));
            CriticalTaskHandle.spawn("cycle-" + i, token -> payload.hashCode(), root).join();
        }
        assertThat(root.linkedCount()).isZero();
        assertThat(root.isCancelled()).isFalse();
        awaitAllCleared(taskState);
    }

    @Test
    void registryWithoutHistoryHoldsNothingOfFinishedTasks() throws Exception {
        CriticalTaskRegistry registry = CriticalTaskRegistry.builder().finishedTaskHistory(0).build();
        List<WeakReference<Object>> taskState = new ArrayList<>(CYCLES);
        for (int i = 0; i < CYCLES; i++) {
            Object payload = new byte[1024];
            taskState.add(new WeakReference<>(payload));
            CriticalTaskHandle handle = registry.spawn("same-name", token -> payload.hashCode());
            taskState.add(new WeakReference<>(handle));
            handle.join();
        }
        assertThat(registry.tasks()).isEmpty();
        assertThat(registry.rootToken().linkedCount()).isZero();
        awaitAllCleared(taskState);
        registry.close();
    }

    private static void awaitAllCleared(List<WeakReference<Object>> references) {
        await().atMost(Duration.ofSeconds(30)).until(() -> {
            System.gc();
            return references.stream().allMatch(reference -> reference.get() == null);
        });
    }

}
