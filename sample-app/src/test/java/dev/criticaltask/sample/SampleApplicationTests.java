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

package dev.criticaltask.sample;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.criticaltask.sample.prices.PriceCache;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service, in-process, with its real configuration: the workers run, orders
 * flow, the ledger audit runs on its schedule, and the actuator shows every worker and
 * the job. No task fails here, so the cached context stays usable.
 */
@Tag("spring")
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

    /** The critical {@code @Scheduled} method's task: {@code <beanName>.<methodName>}. */
    private static final String AUDIT_JOB = "orderLedgerAudit.audit";

    /** The three {@code CriticalTask} workers and the job. */
    private static final List<String> TASKS = List.of("orderProcessor", "priceRefresher", "heartbeat", AUDIT_JOB);

    @LocalServerPort
    private int port;

    @Autowired
    private PriceCache prices;

    /**
     * The service takes traffic once the price refresher has loaded the first prices
     * ({@code startup.await-ready}); the order processor starts only then.
     */
    @BeforeEach
    void awaitReadiness() {
        await().atMost(Duration.ofSeconds(30))
            .until(() -> Http.get(this.port, "/actuator/health/readiness").statusCode() == 200);
    }

    @Test
    void healthListsEveryWorkerAndTheJobAndTheProbesIncludeThem() throws Exception {
        DocumentContext health = json(Http.get(this.port, "/actuator/health"), 200);
        assertThat(health.read("$.status", String.class)).isEqualTo("UP");
        Map<String, Object> tasks = health.read("$.components.criticalTasks.components");
        assertThat(tasks).containsOnlyKeys(TASKS);
        for (String task : TASKS) {
            // bracket notation: the job's name has a dot
            String path = "$.components.criticalTasks.components['" + task + "']";
            assertThat(health.read(path + ".status", String.class)).isEqualTo("UP");
            assertThat(health.read(path + ".details.state", String.class)).isEqualTo("RUNNING");
        }
        for (String probe : List.of("liveness", "readiness")) {
            DocumentContext group = json(Http.get(this.port, "/actuator/health/" + probe), 200);
            Map<String, Object> components = group.read("$.components");
            assertThat(components).containsKey("criticalTasks");
            Map<String, Object> groupTasks = group.read("$.components.criticalTasks.components");
            assertThat(groupTasks).containsOnlyKeys(TASKS);
        }
    }

    @Test
    void criticalTasksEndpointListsEveryWorkerAndTheJob() throws Exception {
        DocumentContext endpoint = json(Http.get(this.port, "/actuator/criticaltasks"), 200);
        List<String> names = endpoint.read("$.tasks[*].name");
        List<String> states = endpoint.read("$.tasks[*].state");
        assertThat(names).containsExactlyInAnyOrderElementsOf(TASKS);
        assertThat(states).containsOnly("RUNNING");
        List<Map<String, Object>> withJob = endpoint.read("$.tasks[?(@.job)]");
        assertThat(withJob).as("only the @Scheduled method is a job")
            .singleElement()
            .satisfies((task) -> assertThat(task).containsEntry("name", AUDIT_JOB));
    }

    @Test
    void ledgerAuditRunsOnItsScheduleAndShowsItsRunsInHealthAndTheEndpoint() throws Exception {
        // the first run starts with the scheduler; a fixed delay has no initial delay by
        // default
        await().atMost(Duration.ofSeconds(30))
            .until(() -> json(Http.get(this.port, "/actuator/criticaltasks/" + AUDIT_JOB), 200)
                .read("$.job.lastOutcome", String.class), "SUCCESS"::equals);

        DocumentContext task = json(Http.get(this.port, "/actuator/criticaltasks/" + AUDIT_JOB), 200);
        assertThat(task.read("$.name", String.class)).isEqualTo(AUDIT_JOB);
        assertThat(task.read("$.state", String.class)).isEqualTo("RUNNING");
        assertThat(task.read("$.job.trigger", String.class)).isEqualTo("SCHEDULED");
        assertThat(task.read("$.job.bean", String.class)).isEqualTo("orderLedgerAudit");
        assertThat(task.read("$.job.method", String.class)).isEqualTo("OrderLedgerAudit.audit()");
        // sample.orders.audit.interval=10s in application.properties, through the
        // @Scheduled placeholder
        assertThat(task.read("$.job.schedule", String.class)).isEqualTo("fixed delay PT10S");
        Instant lastRun = Instant.parse(task.read("$.job.lastRunStartedAt", String.class));
        assertThat(Instant.parse(task.read("$.job.nextRunAt", String.class))).isAfter(lastRun);
        assertThat(task.read("$.job.runs", Long.class)).isPositive();
        assertThat(task.read("$.job.failures", Long.class)).isZero();
        Map<String, Object> job = task.read("$.job");
        assertThat(job).doesNotContainKey("lastFailure");

        DocumentContext health = json(Http.get(this.port, "/actuator/health/criticalTasks/" + AUDIT_JOB), 200);
        assertThat(health.read("$.status", String.class)).isEqualTo("UP");
        assertThat(health.read("$.details.job.trigger", String.class)).isEqualTo("SCHEDULED");
        assertThat(health.read("$.details.job.schedule", String.class)).isEqualTo("fixed delay PT10S");
        assertThat(health.read("$.details.job.lastOutcome", String.class)).isEqualTo("SUCCESS");
        assertThat(health.read("$.details.job.lastRunStartedAt", String.class)).isNotNull();
        assertThat(health.read("$.details.job.nextRunAt", String.class)).isNotNull();
    }

    @Test
    void postedOrderIsProcessed() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> this.prices.refreshedAt().isPresent());
        HttpResponse<String> posted = Http.postJson(this.port, "/orders", "{\"item\":\"coffee\",\"quantity\":3}");
        DocumentContext order = json(posted, 202);
        String id = order.read("$.id");
        assertThat(posted.headers().firstValue("Location")).hasValue("/orders/" + id);

        await().atMost(Duration.ofSeconds(30))
            .until(() -> json(Http.get(this.port, "/orders/" + id), 200).read("$.status", String.class),
                    "PROCESSED"::equals);
        BigDecimal total = new BigDecimal(json(Http.get(this.port, "/orders/" + id), 200).read("$.total").toString());
        assertThat(total).isPositive();
    }

    @Test
    void invalidOrderIsRefusedAndUnknownItemIsRejectedWithoutHarmingTheWorker() throws Exception {
        assertThat(Http.postJson(this.port, "/orders", "{\"item\":\"\",\"quantity\":0}").statusCode()).isEqualTo(400);
        await().atMost(Duration.ofSeconds(30)).until(() -> this.prices.refreshedAt().isPresent());
        String id = json(Http.postJson(this.port, "/orders", "{\"item\":\"pizza\",\"quantity\":1}"), 202).read("$.id");
        await().atMost(Duration.ofSeconds(30))
            .until(() -> json(Http.get(this.port, "/orders/" + id), 200).read("$.status", String.class),
                    "REJECTED"::equals);
        assertThat(json(Http.get(this.port, "/actuator/health/criticalTasks/orderProcessor"), 200).read("$.status",
                String.class))
            .isEqualTo("UP");
        assertThat(Http.get(this.port, "/orders/no-such-order").statusCode()).isEqualTo(404);
    }

    @Test
    void prometheusCarriesTheCriticalTaskSeries() throws Exception {
        HttpResponse<String> scrape = Http.get(this.port, "/actuator/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        for (String task : TASKS) {
            assertThat(scrape.body()).contains("critical_task_active_seconds_count{task=\"" + task + "\"} 1");
        }
        assertThat(scrape.body()).contains("critical_task_abandoned_tasks_total");
        assertThat(scrape.body()).contains("sample_heartbeats_beats_total");
    }

    @Test
    void noHttpRequestCanFailAWorkerByDefault() throws Exception {
        assertThat(Http.postJson(this.port, "/chaos/fail", "").statusCode()).isEqualTo(404);
    }

    private static DocumentContext json(HttpResponse<String> response, int expectedStatus) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return JsonPath.parse(response.body());
    }

}
