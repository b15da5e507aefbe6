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

package dev.criticaltask.spring.autoconfigure.availability;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.SupervisedTask;
import dev.criticaltask.TaskState;
import dev.criticaltask.spring.actuate.endpoint.CriticalTasksEndpoint;
import dev.criticaltask.spring.availability.CriticalTaskReadiness;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.reactor.SupervisedReactiveTask;
import dev.criticaltask.spring.autoconfigure.FailureAnalyses;
import dev.criticaltask.spring.autoconfigure.ReactiveCriticalTaskAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.endpoint.CriticalTaskEndpointAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.health.CriticalTaskHealthAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.metrics.CriticalTaskMetricsAutoConfiguration;
import dev.criticaltask.spring.metrics.CriticalTaskMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Sinks;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Start-up readiness and order in the starter (issue 15):
 * {@code critical-task.tasks.<name>.startup.await-ready}, {@code .startup.timeout} and
 * {@code .depends-on}, the application's readiness, health, the endpoint and the start-up
 * metric.
 */
@Tag("spring")
class CriticalTaskStartupTests {

    private static final CountDownLatch NEVER = new CountDownLatch(1);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CriticalTaskAutoConfiguration.class,
                CriticalTaskAvailabilityAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class,
                CriticalTaskHealthAutoConfiguration.class, CriticalTaskEndpointAutoConfiguration.class,
                MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, CriticalTaskMetricsAutoConfiguration.class))
        .withPropertyValues("critical-task.shutdown.grace-period=2s",
                "management.endpoints.web.exposure.include=criticaltasks");

    @Test
    void whenATaskAwaitsReadyShouldRefuseTrafficUntilItIsReadyAndLeaveLivenessAlone() {
        this.contextRunner.withUserConfiguration(Prices.class)
            .withPropertyValues("critical-task.tasks.prices.startup.await-ready=true")
            .run((context) -> {
                ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
                AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
                AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
                assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
                assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
                CriticalTasksEndpoint.CriticalTasksDescriptor tasks = endpoint(context);
                assertThat(tasks.awaitingReady()).containsExactly("prices");
                Health waiting = health(context, "prices");
                assertThat(waiting.getDetails()).containsEntry("ready", false).doesNotContainKey("readySince");

                context.getBean(Prices.class).loaded.countDown();

                await().until(() -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
                assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
                assertThat(endpoint(context).awaitingReady()).isEmpty();
                assertThat(health(context, "prices").getDetails()).containsEntry("ready", true)
                    .containsKey("readySince");
                Timer startup = context.getBean(MeterRegistry.class)
                    .get(CriticalTaskMetrics.STARTUP)
                    .tag("task", "prices")
                    .timer();
                assertThat(startup.count()).isEqualTo(1);
            });
    }

    @Test
    void whenATaskThatAwaitsReadyRestartsShouldRefuseTrafficUntilItsNewAttemptIsReady() {
        this.contextRunner.withUserConfiguration(Feed.class)
            .withPropertyValues("critical-task.tasks.feed.startup.await-ready=true",
                    "critical-task.tasks.feed.restart.max-restarts=1",
                    "critical-task.tasks.feed.restart.backoff.initial=1ms")
            .run((context) -> {
                ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
                Feed feed = context.getBean(Feed.class);
                AvailabilityChangeEvent.publish(context, LivenessState.CORRECT);
                AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
                CriticalTasksEndpoint.StartupDescriptor waiting = endpoint(context).tasks().get(0).startup();
                assertThat(waiting.awaitsReady()).isTrue();
                assertThat(waiting.readyAt()).isNull();

                feed.loaded.get(0).countDown();

                await().until(() -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
                assertThat(endpoint(context).tasks().get(0).startup().readyAt()).isNotNull();

                feed.lost.countDown();

                await().until(() -> availability.getReadinessState() == ReadinessState.REFUSING_TRAFFIC);
                // the new attempt has begun and waits on its latch: readiness waits for
                // it
                await().until(() -> feed.attempts.get() == 2);
                assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
                CriticalTasksEndpoint.CriticalTasksDescriptor restarted = endpoint(context);
                assertThat(restarted.awaitingReady()).containsExactly("feed");
                assertThat(restarted.tasks().get(0).restarts()).isEqualTo(1);
                assertThat(restarted.tasks().get(0).startup().readyAt()).isNull();

                feed.loaded.get(1).countDown();

                await().until(() -> availability.getReadinessState() == ReadinessState.ACCEPTING_TRAFFIC);
                assertThat(endpoint(context).tasks().get(0).startup().readyAt()).isNotNull();
                assertThat(feed.readiness).containsExactly(ReadinessState.ACCEPTING_TRAFFIC,
                        ReadinessState.REFUSING_TRAFFIC, ReadinessState.ACCEPTING_TRAFFIC);
                assertThat(feed.liveness).containsOnly(LivenessState.CORRECT);
                assertThat(availability.getLivenessState()).isEqualTo(LivenessState.CORRECT);
            });
    }

    @Test
    void whenNoTaskAwaitsReadyShouldAcceptTrafficAsSoonAsBootDoes() {
        this.contextRunner.withUserConfiguration(Prices.class).run((context) -> {
            AvailabilityChangeEvent.publish(context, ReadinessState.ACCEPTING_TRAFFIC);
            assertThat(context.getBean(ApplicationAvailability.class).getReadinessState())
                .isEqualTo(ReadinessState.ACCEPTING_TRAFFIC);
            // ready as soon as its attempt begins, a moment after it got its thread
            await()
                .untilAsserted(() -> assertThat(health(context, "prices").getDetails()).containsEntry("ready", true));
        });
    }

    @Test
    void whenDependsOnIsSetShouldStartTheTaskOnlyOnceItsDependencyIsReady() {
        this.contextRunner.withUserConfiguration(Prices.class, Orders.class)
            .withPropertyValues("critical-task.tasks.prices.startup.await-ready=true",
                    "critical-task.tasks.orders.depends-on=prices")
            .run((context) -> {
                CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
                CriticalTaskHandle orders = registry.find("orders").orElseThrow();
                assertThat(orders.startedAt()).isEmpty();
                CriticalTasksEndpoint.TaskDescriptor waiting = endpoint(context).tasks()
                    .stream()
                    .filter((task) -> task.name().equals("orders"))
                    .findFirst()
                    .orElseThrow();
                assertThat(waiting.startup().dependsOn()).containsExactly("prices");
                assertThat(waiting.startup().waitingFor()).containsExactly("prices");
                assertThat(context.getBean(Orders.class).events).isEmpty();

                context.getBean(Prices.class).loaded.countDown();

                await().until(() -> context.getBean(Orders.class).events.contains("started"));
                assertThat(endpoint(context).tasks()).allSatisfy((task) -> {
                    assertThat(task.ready()).isTrue();
                    assertThat(task.startup().waitingFor()).isEmpty();
                });
                assertThat(health(context, "orders").getDetails()).containsEntry("dependsOn", List.of("prices"));
            });
    }

    @Test
    void whenASupervisedReactiveTaskBeanAwaitsReadyShouldBeReadyOnItsFirstElement() {
        this.contextRunner.withConfiguration(AutoConfigurations.of(ReactiveCriticalTaskAutoConfiguration.class))
            .withUserConfiguration(Quotes.class, Orders.class)
            .withPropertyValues("critical-task.tasks.quotes.startup.await-ready=true",
                    "critical-task.tasks.orders.depends-on=quotes")
            .run((context) -> {
                CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
                Sinks.Many<String> quotes = context.getBean(Quotes.class).sink;
                await().until(() -> quotes.currentSubscriberCount() == 1);
                assertThat(registry.find("orders").orElseThrow().startedAt()).isEmpty();

                quotes.tryEmitNext("tea 2.80");

                await().until(() -> context.getBean(Orders.class).events.contains("started"));
                assertThat(registry.find("quotes").orElseThrow().isReady()).isTrue();
            });
    }

    @Test
    void whenDependsOnNamesNoTaskShouldFailStartUpNamingBothTasks() {
        this.contextRunner.withUserConfiguration(Orders.class)
            .withPropertyValues("critical-task.tasks.orders.depends-on=prizes")
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("critical-task.tasks.orders.depends-on")
                    .contains("'orders' depends on 'prizes'")
                    .contains("may be disabled");
                assertThat(analysis.getAction()).contains("[orders]");
            });
    }

    @Test
    void whenTasksDependOnEachOtherShouldFailStartUpNamingTheCycle() {
        this.contextRunner.withUserConfiguration(Prices.class, Orders.class)
            .withPropertyValues("critical-task.tasks.orders.depends-on=prices",
                    "critical-task.tasks.prices.depends-on=orders")
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("critical-task.tasks.orders.depends-on")
                    .contains("cycle: orders -> prices -> orders");
            });
    }

    @Test
    void whenAPlainTaskAwaitsReadyShouldFailStartUp() {
        this.contextRunner.withUserConfiguration(Orders.class)
            .withPropertyValues("critical-task.tasks.orders.startup.await-ready=true")
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("critical-task.tasks.orders.startup.await-ready")
                    .contains("no TaskContext to say it is ready with");
            });
    }

    @Test
    void whenAStartupTimeoutIsSetWithoutAwaitReadyShouldFailStartUp() {
        this.contextRunner.withUserConfiguration(Prices.class)
            .withPropertyValues("critical-task.tasks.prices.startup.timeout=5s")
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("critical-task.tasks.prices.startup.timeout")
                    .contains("does not await its ready signal");
                assertThat(analysis.getAction()).contains("startup.await-ready=true");
            });
    }

    @Test
    void whenATaskIsNotReadyInTimeShouldFailItWithTheStartTimeout() {
        this.contextRunner.withUserConfiguration(Prices.class)
            .withPropertyValues("critical-task.tasks.prices.startup.await-ready=true",
                    "critical-task.tasks.prices.startup.timeout=200ms", "critical-task.shutdown.exit-process=false")
            .run((context) -> {
                CriticalTaskHandle prices = context.getBean(CriticalTaskRegistry.class).find("prices").orElseThrow();
                await().until(prices::isFinished);
                assertThat(prices.state()).isEqualTo(TaskState.FAILED);
                assertThat(prices.failure().orElseThrow().getCause())
                    .isInstanceOf(dev.criticaltask.TaskStartTimeoutException.class);
            });
    }

    private static CriticalTasksEndpoint.CriticalTasksDescriptor endpoint(AssertableApplicationContext context) {
        return context.getBean(CriticalTasksEndpoint.class).criticalTasks(SecurityContext.NONE);
    }

    private static Health health(AssertableApplicationContext context, String task) {
        CompositeHealthContributor contributor = context.getBean("criticalTasksHealthContributor",
                CompositeHealthContributor.class);
        Health health = ((HealthIndicator) contributor.getContributor(task)).health();
        assertThat(health).isNotNull();
        return health;
    }

    @Configuration(proxyBeanMethods = false)
    static class Prices {

        final CountDownLatch loaded = new CountDownLatch(1);

        @Bean
        SupervisedTask prices() {
            return (context) -> {
                this.loaded.await();
                context.ready();
                context.cancellation().await();
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Feed implements ApplicationListener<AvailabilityChangeEvent<?>> {

        final List<CountDownLatch> loaded = List.of(new CountDownLatch(1), new CountDownLatch(1));

        final CountDownLatch lost = new CountDownLatch(1);

        final AtomicInteger attempts = new AtomicInteger();

        /** What the application's readiness went through once Boot asked for traffic. */
        final List<ReadinessState> readiness = new CopyOnWriteArrayList<>();

        final List<LivenessState> liveness = new CopyOnWriteArrayList<>();

        @Bean
        SupervisedTask feed() {
            return (context) -> {
                int attempt = this.attempts.getAndIncrement();
                this.loaded.get(attempt).await();
                context.ready();
                if (attempt == 0) {
                    this.lost.await();
                    throw new IllegalStateException("feed lost");
                }
                context.cancellation().await();
            };
        }

        @Override
        public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
            if (event.getState() instanceof LivenessState state) {
                this.liveness.add(state);
            }
            // the starter's changes: Boot's own ask is held back, and is no change
            else if (event.getState() instanceof ReadinessState state
                    && event.getSource() instanceof CriticalTaskReadiness) {
                this.readiness.add(state);
            }
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Quotes {

        final Sinks.Many<String> sink = Sinks.many().multicast().onBackpressureBuffer();

        @Bean
        SupervisedReactiveTask quotes() {
            return (context) -> this.sink.asFlux().doOnNext((quote) -> context.ready());
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Orders {

        final List<String> events = new CopyOnWriteArrayList<>();

        @Bean
        CriticalTask orders() {
            return (token) -> {
                this.events.add("started");
                token.await();
            };
        }

    }

}
