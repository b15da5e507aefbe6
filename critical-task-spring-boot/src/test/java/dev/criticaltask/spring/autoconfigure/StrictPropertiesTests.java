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

package dev.criticaltask.spring.autoconfigure;

import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTask;
import dev.criticaltask.SupervisedTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every property under {@code critical-task.} is either a known key with a valid value or
 * fails start-up, before any task starts, with a failure analysis that names it.
 */
@Tag("spring")
class StrictPropertiesTests {

    /** Set by either task when it runs; a failed context's beans cannot be asked. */
    private final AtomicBoolean started = new AtomicBoolean();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CriticalTaskAutoConfiguration.class,
                ApplicationAvailabilityAutoConfiguration.class))
        .withBean("failer", CriticalTask.class, () -> (token) -> {
            this.started.set(true);
            token.await();
        })
        .withBean("watched", SupervisedTask.class, () -> (context) -> {
            this.started.set(true);
            context.cancellation().await();
        })
        .withPropertyValues("critical-task.shutdown.grace-period=2s");

    @Test
    void whenMaxRestartsIsMisspeltShouldFailNamingTheNearestKey() {
        assertUnknown("critical-task.tasks.failer.restart.max-restart=1",
                "critical-task.tasks.failer.restart.max-restart", "critical-task.tasks.failer.restart.max-restarts");
    }

    @Test
    void whenBackoffIsMisspeltShouldFailNamingTheNearestKey() {
        assertUnknown("critical-task.tasks.failer.restart.backof.initial=1s",
                "critical-task.tasks.failer.restart.backof.initial",
                "critical-task.tasks.failer.restart.backoff.initial");
    }

    @Test
    void whenExitCodeIsMisspeltShouldFailNamingTheNearestKey() {
        assertUnknown("critical-task.shutdown.exit-codee=3", "critical-task.shutdown.exit-codee",
                "critical-task.shutdown.exit-code");
    }

    @Test
    void whenTopLevelKeyIsMisspeltShouldFailNamingTheNearestKey() {
        assertUnknown("critical-task.enabeld=false", "critical-task.enabeld", "critical-task.enabled");
    }

    @Test
    void whenTaskKeyIsMisspeltInCamelCaseShouldNameTheKeyInItsCanonicalForm() {
        assertUnknown("critical-task.tasks.failer.restart.maxRestart=1",
                "critical-task.tasks.failer.restart.maxRestart", "critical-task.tasks.failer.restart.max-restarts");
    }

    @Test
    void whenJobNameIsWrittenWithoutBracketsShouldSuggestTheBracketedKey() {
        assertUnknown("critical-task.tasks.bean.tick.restart.max-restarts=2",
                "critical-task.tasks.bean.tick.restart.max-restarts",
                "critical-task.tasks[bean.tick].restart.max-restarts");
    }

    @Test
    void whenAPropertyNameIsWrittenInBracketsShouldFailAsTheBinderNeverReadsIt() {
        assertUnknown("critical-task.tasks[failer].restart[max-restarts]=4",
                "critical-task.tasks[failer].restart[max-restarts]", "critical-task.tasks.failer.restart.max-restarts");
    }

    @Test
    void whenSeveralKeysAreUnknownShouldNameEveryOne() {
        this.contextRunner
            .withPropertyValues("critical-task.shutdown.exit-codee=3",
                    "critical-task.tasks.failer.restart.max-restartz=1")
            .run((context) -> {
                FailureAnalysis analysis = unknownAnalysis(context);
                assertThat(analysis.getDescription()).contains("Property: critical-task.shutdown.exit-codee")
                    .contains("Did you mean: critical-task.shutdown.exit-code")
                    .contains("Property: critical-task.tasks.failer.restart.max-restartz")
                    .contains("Did you mean: critical-task.tasks.failer.restart.max-restarts");
                assertNothingStarted(context);
            });
    }

    @Test
    void whenEnvironmentVariableIsMisspeltShouldFailNamingTheVariableAndTheNearestKey() {
        this.contextRunner
            .withInitializer((context) -> context.getEnvironment()
                .getPropertySources()
                .addFirst(systemEnvironment(Map.of("CRITICAL_TASK_TASKS_FAILER_RESTART_MAXRESTART", "1"))))
            .run((context) -> {
                FailureAnalysis analysis = unknownAnalysis(context);
                assertThat(analysis.getDescription())
                    .contains("Property: CRITICAL_TASK_TASKS_FAILER_RESTART_MAXRESTART")
                    .contains("Origin: \"CRITICAL_TASK_TASKS_FAILER_RESTART_MAXRESTART\" from property source "
                            + "\"systemEnvironment\"")
                    .contains("Did you mean: critical-task.tasks.failer.restart.max-restarts "
                            + "(as an environment variable: CRITICAL_TASK_TASKS_FAILER_RESTART_MAX_RESTARTS)");
                assertThat(analysis.getAction()).contains("Rename each property");
                assertNothingStarted(context);
            });
    }

    @Test
    void whenEnvironmentVariablesAreSpelledRightInEitherFormShouldBind() {
        this.contextRunner.withInitializer((context) -> context.getEnvironment()
            .getPropertySources()
            .addFirst(systemEnvironment(Map.of("CRITICAL_TASK_SHUTDOWN_EXIT_CODE", "3",
                    "CRITICALTASK_TASKS_FAILER_RESTART_MAXRESTARTS", "2", "CRITICAL_TASK_TASKS_FAILER_RESTART_WITHIN",
                    "5m", "CRITICAL_TASK_SHUTDOWN_EXIT_PROCESS", "false", "CRITICAL_TASKS_UNRELATED", "x"))))
            .run((context) -> {
                assertThat(context).hasNotFailed();
                CriticalTaskProperties properties = context.getBean(CriticalTaskProperties.class);
                assertThat(properties.getShutdown().getExitCode()).isEqualTo(3);
                assertThat(properties.getShutdown().isExitProcess()).isFalse();
                assertThat(properties.getTasks().get("failer").getRestart().getMaxRestarts()).isEqualTo(2);
            });
    }

    @Test
    void whenEnvironmentVariableMixesTheTwoFormsShouldFailAsBootWouldNeverReadIt() {
        this.contextRunner
            .withInitializer((context) -> context.getEnvironment()
                .getPropertySources()
                .addFirst(systemEnvironment(Map.of("CRITICAL_TASK_SHUTDOWN_EXITCODE", "3"))))
            .run((context) -> {
                FailureAnalysis analysis = unknownAnalysis(context);
                assertThat(analysis.getDescription()).contains("Property: CRITICAL_TASK_SHUTDOWN_EXITCODE")
                    .contains("Did you mean: critical-task.shutdown.exit-code "
                            + "(as an environment variable: CRITICAL_TASK_SHUTDOWN_EXIT_CODE)");
                assertNothingStarted(context);
            });
    }

    @Test
    void whenSystemPropertyIsMisspeltShouldFailNamingItsOrigin() {
        this.contextRunner.withSystemProperties("critical-task.shutdown.exit-codee=3").run((context) -> {
            FailureAnalysis analysis = unknownAnalysis(context);
            assertThat(analysis.getDescription()).contains("Property: critical-task.shutdown.exit-codee")
                .contains("from property source \"systemProperties\"")
                .contains("Did you mean: critical-task.shutdown.exit-code");
            assertNothingStarted(context);
        });
    }

    @Test
    void whenEveryKeyIsKnownInAnyOfItsFormsShouldStart() {
        this.contextRunner
            .withPropertyValues("critical-task.enabled=true", "critical-task.shutdown.exitCode=3",
                    "critical-task.shutdown.exit_process=false", "critical-task.tasks.failer.restart.maxRestarts=2",
                    "critical-task.tasks.failer.restart.within=5m", "critical-task.tasks.failer.restart.backoff.max=1s",
                    "critical-task.tasks[failer].restart.backoff.initial=10ms",
                    "critical-task.tasks.watched.heartbeat.timeout=1m",
                    "critical-task.tasks.watched.heartbeat.on-stall=fail", "critical-task.threads.virtual=false",
                    "critical-task.scheduling.all-critical=false", "critical-task.phase=0")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                CriticalTaskProperties properties = context.getBean(CriticalTaskProperties.class);
                assertThat(properties.getShutdown().getExitCode()).isEqualTo(3);
                assertThat(properties.getTasks().get("failer").getRestart().getBackoff().getInitial()).hasMillis(10);
            });
    }

    @Test
    void whenOnStallIsSetWithoutAHeartbeatTimeoutShouldFail() {
        this.contextRunner.withPropertyValues("critical-task.tasks.watched.heartbeat.on-stall=fail").run((context) -> {
            FailureAnalysis analysis = invalidAnalysis(context);
            assertThat(analysis.getDescription())
                .startsWith("Invalid value 'fail' for configuration property "
                        + "'critical-task.tasks.watched.heartbeat.on-stall'")
                .contains("'watched' has no heartbeat timeout, neither in code nor in "
                        + "critical-task.tasks.watched.heartbeat.timeout, so no heartbeat is watched");
            assertThat(analysis.getAction()).isEqualTo("Update the property "
                    + "'critical-task.tasks.watched.heartbeat.on-stall' in your configuration to no value, or set "
                    + "critical-task.tasks.watched.heartbeat.timeout as well, or remove it to use the default.");
            assertNothingStarted(context);
        });
    }

    @Test
    void whenRestartWindowIsSetWithoutRestartsShouldFail() {
        assertWithoutRestarts("critical-task.tasks.failer.restart.within=5m",
                "critical-task.tasks.failer.restart.within", "PT5M");
    }

    @Test
    void whenBackoffIsSetWithoutRestartsShouldFail() {
        assertWithoutRestarts("critical-task.tasks.failer.restart.backoff.initial=1s",
                "critical-task.tasks.failer.restart.backoff.initial", "PT1S");
    }

    @Test
    void whenBackoffIsSetWithRestartsOnlyInCodeShouldStart() {
        this.contextRunner.withPropertyValues("critical-task.tasks.restarting.restart.backoff.initial=1s")
            .withBean("restarting", dev.criticaltask.CriticalTaskSpec.class,
                    () -> dev.criticaltask.CriticalTaskSpec.of("restarting", CancellationToken::await)
                        .withRestartPolicy(dev.criticaltask.RestartPolicy.limited(2, java.time.Duration.ofMinutes(1))))
            .run((context) -> assertThat(context).hasNotFailed());
    }

    @Test
    void whenValueIsInvalidShouldFailAsBootDescribesAnInvalidValue() {
        this.contextRunner.withPropertyValues("critical-task.shutdown.exit-code=0").run((context) -> {
            FailureAnalysis analysis = invalidAnalysis(context);
            assertThat(analysis.getDescription())
                .startsWith(
                        "Invalid value '0' for configuration property 'critical-task.shutdown.exit-code'. Validation "
                                + "failed for the following reason:")
                .endsWith("a process can only report 1 to 255 as a failure (0 means success, larger values "
                        + "wrap around).");
            assertThat(analysis.getAction()).isEqualTo("Update the property 'critical-task.shutdown.exit-code' in "
                    + "your configuration to a number from 1 to 255, or remove it to use the default.");
            assertNothingStarted(context);
        });
    }

    private void assertWithoutRestarts(String property, String name, String value) {
        this.contextRunner.withPropertyValues(property).run((context) -> {
            FailureAnalysis analysis = invalidAnalysis(context);
            assertThat(analysis.getDescription())
                .startsWith("Invalid value '" + value + "' for configuration property '" + name + "'")
                .contains("the task is never restarted (max-restarts is 0, in code or in "
                        + "critical-task.tasks.failer.restart.max-restarts), so the setting would change nothing");
            assertThat(analysis.getAction()).isEqualTo("Update the property '" + name + "' in your configuration to "
                    + "no value, or set critical-task.tasks.failer.restart.max-restarts to a positive number as "
                    + "well, or remove it to use the default.");
            assertNothingStarted(context);
        });
    }

    private void assertUnknown(String property, String name, String nearest) {
        this.contextRunner.withPropertyValues(property).run((context) -> {
            FailureAnalysis analysis = unknownAnalysis(context);
            assertThat(analysis.getDescription())
                .startsWith("Properties under 'critical-task.' must each be a known key")
                .contains("Property: " + name + System.lineSeparator())
                .contains("Origin: \"" + name + "\" from property source \"test\"")
                .contains("Did you mean: " + nearest + System.lineSeparator());
            assertThat(analysis.getAction())
                .startsWith("Rename each property to the key it was meant to be (the nearest valid key is shown), "
                        + "or remove it.");
            assertNothingStarted(context);
        });
    }

    private static FailureAnalysis unknownAnalysis(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = new UnknownCriticalTaskPropertyFailureAnalyzer()
            .analyze(context.getStartupFailure());
        assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
        return analysis;
    }

    private static FailureAnalysis invalidAnalysis(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
        assertThat(analysis).as("analysis of %s", context.getStartupFailure()).isNotNull();
        return analysis;
    }

    private void assertNothingStarted(AssertableApplicationContext context) {
        assertThat(context).hasFailed();
        assertThat(this.started).as("a task started").isFalse();
    }

    private static SystemEnvironmentPropertySource systemEnvironment(Map<String, Object> variables) {
        return new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                variables);
    }

}
