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

package dev.criticaltask.spring.actuate.endpoint;

import java.security.Principal;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.StallAction;
import dev.criticaltask.TaskState;
import dev.criticaltask.spring.actuate.endpoint.CriticalTasksEndpoint.CriticalTasksDescriptor;
import dev.criticaltask.spring.actuate.endpoint.CriticalTasksEndpoint.FailureDescriptor;
import dev.criticaltask.spring.actuate.endpoint.CriticalTasksEndpoint.StallDescriptor;
import dev.criticaltask.spring.actuate.endpoint.CriticalTasksEndpoint.TaskDescriptor;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CriticalTasksEndpoint}.
 */
@Tag("spring")
class CriticalTasksEndpointTests {

    private final CriticalTaskRegistry registry = CriticalTaskRegistry.builder()
        .logger(dev.criticaltask.testsupport.SilentLogger.discarding())
        .build();

    @AfterEach
    void stop() throws InterruptedException {
        registry.stop(Duration.ofSeconds(5));
    }

    @Test
    void describesEveryTask() throws InterruptedException {
        registry.spawn("once", token -> {
        }).join();
        CriticalTaskHandle running = registry.spawn("worker", token -> token.await());
        await().until(() -> running.startedAt().isPresent());
        CriticalTasksDescriptor descriptor = endpoint(Show.ALWAYS).criticalTasks(SecurityContext.NONE);
        assertThat(descriptor.firstFailure()).isNull();
        assertThat(descriptor.tasks()).extracting(TaskDescriptor::name).containsExactly("once", "worker");
        TaskDescriptor once = descriptor.tasks().get(0);
        assertThat(once.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(once.startedAt()).isNotNull();
        assertThat(once.finishedAt()).isNotNull();
        assertThat(once.restarts()).isZero();
        assertThat(once.failure()).isNull();
        TaskDescriptor worker = descriptor.tasks().get(1);
        assertThat(worker.state()).isEqualTo(TaskState.RUNNING);
        assertThat(worker.startedAt()).isNotNull();
        assertThat(worker.finishedAt()).isNull();
    }

    @Test
    void showsFailureMessageWhenDetailsAreAlwaysShown() {
        fail("broken", "secret 42");
        CriticalTasksDescriptor descriptor = endpoint(Show.ALWAYS).criticalTasks(SecurityContext.NONE);
        FailureDescriptor expected = new FailureDescriptor("broken", IllegalStateException.class.getName(),
                "secret 42");
        assertThat(descriptor.firstFailure()).isEqualTo(expected);
        assertThat(descriptor.tasks()).singleElement()
            .satisfies(task -> assertThat(task.failure()).isEqualTo(expected));
    }

    @Test
    void hidesFailureMessageWhenDetailsAreNeverShown() {
        fail("broken", "secret 42");
        CriticalTasksDescriptor descriptor = endpoint(Show.NEVER).criticalTasks(user("admin"));
        FailureDescriptor expected = new FailureDescriptor("broken", IllegalStateException.class.getName(), null);
        assertThat(descriptor.firstFailure()).isEqualTo(expected);
        assertThat(descriptor.tasks()).singleElement()
            .satisfies(task -> assertThat(task.failure()).isEqualTo(expected));
        assertThat(descriptor.toString()).doesNotContain("secret 42");
    }

    @Test
    void showsFailureMessageOnlyToAuthorizedUsersWhenAuthorized() {
        fail("broken", "secret 42");
        CriticalTasksEndpoint endpoint = new CriticalTasksEndpoint(registry, Show.WHEN_AUTHORIZED, Set.of("ops"));
        assertThat(message(endpoint.criticalTasks(SecurityContext.NONE))).isNull();
        assertThat(message(endpoint.criticalTasks(user("dev")))).isNull();
        assertThat(message(endpoint.criticalTasks(user("ops")))).isEqualTo("secret 42");
    }

    @Test
    void selectsOneTaskByName() {
        fail("broken", "secret 42");
        TaskDescriptor task = endpoint(Show.NEVER).criticalTask("broken", SecurityContext.NONE);
        assertThat(task).isNotNull();
        assertThat(task.state()).isEqualTo(TaskState.FAILED);
        assertThat(task.failure())
            .isEqualTo(new FailureDescriptor("broken", IllegalStateException.class.getName(), null));
    }

    @Test
    void showsWhereAStalledTaskIsStuckOnlyWhereDetailsAreShown() {
        CountDownLatch release = new CountDownLatch(1);
        CriticalTaskHandle stalled = registry.spawn(CriticalTaskSpec.supervised("stuck", context -> {
            context.heartbeat();
            stuckInTheNightlyExport(release);
        }).withHeartbeat(Duration.ofMillis(50), StallAction.REPORT));
        try {
            await().until(() -> stalled.lastStall().isPresent());
            CriticalTasksEndpoint endpoint = new CriticalTasksEndpoint(registry, Show.WHEN_AUTHORIZED, Set.of("ops"));

            StallDescriptor shown = endpoint.criticalTask("stuck", user("ops")).lastStall();
            assertThat(shown).isNotNull();
            assertThat(shown.attempt()).isEqualTo(1);
            assertThat(shown.action()).isEqualTo("REPORT");
            assertThat(shown.thread()).isEqualTo("critical-task-stuck");
            assertThat(shown.stackTrace()).anySatisfy(frame -> assertThat(frame)
                .contains(CriticalTasksEndpointTests.class.getName() + ".stuckInTheNightlyExport("));

            for (SecurityContext caller : List.of(SecurityContext.NONE, user("dev"))) {
                TaskDescriptor hidden = endpoint.criticalTask("stuck", caller);
                assertThat(hidden.lastStall()).isNotNull();
                assertThat(hidden.lastStall().silentFor()).isGreaterThanOrEqualTo(Duration.ofMillis(50));
                assertThat(hidden.lastStall().stackTrace()).isNull();
                assertThat(hidden.toString()).doesNotContain("stuckInTheNightlyExport");
                assertThat(endpoint.criticalTasks(caller).toString()).doesNotContain("stuckInTheNightlyExport");
            }
            assertThat(endpoint(Show.NEVER).criticalTasks(user("ops")).toString())
                .doesNotContain("stuckInTheNightlyExport");
        }
        finally {
            release.countDown();
        }
    }

    private static void stuckInTheNightlyExport(CountDownLatch release) throws InterruptedException {
        release.await();
    }

    @Test
    void selectsNothingForUnknownName() {
        assertThat(endpoint(Show.ALWAYS).criticalTask("nope", SecurityContext.NONE)).isNull();
    }

    private @Nullable String message(CriticalTasksDescriptor descriptor) {
        FailureDescriptor failure = descriptor.firstFailure();
        assertThat(failure).isNotNull();
        return failure.message();
    }

    private void fail(String name, String message) {
        CriticalTaskHandle task = registry.spawn(name, token -> {
            throw new IllegalStateException(message);
        });
        await().until(() -> task.state() == TaskState.FAILED);
    }

    private CriticalTasksEndpoint endpoint(Show show) {
        return new CriticalTasksEndpoint(registry, show, Set.of());
    }

    private static SecurityContext user(String role) {
        Principal principal = () -> "user";
        return new SecurityContext() {

            @Override
            public Principal getPrincipal() {
                return principal;
            }

            @Override
            public boolean isUserInRole(String candidate) {
                return role.equals(candidate);
            }

        };
    }

}
