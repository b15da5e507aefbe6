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

package dev.criticaltask.spring.autoconfigure.health;

import java.time.Duration;

import dev.criticaltask.CriticalTaskRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthContributor;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CriticalTaskHealthAutoConfiguration}.
 */
@Tag("spring")
class CriticalTaskHealthAutoConfigurationTests {

    private static final String BEAN_NAME = "criticalTasksHealthContributor";

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CriticalTaskHealthAutoConfiguration.class));

    @Test
    void whenRegistryIsPresentShouldRegisterContributorNamedCriticalTasks() {
        this.contextRunner.withUserConfiguration(RegistryConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(CompositeHealthContributor.class);
            assertThat(context).hasBean(BEAN_NAME);
        });
    }

    @Test
    void whenTaskIsSpawnedAfterStartShouldListIt() {
        this.contextRunner.withUserConfiguration(RegistryConfiguration.class).run(context -> {
            CompositeHealthContributor contributor = context.getBean(BEAN_NAME, CompositeHealthContributor.class);
            assertThat(contributor.stream()).isEmpty();
            context.getBean(CriticalTaskRegistry.class).spawn("late", token -> token.await());
            await().untilAsserted(() -> assertThat(contributor.getContributor("late")).isNotNull());
            HealthContributor late = contributor.getContributor("late");
            Health health = ((HealthIndicator) late).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(contributor.stream()).extracting("name").containsExactly("late");
        });
    }

    @Test
    void whenRegistryIsMissingShouldBackOff() {
        this.contextRunner.run(context -> assertThat(context).doesNotHaveBean(BEAN_NAME));
    }

    @Test
    void whenHealthIndicatorIsDisabledShouldBackOff() {
        this.contextRunner.withUserConfiguration(RegistryConfiguration.class)
            .withPropertyValues("management.health.criticaltasks.enabled=false")
            .run(context -> assertThat(context).doesNotHaveBean(BEAN_NAME));
    }

    @Test
    void whenDefaultHealthIndicatorsAreDisabledShouldBackOff() {
        this.contextRunner.withUserConfiguration(RegistryConfiguration.class)
            .withPropertyValues("management.health.defaults.enabled=false")
            .run(context -> assertThat(context).doesNotHaveBean(BEAN_NAME));
    }

    @Test
    void whenCriticalTasksAreDisabledShouldBackOff() {
        this.contextRunner.withUserConfiguration(RegistryConfiguration.class)
            .withPropertyValues("critical-task.enabled=false")
            .run(context -> assertThat(context).doesNotHaveBean(BEAN_NAME));
    }

    // Through the auto-configuration import filter, as in an application: a class that
    // AutoConfigurations.of registers directly would have its conditions loaded before
    // they are
    // evaluated, which fails without the library instead of backing off.
    @Test
    void whenSpringBootHealthIsMissingShouldBackOff() {
        new ApplicationContextRunner().withUserConfiguration(RegistryConfiguration.class, ImportedConfiguration.class)
            .withClassLoader(new FilteredClassLoader("org.springframework.boot.health"))
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(BEAN_NAME);
            });
    }

    @Test
    void whenLibraryIsPresentShouldPassTheImportFilter() {
        new ApplicationContextRunner().withUserConfiguration(RegistryConfiguration.class, ImportedConfiguration.class)
            .run(context -> assertThat(context).hasBean(BEAN_NAME));
    }

    @Test
    void whenUserDefinesContributorShouldBackOff() {
        this.contextRunner.withUserConfiguration(RegistryConfiguration.class, UserContributorConfiguration.class)
            .run(context -> {
                assertThat(context).hasSingleBean(HealthIndicator.class);
                assertThat(context.getBean(BEAN_NAME)).isSameAs(context.getBean("userContributor"));
            });
    }

    @Test
    void whenUserDefinesIndicatorOfTheSameHealthNameShouldBackOff() {
        this.contextRunner.withUserConfiguration(RegistryConfiguration.class, UserIndicatorConfiguration.class)
            .run(context -> {
                assertThat(context).doesNotHaveBean(BEAN_NAME);
                assertThat(context).hasBean("criticalTasksHealthIndicator");
            });
    }

    @Configuration(proxyBeanMethods = false)
    static class RegistryConfiguration {

        @Bean(destroyMethod = "")
        CriticalTaskRegistry criticalTaskRegistry() {
            return new CriticalTaskRegistry();
        }

        @Bean
        AutoCloseable registryStopper(CriticalTaskRegistry registry) {
            return () -> registry.stop(Duration.ofSeconds(5));
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class UserContributorConfiguration {

        @Bean(name = { BEAN_NAME, "userContributor" })
        HealthIndicator userContributor() {
            return () -> Health.up().build();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class UserIndicatorConfiguration {

        @Bean
        HealthIndicator criticalTasksHealthIndicator() {
            return () -> Health.up().build();
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ CriticalTaskHealthAutoConfiguration.class })
    static class ImportedConfiguration {

    }

}
