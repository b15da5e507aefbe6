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

import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.availability.CriticalTaskReadiness;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} of the application's availability when it runs critical tasks:
 * Spring Boot's own {@link ApplicationAvailability}, whose readiness also waits for the
 * tasks that await their ready signal ({@link CriticalTaskReadiness}). Backs off when the
 * application defines its own {@code ApplicationAvailability}, and then readiness does
 * not wait for tasks: a WARN says so when a task awaits its ready signal.
 */
@AutoConfiguration(after = CriticalTaskAutoConfiguration.class, before = ApplicationAvailabilityAutoConfiguration.class)
@ConditionalOnClass(ApplicationAvailability.class)
@ConditionalOnBean(CriticalTaskRegistry.class)
public final class CriticalTaskAvailabilityAutoConfiguration {

    /**
     * Creates the auto-configuration; Spring Boot does so when its conditions match.
     */
    public CriticalTaskAvailabilityAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean(ApplicationAvailability.class)
    CriticalTaskReadiness applicationAvailability(CriticalTaskRegistry criticalTaskRegistry,
            ApplicationEventPublisher applicationEventPublisher) {
        return new CriticalTaskReadiness(criticalTaskRegistry, applicationEventPublisher);
    }

    @Bean
    @ConditionalOnMissingBean
    UnawaitedReadinessWarning criticalTaskUnawaitedReadinessWarning(CriticalTaskRegistry criticalTaskRegistry,
            ObjectProvider<ApplicationAvailability> applicationAvailability) {
        return new UnawaitedReadinessWarning(criticalTaskRegistry, applicationAvailability);
    }

}
