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
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.scheduling.Critical;
import dev.criticaltask.spring.scheduling.CriticalJobStatus;
import dev.criticaltask.spring.scheduling.CriticalJobs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Health and the {@code criticaltasks} endpoint over HTTP for a critical
 * {@code @Scheduled} method that failed once, was restarted, and runs on: its runs,
 * schedule and next run, and never the exception's message where details may not be
 * shown.
 */
@Tag("spring")
class CriticalJobsActuatorTests {

    private static final String SECRET = "password=hunter2";

    @Test
    void detailsShowTheJobsRunsScheduleAndRestartsButNeverItsExceptionMessage() throws Exception {
        try (ConfigurableApplicationContext context = start("always")) {
            int port = port(context);
            awaitRecovered(context);

            // Spring knows no next run while a run is under way or overdue (every 50 ms
            // here): read
            // until the answer was taken between two runs
            DocumentContext health = readWithNextRun(port, "/actuator/health",
                    "$.components.criticalTasks.components['flaky.tick'].details.job");
            Map<String, Object> entry = health.read("$.components.criticalTasks.components['flaky.tick']");
            assertThat(entry).containsEntry("status", "UP");
            Map<String, Object> job = health.read("$.components.criticalTasks.components['flaky.tick'].details.job");
            assertThat(job).containsEntry("trigger", "SCHEDULED")
                .containsEntry("bean", "flaky")
                .containsEntry("method", "FlakyTicker.tick()")
                .containsEntry("schedule", "fixed delay PT0.05S")
                .containsEntry("lastFailure", IllegalStateException.class.getName())
                .containsKeys("nextRunAt", "lastRunStartedAt", "lastRunDuration", "lastOutcome", "runs");
            assertThat(Instant.parse((String) job.get("nextRunAt")))
                .isAfter(Instant.parse((String) job.get("lastRunStartedAt")));
            assertThat((Integer) job.get("failures")).isOne();
            assertThat((Integer) health.read("$.components.criticalTasks.components['flaky.tick'].details.restarts"))
                .isOne();
            assertThat(job.toString()).doesNotContain("hunter2");

            DocumentContext task = readWithNextRun(port, "/actuator/criticaltasks/flaky.tick", "$.job");
            assertThat((String) task.read("$.state")).isEqualTo("RUNNING");
            assertThat((Integer) task.read("$.restarts")).isOne();
            assertThat((String) task.read("$.job.trigger")).isEqualTo("SCHEDULED");
            assertThat((String) task.read("$.job.schedule")).isEqualTo("fixed delay PT0.05S");
            assertThat((String) task.read("$.job.lastFailure")).isEqualTo(IllegalStateException.class.getName());
            assertThat((String) task.read("$.job.nextRunAt")).isNotNull();
            assertThat((Integer) task.read("$.job.failures")).isOne();
            // the restart cause's message is shown here, to a caller allowed to see
            // details
            assertThat((String) task.read("$.lastRestartCause.message")).isEqualTo(SECRET);
        }
    }

    @Test
    void withoutDetailsNeitherHealthNorTheEndpointShowTheMessage() throws Exception {
        try (ConfigurableApplicationContext context = start("never")) {
            int port = port(context);
            awaitRecovered(context);

            HttpResponse<String> health = ActuatorTestApplication.get(port, "/actuator/health");
            assertThat(health.body()).doesNotContain("hunter2");
            Map<String, Object> entry = JsonPath.parse(health.body())
                .read("$.components.criticalTasks.components['flaky.tick']");
            assertThat(entry).containsOnly(Map.entry("status", "UP"));

            HttpResponse<String> tasks = ActuatorTestApplication.get(port, "/actuator/criticaltasks");
            assertThat(tasks.body()).doesNotContain("hunter2");
            DocumentContext json = JsonPath.parse(tasks.body());
            // the endpoint still lists the job and the class of its failure, as it does
            // for any task
            java.util.List<Object> lastFailures = json.read("$.tasks[?(@.name == 'flaky.tick')].job.lastFailure");
            assertThat(lastFailures).containsExactly(IllegalStateException.class.getName());
            java.util.List<Object> restartCauses = json.read("$.tasks[?(@.name == 'flaky.tick')].lastRestartCause");
            assertThat(restartCauses).singleElement()
                .isEqualTo(Map.of("exception", IllegalStateException.class.getName()));
        }
    }

    private static DocumentContext readWithNextRun(int port, String path, String jobPath) {
        DocumentContext[] read = new DocumentContext[1];
        await().until(() -> {
            read[0] = JsonPath.parse(ActuatorTestApplication.get(port, path).body());
            Map<String, Object> job = read[0].read(jobPath);
            return job.containsKey("nextRunAt");
        });
        return read[0];
    }

    private static void awaitRecovered(ConfigurableApplicationContext context) {
        CriticalJobs jobs = context.getBean(CriticalJobs.class);
        CriticalTaskHandle task = context.getBean(CriticalTaskRegistry.class).find("flaky.tick").orElseThrow();
        // failed once, restarted, and a later run succeeded
        await().until(() -> task.restartCount() == 1 && jobs.find("flaky.tick")
            .map(job -> job.runs() >= 3 && job.lastOutcome() == CriticalJobStatus.Outcome.SUCCESS)
            .orElse(false));
    }

    private static ConfigurableApplicationContext start(String showDetails) {
        return new SpringApplicationBuilder(JobApplication.class).run("--server.port=0",
                "--spring.main.banner-mode=off", "--management.endpoints.web.exposure.include=health,criticaltasks",
                "--management.endpoint.health.show-components=always",
                "--management.endpoint.health.show-details=" + showDetails, "--critical-task.shutdown.grace-period=2s",
                "--critical-task.shutdown.exit-process=false",
                "--critical-task.tasks[flaky.tick].restart.max-restarts=5",
                "--critical-task.tasks[flaky.tick].restart.backoff.initial=1ms",
                "--critical-task.tasks[flaky.tick].restart.backoff.max=5ms");
    }

    private static int port(ConfigurableApplicationContext context) {
        return ((WebServerApplicationContext) context).getWebServer().getPort();
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @EnableScheduling
    static class JobApplication {

        @Bean
        FlakyTicker flaky() {
            return new FlakyTicker();
        }

    }

    /** Fails its first run with a message that must not leak, then succeeds. */
    static class FlakyTicker {

        private final AtomicInteger runs = new AtomicInteger();

        @Critical
        @Scheduled(fixedDelay = 50)
        void tick() {
            if (this.runs.incrementAndGet() == 1) {
                throw new IllegalStateException(SECRET);
            }
        }

    }

}
