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

package dev.criticaltask.spring.autoconfigure.observation;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.CriticalTask;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import io.micrometer.tracing.Span;
import io.micrometer.tracing.Tracer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.micrometer.tracing.autoconfigure.MicrometerTracingAutoConfiguration;
import org.springframework.boot.micrometer.tracing.brave.autoconfigure.BraveAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With a real tracer (Brave, as Spring Boot's tracing auto-configuration sets it up), a
 * task's log lines carry the trace and span ids of its attempt's observation: they are in
 * the MDC of the task's thread while it runs.
 */
@Tag("spring")
class CriticalTaskTracingTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(ObservationAutoConfiguration.class,
                MicrometerTracingAutoConfiguration.class, BraveAutoConfiguration.class,
                CriticalTaskAutoConfiguration.class, CriticalTaskObservationAutoConfiguration.class))
        .withPropertyValues("critical-task.shutdown.grace-period=2s", "management.tracing.sampling.probability=1.0");

    @Test
    void whenATracerIsConfiguredShouldPutTheAttemptsTraceIdInTheTasksMdc() {
        this.contextRunner.withUserConfiguration(Logging.class).run((context) -> {
            Map<String, String> seen = context.getBean(Seen.class).mdc.get(20, TimeUnit.SECONDS);
            assertThat(seen.get("traceId")).matches("[0-9a-f]{16,32}");
            assertThat(seen.get("spanId")).matches("[0-9a-f]{16}");
            assertThat(seen.get("currentTraceId")).isEqualTo(seen.get("traceId"));
            assertThat(seen.get("currentSpanId")).isEqualTo(seen.get("spanId"));
            assertThat(seen.get("thread")).isEqualTo("critical-task-logging");
        });
    }

    @Test
    void whenObservationsAreOffForTheTaskShouldLeaveItsMdcWithoutATrace() {
        this.contextRunner.withUserConfiguration(Logging.class)
            .withPropertyValues("critical-task.tasks.logging.observations.enabled=false")
            .run((context) -> {
                Map<String, String> seen = context.getBean(Seen.class).mdc.get(20, TimeUnit.SECONDS);
                assertThat(seen).doesNotContainKeys("traceId", "spanId");
            });
    }

    static final class Seen {

        final CompletableFuture<Map<String, String>> mdc = new CompletableFuture<>();

    }

    @Configuration(proxyBeanMethods = false)
    static class Logging {

        @Bean
        Seen seen() {
            return new Seen();
        }

        @Bean
        CriticalTask logging(Seen seen, Tracer tracer) {
            return (token) -> {
                Map<String, String> mdc = new java.util.HashMap<>();
                Map<String, String> copy = MDC.getCopyOfContextMap();
                if (copy != null) {
                    mdc.putAll(copy);
                }
                Span current = tracer.currentSpan();
                if (current != null) {
                    mdc.put("currentTraceId", current.context().traceId());
                    mdc.put("currentSpanId", current.context().spanId());
                }
                mdc.put("thread", Thread.currentThread().getName());
                seen.mdc.complete(mdc);
                token.await(Duration.ofSeconds(30));
            };
        }

    }

}
