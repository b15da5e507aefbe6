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
import java.util.concurrent.CountDownLatch;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTask;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A task failure in a context that a test started through {@code SpringApplication} (as
 * {@code @SpringBootTest} does, with its shutdown hook and everything) closes the context
 * and never exits the JVM: if it did, this test run would end here.
 *
 * <p>
 * Not a {@code @SpringBootTest} itself: there the starter leaves the context to the
 * TestContext framework and fails the test (see {@code UserTestRunTests}).
 */
@Tag("spring")
class SpringApplicationInTestTests {

    @Test
    void failureClosesTheContextWithoutExitingTheJvm() {
        ConfigurableApplicationContext context = new SpringApplicationBuilder(Config.class).web(WebApplicationType.NONE)
            .properties("critical-task.shutdown.grace-period=2s", "spring.main.banner-mode=off")
            .run();
        try {
            assertThat(context.isRunning()).isTrue();
            context.getBean(Config.class).fail.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> !context.isActive());
        }
        finally {
            context.close();
        }
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ CriticalTaskAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class })
    static class Config {

        final CountDownLatch fail = new CountDownLatch(1);

        @Bean
        CriticalTask worker() {
            return CancellationToken::await;
        }

        @Bean
        CriticalTask failing() {
            return (token) -> {
                this.fail.await();
                throw new IllegalStateException("boom");
            };
        }

    }

}
