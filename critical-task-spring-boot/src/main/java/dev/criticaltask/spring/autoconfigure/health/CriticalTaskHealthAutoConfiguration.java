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

import dev.criticaltask.spring.autoconfigure.ConditionalOnCriticalTaskEnabled;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.health.CriticalTasksHealthContributor;
import dev.criticaltask.spring.scheduling.CriticalJobs;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.health.autoconfigure.contributor.ConditionalOnEnabledHealthIndicator;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of the {@code criticalTasks} health contributor: one entry per task
 * of the {@link CriticalTaskRegistry}, listed live, so that tasks spawned after start-up
 * appear too.
 *
 * <p>
 * A task is {@code UP} while it runs and after it completed, {@code DOWN} when it failed,
 * and {@code OUT_OF_SERVICE} while it stops (its token is cancelled) or after it was
 * cancelled. Its details (state, start and end, the failure's type and message, and for a
 * critical {@code @Scheduled} or {@code @Async} method its runs and schedule) are shown
 * only where {@code management.endpoint.health.show-details} allows. Turned off with
 * {@code management.health.criticaltasks.enabled=false} (or
 * {@code management.health.defaults.enabled=false}), and with
 * {@code critical-task.enabled=false}. A user bean named
 * {@code criticalTasksHealthContributor} or {@code criticalTasksHealthIndicator} replaces
 * it.
 */
@AutoConfiguration(after = CriticalTaskAutoConfiguration.class)
@ConditionalOnClass({ CompositeHealthContributor.class, ConditionalOnEnabledHealthIndicator.class })
@ConditionalOnBean(CriticalTaskRegistry.class)
@ConditionalOnCriticalTaskEnabled
@ConditionalOnEnabledHealthIndicator("criticaltasks")
public final class CriticalTaskHealthAutoConfiguration {

    /**
     * Creates the auto-configuration; Spring Boot does so when its conditions match.
     */
    public CriticalTaskHealthAutoConfiguration() {
    }

    // The contributor's name, criticalTasks, is the bean name without its suffix.
    @Bean
    @ConditionalOnMissingBean(name = { "criticalTasksHealthIndicator", "criticalTasksHealthContributor" })
    CompositeHealthContributor criticalTasksHealthContributor(CriticalTaskRegistry registry,
            ObjectProvider<CriticalJobs> jobs) {
        return new CriticalTasksHealthContributor(registry, jobs::getIfAvailable);
    }

}
