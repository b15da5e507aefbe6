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

import java.util.concurrent.atomic.AtomicBoolean;

import dev.criticaltask.CriticalTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * The three typos, given to a real {@code SpringApplication} on its command line:
 * each fails start-up, and Boot's failure analysis report names the key, where it was set
 * and the key it was meant to be, before any task ran. Before the check, each started:
 * the first failure was fatal although a restart budget was configured, and the process
 * exited 1 instead of 3.
 */
@Tag("spring")
@ExtendWith(OutputCaptureExtension.class)
class StrictPropertiesApplicationTests {

    static final AtomicBoolean started = new AtomicBoolean();

    @Test
    void whenMaxRestartsIsMisspeltOnTheCommandLineShouldReportTheKeyItsOriginAndTheNearestKey(CapturedOutput output) {
        assertReported(output, "critical-task.tasks.failer.restart.max-restart",
                "critical-task.tasks.failer.restart.max-restarts");
    }

    @Test
    void whenBackoffIsMisspeltOnTheCommandLineShouldReportTheKeyItsOriginAndTheNearestKey(CapturedOutput output) {
        assertReported(output, "critical-task.tasks.failer.restart.backof.initial",
                "critical-task.tasks.failer.restart.backoff.initial");
    }

    @Test
    void whenExitCodeIsMisspeltOnTheCommandLineShouldReportTheKeyItsOriginAndTheNearestKey(CapturedOutput output) {
        assertReported(output, "critical-task.shutdown.exit-codee", "critical-task.shutdown.exit-code");
    }

    private void assertReported(CapturedOutput output, String key, String nearest) {
        started.set(false);
        SpringApplicationBuilder application = new SpringApplicationBuilder(Config.class).web(WebApplicationType.NONE)
            .properties("spring.main.banner-mode=off", "critical-task.shutdown.grace-period=2s");
        assertThatException().isThrownBy(() -> application.run("--" + key + "=3"));
        assertThat(output).contains("APPLICATION FAILED TO START")
            .contains("Property: " + key)
            .contains("Origin: \"" + key + "\" from property source \"commandLineArgs\"")
            .contains("Did you mean: " + nearest)
            .contains("Rename each property to the key it was meant to be");
        assertThat(started).as("a task started").isFalse();
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ CriticalTaskAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class })
    static class Config {

        @Bean
        CriticalTask failer() {
            return (token) -> {
                started.set(true);
                throw new IllegalStateException("fails at once");
            };
        }

    }

}
