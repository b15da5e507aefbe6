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

package dev.criticaltask.spring.autoconfigure.endpoint;

import java.time.Duration;
import java.util.Set;

import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.TaskState;
import dev.criticaltask.spring.actuate.endpoint.CriticalTasksEndpoint;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CriticalTaskEndpointAutoConfiguration}.
 */
@Tag("spring")
class CriticalTaskEndpointAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CriticalTaskEndpointAutoConfiguration.class));

    private final ApplicationContextRunner exposed = contextRunner
        .withPropertyValues("management.endpoints.web.exposure.include=criticaltasks");

    @Test
    void whenExposedShouldRegisterEndpoint() {
        this.exposed.withUserConfiguration(RegistryConfiguration.class)
            .run(context -> assertThat(context).hasSingleBean(CriticalTasksEndpoint.class));
    }

    @Test
    void whenNotExposedShouldBackOff() {
        this.contextRunner.withUserConfiguration(RegistryConfiguration.class)
            .run(context -> assertThat(context).doesNotHaveBean(CriticalTasksEndpoint.class));
    }

    @Test
    void whenAccessIsNoneShouldBackOff() {
        this.exposed.withUserConfiguration(RegistryConfiguration.class)
            .withPropertyValues("management.endpoint.criticaltasks.access=NONE")
            .run(context -> assertThat(context).doesNotHaveBean(CriticalTasksEndpoint.class));
    }

    @Test
    void whenRegistryIsMissingShouldBackOff() {
        this.exposed.run(context -> assertThat(context).doesNotHaveBean(CriticalTasksEndpoint.class));
    }

    @Test
    void whenCriticalTasksAreDisabledShouldBackOff() {
        this.exposed.withUserConfiguration(RegistryConfiguration.class)
            .withPropertyValues("critical-task.enabled=false")
            .run(context -> assertThat(context).doesNotHaveBean(CriticalTasksEndpoint.class));
    }

    // Through the auto-configuration import filter, as in an application: a class that
    // AutoConfigurations.of registers directly would have its conditions loaded before
    // they are
    // evaluated, which fails without the library instead of backing off.
    @Test
    void whenActuatorIsMissingShouldBackOff() {
        new ApplicationContextRunner().withPropertyValues("management.endpoints.web.exposure.include=criticaltasks")
            .withUserConfiguration(RegistryConfiguration.class, ImportedConfiguration.class)
            .withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate"))
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(CriticalTasksEndpoint.class);
            });
    }

    @Test
    void whenLibraryIsPresentShouldPassTheImportFilter() {
        new ApplicationContextRunner().withPropertyValues("management.endpoints.web.exposure.include=criticaltasks")
            .withUserConfiguration(RegistryConfiguration.class, ImportedConfiguration.class)
            .run(context -> assertThat(context).hasSingleBean(CriticalTasksEndpoint.class));
    }

    @Test
    void whenUserDefinesEndpointShouldBackOff() {
        this.exposed.withUserConfiguration(RegistryConfiguration.class, UserEndpointConfiguration.class)
            .run(context -> {
                assertThat(context).hasSingleBean(CriticalTasksEndpoint.class);
                assertThat(context).hasBean("userEndpoint");
            });
    }

    @Test
    void whenShowDetailsIsNotSetShouldHideMessages() {
        this.exposed.withUserConfiguration(RegistryConfiguration.class)
            .run(context -> assertThat(failureMessage(context.getBean(CriticalTaskRegistry.class),
                    context.getBean(CriticalTasksEndpoint.class)))
                .isNull());
    }

    @Test
    void whenHealthShowsDetailsAlwaysShouldShowMessages() {
        this.exposed.withUserConfiguration(RegistryConfiguration.class)
            .withPropertyValues("management.endpoint.health.show-details=always")
            .run(context -> assertThat(failureMessage(context.getBean(CriticalTaskRegistry.class),
                    context.getBean(CriticalTasksEndpoint.class)))
                .isEqualTo("secret"));
    }

    @Test
    void whenShowDetailsIsWhenAuthorizedShouldFollowHealthRoles() {
        this.exposed.withUserConfiguration(RegistryConfiguration.class)
            .withPropertyValues("management.endpoint.health.show-details=when-authorized",
                    "management.endpoint.health.roles=ops")
            .run(context -> {
                CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
                CriticalTasksEndpoint endpoint = context.getBean(CriticalTasksEndpoint.class);
                assertThat(failureMessage(registry, endpoint)).isNull();
                SecurityContext dev = securityContext(Set.of("dev"));
                SecurityContext ops = securityContext(Set.of("ops"));
                assertThat(endpoint.criticalTasks(dev).firstFailure().message()).isNull();
                assertThat(endpoint.criticalTasks(ops).firstFailure().message()).isEqualTo("secret");
            });
    }

    private static String failureMessage(CriticalTaskRegistry registry, CriticalTasksEndpoint endpoint) {
        CriticalTaskHandle task = registry.spawn("broken", token -> {
            throw new IllegalStateException("secret");
        });
        await().until(() -> task.state() == TaskState.FAILED);
        CriticalTasksEndpoint.FailureDescriptor failure = endpoint.criticalTasks(SecurityContext.NONE).firstFailure();
        assertThat(failure).isNotNull();
        assertThat(failure.exception()).isEqualTo(IllegalStateException.class.getName());
        return failure.message();
    }

    private static SecurityContext securityContext(Set<String> roles) {
        return new SecurityContext() {

            @Override
            public java.security.Principal getPrincipal() {
                return () -> "user";
            }

            @Override
            public boolean isUserInRole(String role) {
                return roles.contains(role);
            }

        };
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
    static class UserEndpointConfiguration {

        @Bean
        CriticalTasksEndpoint userEndpoint(CriticalTaskRegistry registry) {
            return new CriticalTasksEndpoint(registry, Show.ALWAYS, Set.of());
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ CriticalTaskEndpointAutoConfiguration.class })
    static class ImportedConfiguration {

    }

}
