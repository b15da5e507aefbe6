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

package dev.criticaltask.spring.autoconfigure.leadership;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.LeaderElection;
import dev.criticaltask.LeadershipTerm;
import dev.criticaltask.SupervisedTask;
import dev.criticaltask.TaskContext;
import dev.criticaltask.TaskState;
import dev.criticaltask.spring.CriticalTaskLeadershipGrantedEvent;
import dev.criticaltask.spring.CriticalTaskLeadershipRevokedEvent;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.health.CriticalTaskHealthAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.metrics.CriticalTaskMetricsAutoConfiguration;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leadership roles without a lock store: what is wired, what start-up refuses, and how a
 * leading task shows in health, metrics and events.
 */
@Tag("spring")
class CriticalTaskLeadershipAutoConfigurationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CriticalTaskAutoConfiguration.class,
                CriticalTaskLeadershipAutoConfiguration.class, CriticalTaskHealthAutoConfiguration.class,
                MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                SimpleMetricsExportAutoConfiguration.class, CriticalTaskMetricsAutoConfiguration.class))
        .withPropertyValues("critical-task.shutdown.grace-period=2s")
        .withUserConfiguration(RecordingKeeper.class)
        .withBean(Events.class);

    @Test
    void whenNoTaskHasARoleShouldDefineNoElectionAndRunTheTaskAsBefore() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasNotFailed().doesNotHaveBean(LeaderElection.class);
            TaskContext run = context.getBean(RecordingKeeper.class).runs.poll(20, TimeUnit.SECONDS);
            assertThat(run).isNotNull();
            assertThat(run.leadership()).isEmpty();
        });
    }

    @Test
    void whenATaskHasARoleAndThereIsNoLockRegistryShouldLeadLocallyWithHealthMetricAndEvent() {
        this.contextRunner.withPropertyValues("critical-task.tasks.keeper.leadership.role=leases").run((context) -> {
            assertThat(context).hasNotFailed().hasSingleBean(LeaderElection.class);
            TaskContext run = context.getBean(RecordingKeeper.class).runs.poll(20, TimeUnit.SECONDS);
            assertThat(run).isNotNull();
            assertThat(run.leadership()).get().satisfies((term) -> {
                assertThat(term.role()).isEqualTo("leases");
                assertThat(term.isFencing()).isFalse();
            });
            Health health = taskHealth(
                    context.getBean("criticalTasksHealthContributor", CompositeHealthContributor.class));
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("role", "leases").containsEntry("leader", true);
            MeterRegistry meters = context.getBean(MeterRegistry.class);
            await().atMost(TIMEOUT)
                .until(() -> meters.find("critical.task.leader").tag("role", "leases").gauge() != null);
            assertThat(meters.get("critical.task.leader").tag("role", "leases").gauge().value()).isEqualTo(1.0);
            assertThat(context.getBean(Events.class).events).anySatisfy(
                    (event) -> assertThat(event).isInstanceOfSatisfying(CriticalTaskLeadershipGrantedEvent.class,
                            (granted) -> assertThat(granted.getRole()).isEqualTo("leases")));
        });
    }

    @Test
    void whenTheRoleIsYieldedShouldShowStandbyAsUpWithLeaderFalseUntilItRunsAgain() {
        this.contextRunner.withPropertyValues("critical-task.tasks.keeper.leadership.role=leases").run((context) -> {
            RecordingKeeper keeper = context.getBean(RecordingKeeper.class);
            assertThat(keeper.runs.poll(20, TimeUnit.SECONDS)).isNotNull();
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            assertThat(registry.yieldLeadership("leases")).isTrue();
            // the only candidate gets it back: a new term, attempt 1
            TaskContext again = keeper.runs.poll(20, TimeUnit.SECONDS);
            assertThat(again).isNotNull();
            assertThat(again.attempt()).isEqualTo(1);
            assertThat(again.leadership()).map(LeadershipTerm::term).contains(2L);
            assertThat(registry.find("keeper").orElseThrow().state()).isNotEqualTo(TaskState.FAILED);
            assertThat(context.getBean(Events.class).events)
                .anySatisfy((event) -> assertThat(event).isInstanceOf(CriticalTaskLeadershipRevokedEvent.class));
        });
    }

    @Test
    void whenTheRoleIsBlankShouldFailStartUpNamingTheProperty() {
        this.contextRunner.withPropertyValues("critical-task.tasks.keeper.leadership.role= ").run((context) -> {
            assertThat(context).hasFailed();
            assertThat(context.getStartupFailure()).rootCause()
                .hasMessageContaining("critical-task.tasks.keeper.leadership.role");
        });
    }

    @Test
    void whenTheElectionMustUseALockRegistryAndThereIsNoneShouldFailStartUp() {
        this.contextRunner
            .withPropertyValues("critical-task.tasks.keeper.leadership.role=leases",
                    "critical-task.leadership.election=lock-registry")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("critical-task.leadership.election is lock-registry");
            });
    }

    @Test
    void whenTheHeartbeatIsNotBelowTheLeaseShouldFailStartUpNamingIt() {
        this.contextRunner
            .withPropertyValues("critical-task.tasks.keeper.leadership.role=leases",
                    "critical-task.leadership.heartbeat=9s")
            .run((context) -> {
                assertThat(context).hasFailed();
                assertThat(context.getStartupFailure()).rootCause()
                    .hasMessageContaining("critical-task.leadership.heartbeat");
            });
    }

    static Health taskHealth(CompositeHealthContributor tasks) {
        return ((HealthIndicator) tasks.getContributor("keeper")).health();
    }

    static class Events implements ApplicationListener<ApplicationEvent> {

        final List<ApplicationEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof CriticalTaskLeadershipGrantedEvent
                    || event instanceof CriticalTaskLeadershipRevokedEvent) {
                this.events.add(event);
            }
        }

    }

}
