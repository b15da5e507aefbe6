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

package dev.criticaltask.spring.metrics;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;

import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.TaskState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CriticalTaskMetrics}.
 */
@Tag("spring")
class CriticalTaskMetricsTests {

    private final CriticalTaskRegistry registry = new CriticalTaskRegistry();

    private final SimpleMeterRegistry meterRegistry = new SimpleMeterRegistry();

    private final CriticalTaskMetrics metrics = new CriticalTaskMetrics(registry);

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        registry.stop(Duration.ofSeconds(5));
        metrics.close();
    }

    @Test
    void activeSampleRunsWhileTaskRunsAndStopsWhenItEnds() throws InterruptedException {
        metrics.bindTo(meterRegistry);
        CriticalTaskHandle task = registry.spawn("worker", token -> token.await());
        await().untilAsserted(() -> assertThat(activeTasks("worker")).isEqualTo(1));
        LongTaskTimer timer = meterRegistry.get(CriticalTaskMetrics.ACTIVE).tag("task", "worker").longTaskTimer();
        assertThat(timer.getId().getDescription()).isNotBlank();
        assertThat(timer.getId().getType()).isEqualTo(Meter.Type.LONG_TASK_TIMER);
        task.cancel();
        task.join();
        assertThat(activeTasks("worker")).isZero();
    }

    @Test
    void failureCountsWithTaskAndExceptionTags() {
        metrics.bindTo(meterRegistry);
        CriticalTaskHandle task = registry.spawn("broken", token -> {
            throw new IllegalStateException("boom");
        });
        await().until(() -> task.state() == TaskState.FAILED);
        Counter failures = meterRegistry.get(CriticalTaskMetrics.FAILURES)
            .tag("task", "broken")
            .tag("exception", "IllegalStateException")
            .counter();
        // the listener runs on the task's thread after the state is final
        await().untilAsserted(() -> assertThat(failures.count()).isEqualTo(1.0));
        assertThat(failures.getId().getDescription()).isNotBlank();
        assertThat(failures.getId().getBaseUnit()).isEqualTo("failures");
        assertThat(activeTasks("broken")).isZero();
    }

    @Test
    void checkedExceptionIsTaggedWithItsOwnClass() {
        metrics.bindTo(meterRegistry);
        CriticalTaskHandle task = registry.spawn("io", token -> {
            throw new java.io.IOException("gone");
        });
        await().until(() -> task.state() == TaskState.FAILED);
        await().untilAsserted(() -> assertThat(meterRegistry.find(CriticalTaskMetrics.FAILURES)
            .tags("task", "io", "exception", "IOException")
            .counter()).isNotNull());
    }

    @Test
    void anonymousExceptionIsTaggedWithItsFullName() {
        metrics.bindTo(meterRegistry);
        RuntimeException anonymous = new RuntimeException("anonymous") {
        };
        CriticalTaskHandle task = registry.spawn("odd", token -> {
            throw anonymous;
        });
        await().until(() -> task.state() == TaskState.FAILED);
        await().untilAsserted(() -> assertThat(meterRegistry.find(CriticalTaskMetrics.FAILURES)
            .tags("task", "odd", "exception", anonymous.getClass().getName())
            .counter()).isNotNull());
    }

    @Test
    void bindingAfterTasksStartedTakesThemIn() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        registry.spawn("early", token -> {
            started.countDown();
            token.await();
        });
        registry.spawn("done", token -> {
        }).join();
        started.await();

        metrics.bindTo(meterRegistry);

        assertThat(activeTasks("early")).isEqualTo(1);
        assertThat(meterRegistry.find(CriticalTaskMetrics.ACTIVE).tag("task", "done").longTaskTimer()).isNull();
    }

    @Test
    void bindingAfterATaskFailedCountsItOnceWithoutASample() {
        CriticalTaskHandle broken = registry.spawn("broken", token -> {
            throw new IllegalArgumentException("before binding");
        });
        await().until(() -> broken.state() == TaskState.FAILED);

        metrics.bindTo(meterRegistry);

        assertThat(meterRegistry.find(CriticalTaskMetrics.ACTIVE).tag("task", "broken").longTaskTimer()).isNull();
        Counter failures = meterRegistry.get(CriticalTaskMetrics.FAILURES)
            .tags("task", "broken", "exception", "IllegalArgumentException")
            .counter();
        assertThat(failures.count()).isEqualTo(1.0);
    }

    @Test
    void bindingWhileTasksEndLeavesNoRunningSample() throws InterruptedException {
        CountDownLatch go = new CountDownLatch(1);
        List<CriticalTaskHandle> tasks = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            tasks.add(registry.spawn("task-" + i, token -> go.await()));
        }
        Thread binder = new Thread(() -> metrics.bindTo(meterRegistry));
        binder.start();
        go.countDown();
        binder.join();
        await().until(() -> tasks.stream().allMatch(CriticalTaskHandle::isFinished));
        assertThat(meterRegistry.find(CriticalTaskMetrics.ACTIVE).longTaskTimers())
            .allSatisfy(timer -> assertThat(timer.activeTasks()).isZero());
    }

    @Test
    void taskSeenThroughSnapshotAndListenerHasOneSample() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(1);
        CriticalTaskHandle task = registry.spawn("early", token -> {
            started.countDown();
            token.await();
        });
        started.await();
        metrics.bindTo(meterRegistry);
        // a second look at the same handle, as the listener's would be, changes nothing
        assertThat(activeTasks("early")).isEqualTo(1);
        task.cancel();
        task.join();
        assertThat(activeTasks("early")).isZero();
    }

    @Test
    void taskSpawnedAgainUnderTheSameNameHasOneSample() throws InterruptedException {
        metrics.bindTo(meterRegistry);
        CriticalTaskHandle first = registry.spawn("again", token -> token.await());
        await().untilAsserted(() -> assertThat(activeTasks("again")).isEqualTo(1));
        first.cancel();
        first.join();
        registry.spawn("again", token -> token.await());
        await().untilAsserted(() -> assertThat(activeTasks("again")).isEqualTo(1));
    }

    @Test
    void registersAbandonedHandleCounter() {
        metrics.bindTo(meterRegistry);
        FunctionCounter abandoned = meterRegistry.get(CriticalTaskMetrics.ABANDONED).functionCounter();
        assertThat(abandoned.count()).isEqualTo(CriticalTaskHandle.abandonedCount());
        assertThat(abandoned.getId().getBaseUnit()).isEqualTo("tasks");
        assertThat(abandoned.getId().getDescription()).isNotBlank();
    }

    @Test
    void closeStopsListeningAndEndsSamples() throws InterruptedException {
        metrics.bindTo(meterRegistry);
        registry.spawn("worker", token -> token.await());
        await().untilAsserted(() -> assertThat(activeTasks("worker")).isEqualTo(1));
        metrics.close();
        assertThat(activeTasks("worker")).isZero();
        CriticalTaskHandle later = registry.spawn("later", token -> token.await());
        await().until(() -> later.startedAt().isPresent());
        assertThat(meterRegistry.find(CriticalTaskMetrics.ACTIVE).tag("task", "later").longTaskTimer()).isNull();
    }

    private int activeTasks(String task) {
        LongTaskTimer timer = meterRegistry.find(CriticalTaskMetrics.ACTIVE).tag("task", task).longTaskTimer();
        return (timer != null) ? timer.activeTasks() : 0;
    }

}
