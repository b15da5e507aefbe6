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
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.TaskState;
import org.junit.jupiter.api.BeforeEach;
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
 * With {@code show-details} left at its default ({@code never}), neither the health JSON
 * nor the endpoint JSON carries a failed task's exception message. Components are shown,
 * so the tasks are listed and the absence of the message is not merely the absence of the
 * component.
 */
@SpringBootTest(classes = ActuatorTestApplication.class, webEnvironment = WebEnvironment.RANDOM_PORT,
        properties = { ActuatorTestApplication.EXCLUDE_SHUTDOWN,
                "management.endpoints.web.exposure.include=health,criticaltasks",
                "management.endpoint.health.show-components=always" })
// a failing task cancels the registry's root: no later test may reuse this context
@Tag("spring")
@DirtiesContext(classMode = DirtiesContext.ClassMode.AFTER_EACH_TEST_METHOD)
class CriticalTaskActuatorSecurityTests {

    private static final String SECRET = "password=hunter2";

    @LocalServerPort
    private int port;

    @Autowired
    private CriticalTaskRegistry registry;

    @BeforeEach
    void failATask() {
        CriticalTaskHandle task = registry.spawn("leaky", token -> {
            throw new IllegalStateException(SECRET);
        });
        await().until(() -> task.state() == TaskState.FAILED);
    }

    @Test
    void healthHidesTheMessage() throws Exception {
        HttpResponse<String> health = ActuatorTestApplication.get(port, "/actuator/health");
        assertThat(health.statusCode()).isEqualTo(503);
        assertThat(health.body()).doesNotContain(SECRET).doesNotContain("hunter2");
        DocumentContext json = JsonPath.parse(health.body());
        Map<String, Object> leaky = json.read("$.components.criticalTasks.components.leaky");
        assertThat(leaky).containsOnly(Map.entry("status", "DOWN"));

        HttpResponse<String> component = ActuatorTestApplication.get(port, "/actuator/health/criticalTasks/leaky");
        assertThat(component.body()).doesNotContain("hunter2");
    }

    @Test
    void endpointHidesTheMessageButNamesTheException() throws Exception {
        HttpResponse<String> endpoint = ActuatorTestApplication.get(port, "/actuator/criticaltasks");
        assertThat(endpoint.statusCode()).isEqualTo(200);
        assertThat(endpoint.body()).doesNotContain("hunter2");
        DocumentContext json = JsonPath.parse(endpoint.body());
        assertThat(json.read("$.firstFailure.exception", String.class))
            .isEqualTo(IllegalStateException.class.getName());
        assertThat(json.read("$.firstFailure", Map.class)).doesNotContainKey("message");

        HttpResponse<String> selected = ActuatorTestApplication.get(port, "/actuator/criticaltasks/leaky");
        assertThat(selected.statusCode()).isEqualTo(200);
        assertThat(selected.body()).doesNotContain("hunter2");
    }

}
