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

package dev.criticaltask.spring.health;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributors;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CriticalTasksHealthContributor} and
 * {@link CriticalTaskHealthIndicator}.
 */
@Tag("spring")
class CriticalTasksHealthContributorTests {

    private final CriticalTaskRegistry registry = new CriticalTaskRegistry();

    private final CriticalTasksHealthContributor contributor = new CriticalTasksHealthContributor(registry);

    private final CountDownLatch release = new CountDownLatch(1);

    @AfterEach
    void stop() throws InterruptedException {
        release.countDown();
        registry.stop(Duration.ofSeconds(5));
    }

    @Test
    void noTasksMeansNoEntries() {
        assertThat(contributor.stream()).isEmpty();
    }

    @Test
    void runningTaskIsUp() {
        CriticalTaskHandle task = registry.spawn("worker", token -> token.await());
        await().until(() -> task.startedAt().isPresent());
        Health health = health("worker");
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("state", "RUNNING")
            .containsKey("startedAt")
            .doesNotContainKeys("finishedAt", "exception", "message");
    }

    @Test
    void completedTaskIsUp() throws InterruptedException {
        CriticalTaskHandle task = registry.spawn("once", token -> {
        });
        task.join();
        Health health = health("once");
        assertThat(health.getStatus()).isEqualTo(Status.UP);
        assertThat(health.getDetails()).containsEntry("state", "COMPLETED").containsKeys("startedAt", "finishedAt");
    }

    @Test
    void failedTaskIsDownWithExceptionTypeAndMessageInDetails() {
        CriticalTaskHandle task = registry.spawn("broken", token -> {
            throw new IllegalStateException("disk on fire");
        });
        await().until(() -> task.state() == TaskState.FAILED);
        Health health = health("broken");
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getStatus().getDescription()).isEmpty();
        assertThat(health.getDetails()).containsEntry("state", "FAILED")
            .containsEntry("exception", IllegalStateException.class.getName())
            .containsEntry("message", "disk on fire")
            .containsKeys("startedAt", "finishedAt");
    }

    @Test
    void failedTaskWithoutDetailsShowsOnlyItsStatus() {
        CriticalTaskHandle task = registry.spawn("broken", token -> {
            throw new IllegalStateException("disk on fire");
        });
        await().until(() -> task.state() == TaskState.FAILED);
        Health health = indicator("broken").health(false);
        assertThat(health.getStatus()).isEqualTo(Status.DOWN);
        assertThat(health.getDetails()).isEmpty();
        assertThat(health.toString()).doesNotContain("disk on fire");
    }

    @Test
    void stoppingTaskIsOutOfService() {
        CountDownLatch sawCancel = new CountDownLatch(1);
        CriticalTaskHandle task = registry.spawn("draining", token -> {
            token.await();
            sawCancel.countDown();
            release.await();
        });
        task.cancel();
        await().until(() -> sawCancel.getCount() == 0);
        Health health = health("draining");
        assertThat(task.state()).isEqualTo(TaskState.RUNNING);
        assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(health.getDetails()).containsEntry("state", "RUNNING");
    }

    @Test
    void cancelledTaskIsOutOfService() throws InterruptedException {
        CriticalTaskHandle task = registry.spawn("stopped", token -> token.await());
        task.cancel();
        task.join();
        Health health = health("stopped");
        assertThat(health.getStatus()).isEqualTo(Status.OUT_OF_SERVICE);
        assertThat(health.getDetails()).containsEntry("state", "CANCELLED");
    }

    @Test
    void listsTasksLiveIncludingThoseSpawnedAfterItWasCreated() {
        registry.spawn("first", token -> token.await());
        assertThat(statuses()).containsOnlyKeys("first");
        registry.spawn("second", token -> token.await());
        assertThat(statuses()).containsOnlyKeys("first", "second");
        assertThat(contributor.getContributor("second")).isNotNull();
    }

    @Test
    void unknownTaskHasNoContributor() {
        assertThat(contributor.getContributor("nope")).isNull();
    }

    @Test
    void newestTaskOfANameWins() throws InterruptedException {
        registry.spawn("again", token -> {
        }).join();
        registry.spawn("again", token -> token.await());
        assertThat(registry.tasks()).hasSize(2);
        assertThat(statuses()).containsExactly(Map.entry("again", "RUNNING"));
    }

    private Map<String, String> statuses() {
        return contributor.stream()
            .collect(Collectors.toMap(HealthContributors.Entry::name, entry -> String
                .valueOf(((HealthIndicator) entry.contributor()).health().getDetails().get("state"))));
    }

    private Health health(String name) {
        return indicator(name).health();
    }

    private HealthIndicator indicator(String name) {
        HealthIndicator fromStream = contributor.stream()
            .filter(entry -> entry.name().equals(name))
            .map(entry -> (HealthIndicator) entry.contributor())
            .findFirst()
            .orElseThrow();
        assertThat(contributor.getContributor(name)).isInstanceOf(HealthIndicator.class);
        return fromStream;
    }

}
