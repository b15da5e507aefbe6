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
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.criticaltask.testsupport.SilentLogger;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A decorated spec runs its wrapper around each attempt and keeps what the work can do.
 */
@Tag("core")
class SpecDecorationTest {

    private static final RestartPolicy QUICK = RestartPolicy.limited(3, Duration.ofMinutes(1))
        .withBackoff(Duration.ofMillis(1), Duration.ofMillis(1));

    private final List<String> around = new CopyOnWriteArrayList<>();

    @Test
    void theBlockingWrapperRunsAroundEveryAttemptOnTheTasksThread() throws Exception {
        AtomicInteger runs = new AtomicInteger();
        CriticalTaskSpec spec = CriticalTaskSpec.of("decorated", token -> {
            if (runs.incrementAndGet() < 3) {
                throw new IOException("again");
            }
        }).withRestartPolicy(QUICK).withDecoratedTask(task -> context -> {
            around.add("before " + context.attempt() + " on " + Thread.currentThread().getName());
            try {
                task.run(context);
            }
            finally {
                around.add("after " + context.attempt());
            }
        }, task -> task);
        try (CriticalTaskRegistry registry = CriticalTaskRegistry.builder().logger(SilentLogger.discarding()).build()) {
            CriticalTaskHandle handle = registry.spawn(spec);
            handle.join();
            assertThat(handle.state()).isEqualTo(TaskState.COMPLETED);
        }
        assertThat(around).containsExactly("before 1 on critical-task-decorated", "after 1",
                "before 2 on critical-task-decorated", "after 2", "before 3 on critical-task-decorated", "after 3");
        assertThat(spec.restartPolicy()).isSameAs(QUICK);
        assertThat(spec.isAsync()).isFalse();
    }

    @Test
    void aDecoratedPlainTaskStillCannotBeGivenAHeartbeat() {
        CriticalTaskSpec spec = CriticalTaskSpec.of("plain", token -> {
        }).withDecoratedTask(task -> task, task -> task);
        assertThat(spec.canHeartbeat()).isFalse();
        assertThatThrownBy(() -> spec.withHeartbeat(Duration.ofSeconds(1), StallAction.REPORT))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("a plain CriticalTask");
    }

    @Test
    void theAsynchronousWrapperWrapsEachStartAndTheTaskStaysAsynchronous() throws Exception {
        CriticalTaskSpec spec = CriticalTaskSpec.async("async", token -> CompletableFuture.completedFuture(null))
            .withDecoratedTask(task -> task, task -> token -> {
                around.add("start");
                return task.start(token);
            });
        assertThat(spec.isAsync()).isTrue();
        try (CriticalTaskRegistry registry = new CriticalTaskRegistry()) {
            registry.spawn(spec).join();
        }
        assertThat(around).containsExactly("start");
    }

}
