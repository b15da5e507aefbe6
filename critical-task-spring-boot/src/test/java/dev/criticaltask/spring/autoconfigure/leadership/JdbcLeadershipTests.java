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
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.sql.DataSource;

import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.LeadershipTerm;
import dev.criticaltask.SupervisedTask;
import dev.criticaltask.TaskContext;
import dev.criticaltask.TaskState;
import dev.criticaltask.spring.actuate.endpoint.CriticalTasksEndpoint;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.endpoint.CriticalTaskEndpointAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.health.CriticalTaskHealthAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.metrics.CriticalTaskMetricsAutoConfiguration;
import dev.criticaltask.spring.metrics.CriticalTaskMetrics;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.criticaltask.testsupport.Postgres;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.integration.jdbc.lock.DefaultLockRepository;
import org.springframework.integration.jdbc.lock.JdbcLockRegistry;
import org.springframework.jdbc.support.JdbcTransactionManager;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Leadership on a real PostgreSQL (the one {@code .ci/postgres} starts), in process: the
 * auto-wired JdbcLockRegistry, fencing terms, a user's registry, and the hand-over when a
 * leading context closes. Each test has a database of its own.
 */
@Tag("spring")
class JdbcLeadershipTests {

    private String url;

    private ApplicationContextRunner contextRunner;

    @BeforeEach
    void database() throws Exception {
        this.url = Postgres.createDatabase();
        this.contextRunner = new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CriticalTaskAutoConfiguration.class,
                    CriticalTaskLeadershipAutoConfiguration.class, CriticalTaskHealthAutoConfiguration.class))
            .withBean(DataSource.class, () -> dataSource(this.url))
            .withPropertyValues("critical-task.shutdown.grace-period=2s",
                    "critical-task.tasks.keeper.leadership.role=leases",
                    "critical-task.leadership.jdbc.initialize-schema=always")
            .withUserConfiguration(RecordingKeeper.class);
    }

    @Test
    void whenThereIsADataSourceAndNoLockRegistryShouldElectThroughAJdbcLockRegistryWithFencingTerms() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasNotFailed()
                .hasBean("criticalTaskLockRegistry")
                .hasBean("criticalTaskLockRepository");
            TaskContext run = context.getBean(RecordingKeeper.class).runs.poll(30, TimeUnit.SECONDS);
            assertThat(run).isNotNull();
            assertThat(run.leadership()).get().satisfies((term) -> {
                assertThat(term.isFencing()).isTrue();
                assertThat(term.term()).isEqualTo(1);
            });
            try (var connection = context.getBean(DataSource.class).getConnection();
                    var rows = connection.createStatement()
                        .executeQuery("SELECT COUNT(*) FROM INT_LOCK WHERE REGION = 'critical-task'")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        });
    }

    @Test
    void whenTwoReplicasShareTheDatabaseShouldRunTheTaskOnOneAndHandItOverAtOnceWhenItCloses() {
        ApplicationContextRunner replica = this.contextRunner
            .withConfiguration(AutoConfigurations.of(CriticalTaskEndpointAutoConfiguration.class,
                    MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, CriticalTaskMetricsAutoConfiguration.class))
            .withPropertyValues("management.endpoints.web.exposure.include=criticaltasks");
        replica.run((first) -> {
            RecordingKeeper firstKeeper = first.getBean(RecordingKeeper.class);
            TaskContext leading = firstKeeper.runs.poll(30, TimeUnit.SECONDS);
            assertThat(leading).isNotNull();
            assertThat(leadership(first)).satisfies((descriptor) -> {
                assertThat(descriptor.role()).isEqualTo("leases");
                assertThat(descriptor.leader()).isTrue();
                assertThat(descriptor.term()).isEqualTo(1L);
                assertThat(descriptor.since()).isNotNull();
                assertThat(descriptor.fencing()).isTrue();
            });
            assertThat(leaderGauge(first)).isEqualTo(1.0);
            replica.run((second) -> {
                CriticalTaskRegistry standby = second.getBean(CriticalTaskRegistry.class);
                await().atMost(Duration.ofSeconds(20))
                    .until(() -> standby.find("keeper").map((task) -> task.state() == TaskState.STANDBY).orElse(false));
                Health health = ((HealthIndicator) second
                    .getBean("criticalTasksHealthContributor", CompositeHealthContributor.class)
                    .getContributor("keeper")).health();
                assertThat(health.getStatus()).isEqualTo(Status.UP);
                assertThat(health.getDetails()).containsEntry("leader", false).containsEntry("role", "leases");
                CriticalTasksEndpoint.TaskDescriptor keeper = second.getBean(CriticalTasksEndpoint.class)
                    .criticalTask("keeper", SecurityContext.NONE);
                assertThat(keeper).isNotNull();
                assertThat(keeper.state()).isEqualTo(TaskState.STANDBY);
                assertThat(keeper.leadership())
                    .isEqualTo(new CriticalTasksEndpoint.LeadershipDescriptor("leases", false, null, null, false));
                // the gauge is registered when the task is, before the standby settles
                await().atMost(Duration.ofSeconds(20)).until(() -> leaderGauge(second) != null);
                assertThat(leaderGauge(second)).isEqualTo(0.0);
                assertThat(leaderGauge(first)).isEqualTo(1.0);
                assertThat(second.getBean(RecordingKeeper.class).runs).isEmpty();

                long closing = System.nanoTime();
                first.close();
                TaskContext took = second.getBean(RecordingKeeper.class).runs.poll(30, TimeUnit.SECONDS);
                long handOverMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - closing);
                assertThat(took).isNotNull();
                // well below the 10 s time-to-live: the lock was released, not left to
                // expire
                assertThat(handOverMillis).isLessThan(5000);
                assertThat(took.leadership()).map(LeadershipTerm::term).contains(2L);
                assertThat(leading.cancellation().isCancelled()).isTrue();
                assertThat(leadership(second).term()).isEqualTo(2L);
                assertThat(leaderGauge(second)).isEqualTo(1.0);
            });
        });
    }

    private static CriticalTasksEndpoint.LeadershipDescriptor leadership(ApplicationContext context) {
        CriticalTasksEndpoint.TaskDescriptor keeper = context.getBean(CriticalTasksEndpoint.class)
            .criticalTask("keeper", SecurityContext.NONE);
        assertThat(keeper).isNotNull();
        assertThat(keeper.leadership()).isNotNull();
        return keeper.leadership();
    }

    private static @Nullable Double leaderGauge(ApplicationContext context) {
        Gauge gauge = context.getBean(MeterRegistry.class)
            .find(CriticalTaskMetrics.LEADER)
            .tag("role", "leases")
            .gauge();
        return (gauge != null) ? gauge.value() : null;
    }

    @Test
    void whenTheUserDefinesALockRegistryShouldElectThroughItWithProcessTerms() throws Exception {
        // the user creates INT_LOCK, as Spring Integration's own script does
        String script;
        try (var in = JdbcLockRegistry.class
            .getResourceAsStream("/org/springframework/integration/jdbc/schema-postgresql.sql")) {
            script = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        String createLockTable = script.substring(script.indexOf("CREATE TABLE INT_LOCK"));
        Postgres.execute(this.url, createLockTable.substring(0, createLockTable.indexOf(';')));
        this.contextRunner.withUserConfiguration(UserRegistry.class).run((context) -> {
            assertThat(context).hasNotFailed().doesNotHaveBean("criticalTaskLockRegistry");
            TaskContext run = context.getBean(RecordingKeeper.class).runs.poll(30, TimeUnit.SECONDS);
            assertThat(run).isNotNull();
            assertThat(run.leadership()).get().satisfies((term) -> assertThat(term.isFencing()).isFalse());
            try (var connection = context.getBean(DataSource.class).getConnection();
                    var rows = connection.createStatement()
                        .executeQuery("SELECT COUNT(*) FROM INT_LOCK WHERE REGION = 'user-region'")) {
                rows.next();
                assertThat(rows.getInt(1)).isEqualTo(1);
            }
        });
    }

    @Test
    void whenTheLockTableBreaksWhileLeadingShouldStopTheTaskAndFailCriticallyOnceTheBudgetIsSpent() {
        this.contextRunner
            .withPropertyValues("critical-task.leadership.restart.max-restarts=1",
                    "critical-task.leadership.restart.backoff.initial=10ms",
                    "critical-task.leadership.restart.backoff.max=20ms")
            .run((context) -> {
                TaskContext run = context.getBean(RecordingKeeper.class).runs.poll(30, TimeUnit.SECONDS);
                assertThat(run).isNotNull();
                Postgres.execute(this.url, "DROP TABLE INT_LOCK");
                CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
                await().atMost(Duration.ofSeconds(30)).until(() -> registry.firstFailure().isPresent());
                assertThat(registry.firstFailure().get().taskDescription()).isEqualTo("leadership[leases]");
                assertThat(registry.firstFailure().get().getCause())
                    .isInstanceOf(dev.criticaltask.spring.leadership.LeadershipFailedException.class);
                // the task itself was stopped gracefully, not failed
                assertThat(run.cancellation().isCancelled()).isTrue();
                await().atMost(Duration.ofSeconds(30))
                    .until(() -> registry.find("keeper").map((task) -> task.isFinished()).orElse(true));
                assertThat(registry.find("keeper").get().state()).isNotEqualTo(TaskState.FAILED);
            });
    }

    @Test
    void whenTheLockTableIsMissingShouldFailStartUp() {
        this.contextRunner.withPropertyValues("critical-task.leadership.jdbc.initialize-schema=never")
            .run((context) -> {
                assertThat(context).hasFailed();
                // the failure is the missing table, not any other start-up failure
                List<String> causes = new ArrayList<>();
                for (Throwable cause = context.getStartupFailure(); cause != null; cause = cause.getCause()) {
                    causes.add(cause.getClass().getName() + ": " + cause.getMessage());
                }
                assertThat(causes).anySatisfy((cause) -> assertThat(cause).containsIgnoringCase("int_lock"));
            });
    }

    static HikariDataSource dataSource(String url) {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setMaximumPoolSize(4);
        config.setConnectionTimeout(2000);
        return new HikariDataSource(config);
    }

    @Configuration(proxyBeanMethods = false)
    static class UserRegistry {

        @Bean
        DefaultLockRepository userLockRepository(DataSource dataSource) {
            DefaultLockRepository repository = new DefaultLockRepository(dataSource);
            repository.setRegion("user-region");
            repository.setTransactionManager(new JdbcTransactionManager(dataSource));
            return repository;
        }

        @Bean
        JdbcLockRegistry userLockRegistry(DefaultLockRepository userLockRepository) {
            return new JdbcLockRegistry(userLockRepository);
        }

    }

}
