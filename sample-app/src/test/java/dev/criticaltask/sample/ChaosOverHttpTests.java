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

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

import com.jayway.jsonpath.JsonPath;

import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.TaskState;
import dev.criticaltask.spring.scheduling.CriticalJobStatus;
import dev.criticaltask.spring.scheduling.CriticalJobs;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The chaos endpoints, switched on, take the whole service down.
 * {@code POST /chaos/fail}: the run-time task fails, the event is published once, the
 * failure is counted, every worker stops and the context closes.
 * {@code POST /chaos/lose-order}: nothing fails and every probe stays UP until the
 * critical scheduled ledger audit finds the order stuck, throws, and shuts the service
 * down the same way. Inside a test the JVM is not exited (the packaged application's exit
 * code is {@code SampleApplicationIT}'s business).
 *
 * <p>
 * Deliberately not a {@code @SpringBootTest}: the failure closes the context, and the
 * TestContext framework of Spring Framework 7 then fails the test's own after-callbacks
 * when it tries to restart the closed context it cached, even with
 * {@code @DirtiesContext}. A context the test starts and closes itself has no such cache.
 */
@Tag("spring")
class ChaosOverHttpTests {

    private static final String AUDIT_JOB = "orderLedgerAudit.audit";

    @Test
    void failureRequestedOverHttpShutsTheServiceDown() throws Exception {
        List<CriticalTaskFailedEvent> events = new CopyOnWriteArrayList<>();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
            .properties("server.port=0", "spring.main.banner-mode=off", "sample.chaos.http-enabled=true")
            .listeners((ApplicationListener<CriticalTaskFailedEvent>) events::add)
            .run();
        try {
            int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            assertThat(Http.postJson(port, "/chaos/fail", "").statusCode()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(60)).until(() -> !context.isActive());
            assertThat(events).singleElement()
                .satisfies((event) -> assertThat(event.getTaskName()).isEqualTo("chaos-1"));
            assertThat(registry.firstFailure()).hasValueSatisfying(
                    (failure) -> assertThat(failure.getCause()).hasMessageContaining("POST /chaos/fail"));
            assertThat(meters.get("critical.task.failures")
                .tags("task", "chaos-1", "exception", "IllegalStateException")
                .counter()
                .count()).isEqualTo(1);
            for (String worker : List.of("orderProcessor", "priceRefresher", "heartbeat")) {
                assertThat(registry.find(worker)).map(CriticalTaskHandle::state).hasValue(TaskState.CANCELLED);
            }
        }
        finally {
            context.close();
        }
    }

    @Test
    void orderLostBetweenLedgerAndQueueFailsTheLedgerAuditAndShutsTheServiceDown() throws Exception {
        List<CriticalTaskFailedEvent> events = new CopyOnWriteArrayList<>();
        AtomicReference<CriticalJobs> jobs = new AtomicReference<>();
        // read in the listener: the event comes before the context closes, and a closed
        // context has
        // no scheduler left to ask for the job's schedule
        AtomicReference<CriticalJobStatus> jobWhenItFailed = new AtomicReference<>();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
            .properties("server.port=0", "spring.main.banner-mode=off", "sample.chaos.http-enabled=true")
            .listeners((ApplicationListener<CriticalTaskFailedEvent>) (event) -> {
                events.add(event);
                CriticalJobs criticalJobs = jobs.get();
                if (criticalJobs != null) {
                    criticalJobs.find(AUDIT_JOB).ifPresent(jobWhenItFailed::set);
                }
            })
            // as arguments: application.properties sets both, and builder properties are
            // only defaults
            .run("--sample.orders.audit.interval=100ms", "--sample.orders.audit.max-pending-age=3s");
        try {
            jobs.set(context.getBean(CriticalJobs.class));
            int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            // the audit passes on a healthy ledger, run after run
            await().atMost(Duration.ofSeconds(30))
                .until(() -> jobs.get().find(AUDIT_JOB).map(CriticalJobStatus::runs).orElse(0L) >= 2);

            HttpResponse<String> lost = Http.postJson(port, "/chaos/lose-order", "");
            assertThat(lost.statusCode()).as(lost.body()).isEqualTo(202);
            String id = JsonPath.parse(lost.body()).read("$.order");
            // nothing has failed yet: the order just sits there, and the probes see
            // nothing wrong
            assertThat(JsonPath.parse(Http.get(port, "/orders/" + id).body()).read("$.status", String.class))
                .isEqualTo("ACCEPTED");
            assertThat(Http.get(port, "/actuator/health/liveness").statusCode()).isEqualTo(200);

            await().atMost(Duration.ofSeconds(60)).until(() -> !context.isActive());
            assertThat(events).singleElement().satisfies((event) -> {
                assertThat(event.getTaskName()).isEqualTo(AUDIT_JOB);
                assertThat(event.getCause()).isInstanceOf(IllegalStateException.class)
                    .hasMessageStartingWith("Order ledger audit failed: 1 order(s) ACCEPTED for longer than PT3S")
                    .hasMessageContaining("the oldest " + id + " accepted at");
            });
            assertThat(registry.find(AUDIT_JOB)).map(CriticalTaskHandle::state).hasValue(TaskState.FAILED);
            for (String worker : List.of("orderProcessor", "priceRefresher", "heartbeat")) {
                assertThat(registry.find(worker)).map(CriticalTaskHandle::state).hasValue(TaskState.CANCELLED);
            }
            assertThat(jobWhenItFailed.get()).isNotNull().satisfies((job) -> {
                assertThat(job.lastOutcome()).isEqualTo(CriticalJobStatus.Outcome.FAILURE);
                assertThat(job.lastFailure()).isEqualTo(IllegalStateException.class.getName());
                assertThat(job.failures()).isOne();
                assertThat(job.runs()).isGreaterThan(2);
                assertThat(job.schedule()).isEqualTo("fixed delay PT0.1S");
            });
            assertThat(meters.get("critical.task.failures")
                .tags("task", AUDIT_JOB, "exception", "IllegalStateException")
                .counter()
                .count()).isEqualTo(1);
        }
        finally {
            context.close();
        }
    }

}
