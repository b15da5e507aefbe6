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

import dev.criticaltask.SupervisedTask;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.availability.CriticalTaskReadiness;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The availability auto-configuration: the starter's readiness, and what happens when the
 * application brings its own.
 */
@Tag("spring")
@ExtendWith(OutputCaptureExtension.class)
class CriticalTaskAvailabilityAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CriticalTaskAutoConfiguration.class,
                CriticalTaskAvailabilityAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class))
        .withPropertyValues("critical-task.shutdown.grace-period=2s")
        .withUserConfiguration(Prices.class);

    @Test
    void whenNoAvailabilityIsDefinedShouldUseTheStartersReadinessAndNotWarn(CapturedOutput output) {
        this.contextRunner.withPropertyValues("critical-task.tasks.prices.startup.await-ready=true").run((context) -> {
            assertThat(context).hasSingleBean(ApplicationAvailability.class);
            assertThat(context.getBean(ApplicationAvailability.class)).isInstanceOf(CriticalTaskReadiness.class);
            assertThat(output).doesNotContain("await their ready signal");
        });
    }

    @Test
    void whenTheApplicationDefinesItsOwnAvailabilityShouldBackOffAndWarnOfTheTasksThatAwaitReady(
            CapturedOutput output) {
        this.contextRunner.withUserConfiguration(OwnAvailability.class)
            .withPropertyValues("critical-task.tasks.prices.startup.await-ready=true")
            .run((context) -> {
                assertThat(context).hasNotFailed();
                assertThat(context.getBean(ApplicationAvailability.class)).isNotInstanceOf(CriticalTaskReadiness.class);
                assertThat(output).contains("Critical tasks [prices] await their ready signal (startup.await-ready)")
                    .contains("its ApplicationAvailability is " + ApplicationAvailabilityBean.class.getName());
            });
    }

    @Test
    void whenTheApplicationDefinesItsOwnAvailabilityAndNoTaskAwaitsReadyShouldNotWarn(CapturedOutput output) {
        this.contextRunner.withUserConfiguration(OwnAvailability.class)
            .run((context) -> assertThat(output).doesNotContain("await their ready signal"));
    }

    @Configuration(proxyBeanMethods = false)
    static class OwnAvailability {

        @Bean
        ApplicationAvailabilityBean applicationAvailability() {
            return new ApplicationAvailabilityBean();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class Prices {

        @Bean
        SupervisedTask prices() {
            return (context) -> context.cancellation().await();
        }

    }

}
