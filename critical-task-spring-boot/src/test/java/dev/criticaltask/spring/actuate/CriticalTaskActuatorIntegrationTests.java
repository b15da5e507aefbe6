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

package dev.criticaltask.spring.actuate;

import java.net.http.HttpResponse;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.TaskState;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The {@code criticalTasks} health component, a liveness group that includes it, the
 * {@code criticaltasks} endpoint over HTTP with details shown, and the metrics in a full
 * application.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { ActuatorTestApplication.EXCLUDE_SHUTDOWN,
                "management.endpoints.web.exposure.include=health,criticaltasks",
                "management.endpoint.health.show-details=always",
                "management.endpoint.health.group.liveness.include=livenessState,criticalTasks" })
// a failing task cancels the registry's root: no later test may reuse this context
@Tag("spring")
@DirtiesContext
class CriticalTaskActuatorIntegrationTests {

    @LocalServerPort
    private int port;

    @Autowired
    private CriticalTaskRegistry registry;

    @Autowired
    private MeterRegistry meterRegistry;

    @Test
    void healthAndEndpointFollowEveryTask() throws Exception {
        registry.spawn("once", token -> {
        }).join();
        CriticalTaskHandle stopped = registry.spawn("stopped", token -> token.await());
        stopped.cancel();
        stopped.join();
        CriticalTaskHandle worker = registry.spawn("worker", token -> token.await());
        await().until(() -> worker.startedAt().isPresent());

        HttpResponse<String> health = ActuatorTestApplication.get(port, "/actuator/health");
        DocumentContext json = JsonPath.parse(health.body());
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(json.read("$.components.criticalTasks.status", String.class)).isEqualTo("OUT_OF_SERVICE");
        Map<String, Object> tasks = json.read("$.components.criticalTasks.components");
        assertThat(tasks).containsOnlyKeys("once", "stopped", "worker");
        assertThat(json.read("$.components.criticalTasks.components.once.status", String.class)).isEqualTo("UP");
        assertThat(json.read("$.components.criticalTasks.components.once.details.state", String.class))
            .isEqualTo("COMPLETED");
        assertThat(json.read("$.components.criticalTasks.components.stopped.status", String.class))
            .isEqualTo("OUT_OF_SERVICE");
        assertThat(json.read("$.components.criticalTasks.components.worker.status", String.class)).isEqualTo("UP");
        assertThat(json.read("$.components.criticalTasks.components.worker.details.state", String.class))
            .isEqualTo("RUNNING");
        assertThat(json.read("$.components.criticalTasks.components.worker.details.startedAt", String.class))
            .isEqualTo(worker.startedAt().orElseThrow().toString());

        LongTaskTimer active = meterRegistry.get("critical.task.active").tag("task", "worker").longTaskTimer();
        assertThat(active.activeTasks()).isEqualTo(1);

        HttpResponse<String> one = ActuatorTestApplication.get(port, "/actuator/health/criticalTasks/worker");
        assertThat(one.statusCode()).isEqualTo(200);
        assertThat(JsonPath.parse(one.body()).read("$.status", String.class)).isEqualTo("UP");

        CriticalTaskHandle broken = registry.spawn("broken", token -> {
            throw new IllegalStateException("disk on fire");
        });
        await().until(() -> broken.state() == TaskState.FAILED);
        await().until(() -> worker.state() == TaskState.CANCELLED);
        assertThat(active.activeTasks()).isZero();
        await().untilAsserted(() -> assertThat(meterRegistry.get("critical.task.failures")
            .tags("task", "broken", "exception", "IllegalStateException")
            .counter()
            .count()).isEqualTo(1.0));

        health = ActuatorTestApplication.get(port, "/actuator/health");
        json = JsonPath.parse(health.body());
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(json.read("$.status", String.class)).isEqualTo("DOWN");
        assertThat(json.read("$.components.criticalTasks.status", String.class)).isEqualTo("DOWN");
        Map<String, Object> brokenHealth = json.read("$.components.criticalTasks.components.broken");
        assertThat(brokenHealth).containsEntry("status", "DOWN");
        assertThat(json.read("$.components.criticalTasks.components.broken.details", Map.class))
            .containsEntry("state", "FAILED")
            .containsEntry("exception", IllegalStateException.class.getName())
            .containsEntry("message", "disk on fire")
            .containsKeys("startedAt", "finishedAt");
        assertThat(json.read("$.components.criticalTasks.components.worker.status", String.class))
            .isEqualTo("OUT_OF_SERVICE");

        HttpResponse<String> liveness = ActuatorTestApplication.get(port, "/actuator/health/liveness");
        assertThat(liveness.statusCode()).isEqualTo(503);
        assertThat(JsonPath.parse(liveness.body()).read("$.status", String.class)).isEqualTo("DOWN");

        HttpResponse<String> endpoint = ActuatorTestApplication.get(port, "/actuator/criticaltasks");
        assertThat(endpoint.statusCode()).isEqualTo(200);
        json = JsonPath.parse(endpoint.body());
        List<String> names = json.read("$.tasks[*].name");
        // finished tasks in the order they ended: the worker and the failed task end
        // concurrently
        assertThat(names).startsWith("once", "stopped")
            .containsExactlyInAnyOrder("once", "stopped", "worker", "broken");
        assertThat(json.read("$.tasks[?(@.name == 'worker')].state", List.class)).containsExactly("CANCELLED");
        assertThat(json.read("$.tasks[?(@.name == 'broken')].state", List.class)).containsExactly("FAILED");
        List<Integer> restarts = json.read("$.tasks[*].restarts");
        assertThat(restarts).containsOnly(0);
        assertThat(json.read("$.tasks[0].startedAt", String.class)).isNotBlank();
        assertThat(json.read("$.tasks[0].finishedAt", String.class)).isNotBlank();
        List<Map<String, Object>> brokenFailures = json.read("$.tasks[?(@.name == 'broken')].failure");
        assertThat(brokenFailures).singleElement()
            .satisfies(failure -> assertThat(failure).containsEntry("task", "broken")
                .containsEntry("exception", IllegalStateException.class.getName())
                .containsEntry("message", "disk on fire"));
        assertThat(json.read("$.firstFailure", Map.class)).containsEntry("task", "broken")
            .containsEntry("exception", IllegalStateException.class.getName())
            .containsEntry("message", "disk on fire");

        HttpResponse<String> selected = ActuatorTestApplication.get(port, "/actuator/criticaltasks/broken");
        assertThat(selected.statusCode()).isEqualTo(200);
        assertThat(JsonPath.parse(selected.body()).read("$.state", String.class)).isEqualTo("FAILED");

        assertThat(ActuatorTestApplication.get(port, "/actuator/criticaltasks/nope").statusCode()).isEqualTo(404);
    }

}
