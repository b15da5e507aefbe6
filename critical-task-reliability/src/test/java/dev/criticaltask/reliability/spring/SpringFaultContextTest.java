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

package dev.criticaltask.reliability.spring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import dev.criticaltask.spring.autoconfigure.health.CriticalTaskHealthAutoConfiguration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

/**
 * Faults of issue 5 on a real, in-process context (a test context: the starter closes it
 * but never exits the JVM): health taken while the context stops, and a failure during
 * the context's close. Each ends in one close, no hang, and no thread of ours left.
 */
@Tag("spring")
class SpringFaultContextTest {

    static final CountDownLatch FAIL = new CountDownLatch(1);

    static final CountDownLatch SLOW_STOPPING = new CountDownLatch(1);

    static final CountDownLatch RELEASE_SLOW = new CountDownLatch(1);

    static final AtomicInteger CLOSED_EVENTS = new AtomicInteger();

    static final AtomicInteger FAILED_EVENTS = new AtomicInteger();

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ CriticalTaskAutoConfiguration.class, CriticalTaskHealthAutoConfiguration.class,
            ApplicationAvailabilityAutoConfiguration.class })
    static class Counting {

        @EventListener
        void closed(ContextClosedEvent event) {
            CLOSED_EVENTS.incrementAndGet();
        }

        @EventListener
        void failed(CriticalTaskFailedEvent event) {
            FAILED_EVENTS.incrementAndGet();
        }

    }

    /** A task fails on demand while another one takes its time to stop. */
    @Configuration(proxyBeanMethods = false)
    static class HealthWhileStopping extends Counting {

        @Bean
        CriticalTask failing() {
            return token -> {
                FAIL.await();
                throw new IllegalStateException("boom");
            };
        }

        @Bean
        CriticalTask slow() {
            return token -> {
                token.await();
                SLOW_STOPPING.countDown();
                RELEASE_SLOW.await(30, TimeUnit.SECONDS);
            };
        }

    }

    @Test
    void healthTakenWhileTheContextStopsAnswersAtOnce() throws Exception {
        CLOSED_EVENTS.set(0);
        FAILED_EVENTS.set(0);
        ConfigurableApplicationContext context = run(HealthWhileStopping.class,
                "--critical-task.shutdown.grace-period=30s");
        CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
        try {
            CompositeHealthContributor health = context.getBean("criticalTasksHealthContributor",
                    CompositeHealthContributor.class);
            assertThat(statuses(health)).containsEntry("failing", Status.UP).containsEntry("slow", Status.UP);
            FAIL.countDown();
            assertThat(SLOW_STOPPING.await(30, TimeUnit.SECONDS)).as("the root was cancelled").isTrue();
            // the context's close has begun (ContextClosedEvent comes before the
            // lifecycle stops) and
            // the slow task keeps the stop waiting
            await().atMost(Duration.ofSeconds(30)).until(() -> CLOSED_EVENTS.get() == 1);
            Map<String, Status> whileStopping = CompletableFuture.supplyAsync(() -> statuses(health))
                .get(10, TimeUnit.SECONDS);
            assertThat(whileStopping).containsEntry("failing", Status.DOWN)
                .containsEntry("slow", Status.OUT_OF_SERVICE);
        }
        finally {
            RELEASE_SLOW.countDown();
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> !context.isActive());
        assertThat(CLOSED_EVENTS.get()).isOne();
        assertThat(FAILED_EVENTS.get()).isOne();
        assertThat(registry.rootToken().isCancelled()).isTrue();
        assertThat(registry.firstFailure())
            .hasValueSatisfying(failure -> assertThat(failure.taskDescription()).isEqualTo("failing"));
        awaitNoThreadOfOurs();
    }

    static final CountDownLatch CLOSE_STARTED = new CountDownLatch(1);

    /** A task that throws instead of stopping when the context closes. */
    @Configuration(proxyBeanMethods = false)
    static class FailOnClose extends Counting {

        @Bean
        CriticalTask worker() {
            return token -> token.await();
        }

        @Bean
        CriticalTask failsOnClose() {
            return token -> {
                token.await();
                throw new IllegalStateException("fails while the context closes");
            };
        }

    }

    @Test
    void failureDuringCloseEndsInOneCloseWithoutHanging() throws Exception {
        CLOSED_EVENTS.set(0);
        FAILED_EVENTS.set(0);
        ConfigurableApplicationContext context = run(FailOnClose.class);
        CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
        CompletableFuture<Void> closing = CompletableFuture.runAsync(context::close);
        closing.get(30, TimeUnit.SECONDS);
        assertThat(context.isActive()).isFalse();
        assertThat(CLOSED_EVENTS.get()).isOne();
        // a failure while shutting down is still a failure: recorded, and the task is
        // FAILED
        assertThat(registry.firstFailure())
            .hasValueSatisfying(failure -> assertThat(failure.taskDescription()).isEqualTo("failsOnClose"));
        awaitNoThreadOfOurs();
        assertThat(CLOSED_EVENTS.get()).isOne();
    }

    static ConfigurableApplicationContext run(Class<?> configuration, String... args) {
        SpringApplication application = new SpringApplication(configuration);
        application.setWebApplicationType(WebApplicationType.NONE);
        String[] all = java.util.stream.Stream
            .concat(java.util.stream.Stream.of("--spring.main.banner-mode=off"), java.util.Arrays.stream(args))
            .toArray(String[]::new);
        return application.run(all);
    }

    static Map<String, Status> statuses(CompositeHealthContributor health) {
        Map<String, Status> statuses = new LinkedHashMap<>();
        for (String name : List.of("failing", "slow")) {
            statuses.put(name, ((HealthIndicator) health.getContributor(name)).health().getStatus());
        }
        return statuses;
    }

    static void awaitNoThreadOfOurs() {
        await("no critical-task-* thread left").atMost(Duration.ofSeconds(30)).until(() -> ourThreads().isEmpty());
    }

    static List<String> ourThreads() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter(Thread::isAlive)
            .map(Thread::getName)
            .filter(name -> name.startsWith("critical-task-"))
            .collect(Collectors.toList());
    }

}
