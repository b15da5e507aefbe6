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

package dev.criticaltask.spring.testapp;

import java.util.Map;

import dev.criticaltask.testsupport.ChildProcess;
import dev.criticaltask.testsupport.ChildProcesses;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A misspelt key in a real process's environment: an environment variable, and a system
 * property given through {@code JAVA_TOOL_OPTIONS}. Each fails start-up with the failure
 * analysis, the origin as Boot's own property sources give it, and no task ran. Before
 * the check, {@code CRITICAL_TASK_SHUTDOWN_EXITCODEE=3} exited 1.
 */
@Tag("spring")
@Tag("child-jvm")
class StrictPropertiesProcessTests {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses(CriticalTaskTestApplication.class);

    @Test
    void whenAnEnvironmentVariableIsMisspeltShouldFailStartUpNamingTheVariable() throws Exception {
        ChildProcess child = this.children.start(Map.of("CRITICAL_TASK_SHUTDOWN_EXITCODEE", "3"), "fail");
        assertThat(child.awaitExit()).isOne();
        assertThat(child.output()).contains("APPLICATION FAILED TO START")
            .contains("Property: CRITICAL_TASK_SHUTDOWN_EXITCODEE")
            .contains("Origin: System Environment Property \"CRITICAL_TASK_SHUTDOWN_EXITCODEE\"")
            .contains("Did you mean: critical-task.shutdown.exit-code "
                    + "(as an environment variable: CRITICAL_TASK_SHUTDOWN_EXIT_CODE)")
            .doesNotContain("READY")
            .doesNotContain("EVENT task=");
    }

    @Test
    void whenASystemPropertyIsMisspeltShouldFailStartUpNamingIt() throws Exception {
        ChildProcess child = this.children
            .start(Map.of("JAVA_TOOL_OPTIONS", "-Dcritical-task.tasks.failing.restart.max-restart=1"), "fail");
        assertThat(child.awaitExit()).isOne();
        assertThat(child.output()).contains("APPLICATION FAILED TO START")
            .contains("Property: critical-task.tasks.failing.restart.max-restart")
            .contains("from property source \"systemProperties\"")
            .contains("Did you mean: critical-task.tasks.failing.restart.max-restarts")
            .doesNotContain("READY")
            .doesNotContain("EVENT task=");
    }

}
