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

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatNoException;

/**
 * The valid keys come from the properties classes themselves: a property another part of
 * the starter adds is a valid key, and its misspelling an unknown one, with no list to
 * update.
 */
@Tag("spring")
class CriticalTaskPropertyKeysTests {

    @Test
    void whenReadFromCriticalTaskPropertiesShouldHoldEveryKeyOfTheClass() {
        assertThat(CriticalTaskPropertyKeys.criticalTask().keys()).contains("critical-task.enabled",
                "critical-task.phase", "critical-task.shutdown.grace-period", "critical-task.shutdown.exit-code",
                "critical-task.shutdown.exit-process", "critical-task.threads.virtual",
                "critical-task.scheduling.all-critical", "critical-task.tasks.<name>.restart.max-restarts",
                "critical-task.tasks.<name>.restart.within", "critical-task.tasks.<name>.restart.backoff.initial",
                "critical-task.tasks.<name>.restart.backoff.max", "critical-task.tasks.<name>.heartbeat.timeout",
                "critical-task.tasks.<name>.heartbeat.on-stall");
    }

    @Test
    void whenAPropertyIsAddedToAClassShouldAcceptItWithoutAnyOtherChange() {
        CriticalTaskPropertyKeys keys = CriticalTaskPropertyKeys.of(Extended.class, "critical-task");
        assertThat(keys.keys()).containsExactlyInAnyOrder("critical-task.enabled",
                "critical-task.tasks.<name>.startup.await-ready", "critical-task.tasks.<name>.startup.timeout",
                "critical-task.tasks.<name>.depends-on", "critical-task.tasks.<name>.depends-on[<index>]",
                "critical-task.tasks.<name>.labels.<name>", "critical-task.tasks.<name>.leadership.role");
        assertThat(keys.types()).containsExactlyInAnyOrder(Extended.class, Extended.Task.class, Extended.Startup.class,
                Extended.Leadership.class);
        assertThatNoException().isThrownBy(() -> CriticalTaskPropertiesValidator.checkKeys(keys,
                environment("critical-task.tasks.worker.startup.await-ready", "true",
                        "critical-task.tasks.worker.depends-on", "a,b", "critical-task.tasks.other.depends-on[0]", "a",
                        "critical-task.tasks[bean.method].leadership.role", "leader",
                        "critical-task.tasks.worker.labels.team", "core")));
        assertThatExceptionOfType(UnknownCriticalTaskPropertyException.class)
            .isThrownBy(() -> CriticalTaskPropertiesValidator.checkKeys(keys,
                    environment("critical-task.tasks.worker.startup.await-redy", "true",
                            "critical-task.tasks.worker.leadership.rol", "leader")))
            .satisfies((exception) -> assertThat(exception.getProperties()).extracting("name", "nearest")
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("critical-task.tasks.worker.startup.await-redy",
                                "critical-task.tasks.worker.startup.await-ready"),
                        org.assertj.core.groups.Tuple.tuple("critical-task.tasks.worker.leadership.rol",
                                "critical-task.tasks.worker.leadership.role")));
    }

    @Test
    void whenAnEnvironmentVariableNamesANewPropertyShouldAcceptBothOfBootsForms() {
        CriticalTaskPropertyKeys keys = CriticalTaskPropertyKeys.of(Extended.class, "critical-task");
        assertThat(keys.isKnownEnvironmentVariable("CRITICAL_TASK_TASKS_WORKER_STARTUP_AWAIT_READY")).isTrue();
        assertThat(keys.isKnownEnvironmentVariable("CRITICALTASK_TASKS_WORKER_STARTUP_AWAITREADY")).isTrue();
        assertThat(keys.isKnownEnvironmentVariable("critical_task_tasks_worker_depends_on_0")).isTrue();
        assertThat(keys.isKnownEnvironmentVariable("CRITICAL_TASK_TASKS_WORKER_STARTUP_AWAITREADY")).isFalse();
        assertThat(keys.isKnownEnvironmentVariable("Critical_Task_Enabled")).isFalse();
        assertThat(keys.isUnderPrefixAsEnvironmentVariable("CRITICAL_TASKS_ENABLED")).isFalse();
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources()
            .addFirst(new SystemEnvironmentPropertySource(StandardEnvironment.SYSTEM_ENVIRONMENT_PROPERTY_SOURCE_NAME,
                    Map.of("CRITICAL_TASK_TASKS_WORKER_STARTUP_TIMEOUTT", "1m")));
        assertThatExceptionOfType(UnknownCriticalTaskPropertyException.class)
            .isThrownBy(() -> CriticalTaskPropertiesValidator.checkKeys(keys, environment))
            .withMessageContaining("'CRITICAL_TASK_TASKS_WORKER_STARTUP_TIMEOUTT'")
            .withMessageContaining("critical-task.tasks.worker.startup.timeout (as an environment variable: "
                    + "CRITICAL_TASK_TASKS_WORKER_STARTUP_TIMEOUT)");
    }

    @Test
    void whenTheProcessEnvironmentIsCheckedShouldFindNothingUnknownInIt() {
        // the real environment of the build: its unrelated variables are left alone
        assertThatNoException().isThrownBy(() -> CriticalTaskPropertiesValidator
            .checkKeys(CriticalTaskPropertyKeys.criticalTask(), new StandardEnvironment()));
    }

    private static StandardEnvironment environment(String... pairs) {
        Map<String, Object> properties = new LinkedHashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            properties.put(pairs[i], pairs[i + 1]);
        }
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
        return environment;
    }

    /** A properties class as another helper might grow CriticalTaskProperties. */
    public static final class Extended {

        private boolean enabled;

        private final Map<String, Task> tasks = new LinkedHashMap<>();

        public boolean isEnabled() {
            return this.enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Map<String, Task> getTasks() {
            return this.tasks;
        }

        public static final class Task {

            private final Startup startup = new Startup();

            private final Leadership leadership = new Leadership();

            private List<String> dependsOn = new ArrayList<>();

            private final Map<String, String> labels = new LinkedHashMap<>();

            public Startup getStartup() {
                return this.startup;
            }

            public Leadership getLeadership() {
                return this.leadership;
            }

            public List<String> getDependsOn() {
                return this.dependsOn;
            }

            public void setDependsOn(List<String> dependsOn) {
                this.dependsOn = dependsOn;
            }

            public Map<String, String> getLabels() {
                return this.labels;
            }

        }

        public static final class Startup {

            private boolean awaitReady;

            private Duration timeout = Duration.ZERO;

            public boolean isAwaitReady() {
                return this.awaitReady;
            }

            public void setAwaitReady(boolean awaitReady) {
                this.awaitReady = awaitReady;
            }

            public Duration getTimeout() {
                return this.timeout;
            }

            public void setTimeout(Duration timeout) {
                this.timeout = timeout;
            }

        }

        public static final class Leadership {

            private String role = "";

            public String getRole() {
                return this.role;
            }

            public void setRole(String role) {
                this.role = role;
            }

        }

    }

}
