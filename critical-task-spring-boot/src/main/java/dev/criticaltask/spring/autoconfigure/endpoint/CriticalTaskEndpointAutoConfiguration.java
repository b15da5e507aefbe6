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

import dev.criticaltask.spring.autoconfigure.ConditionalOnCriticalTaskEnabled;
import java.util.Set;

import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.actuate.endpoint.CriticalTasksEndpoint;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.scheduling.CriticalJobs;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Auto-configuration of the read-only {@link CriticalTasksEndpoint criticaltasks}
 * endpoint.
 *
 * <p>
 * The endpoint shows exception messages under the same rule as the health endpoint shows
 * details: {@code management.endpoint.health.show-details} and
 * {@code management.endpoint.health.roles}. They are bound here from the environment
 * rather than taken from Boot's {@code HealthEndpointProperties} bean, because that bean
 * exists only when {@code spring-boot-health} is present and the health endpoint is
 * available; the endpoint must be as careful without them.
 *
 * <p>
 * Like every actuator endpoint it must be exposed
 * ({@code management.endpoints.web.exposure.include}) and accessible to be created; it is
 * off with {@code critical-task.enabled=false}.
 */
@AutoConfiguration(after = CriticalTaskAutoConfiguration.class,
        afterName = "org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration")
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(CriticalTaskRegistry.class)
@ConditionalOnCriticalTaskEnabled
@ConditionalOnAvailableEndpoint(CriticalTasksEndpoint.class)
public final class CriticalTaskEndpointAutoConfiguration {

    /**
     * Creates the auto-configuration; Spring Boot does so when its conditions match.
     */
    public CriticalTaskEndpointAutoConfiguration() {
    }

    private static final String HEALTH_PREFIX = "management.endpoint.health.";

    @Bean
    @ConditionalOnMissingBean
    CriticalTasksEndpoint criticalTasksEndpoint(CriticalTaskRegistry registry, ObjectProvider<CriticalJobs> jobs,
            Environment environment) {
        Binder binder = Binder.get(environment);
        // Boot's default for health details: never
        Show showDetails = binder.bind(HEALTH_PREFIX + "show-details", Show.class).orElse(Show.NEVER);
        Set<String> roles = binder.bind(HEALTH_PREFIX + "roles", Bindable.setOf(String.class)).orElse(Set.of());
        return new CriticalTasksEndpoint(registry, showDetails, roles, jobs::getIfAvailable);
    }

}
