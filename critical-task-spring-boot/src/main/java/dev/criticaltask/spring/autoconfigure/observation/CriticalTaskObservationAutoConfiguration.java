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

package dev.criticaltask.spring.autoconfigure.observation;

import dev.criticaltask.spring.autoconfigure.ConditionalOnCriticalTaskEnabled;
import java.util.Map;

import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.CriticalTaskProperties;
import dev.criticaltask.spring.autoconfigure.CriticalTaskSpecDecorator;
import dev.criticaltask.spring.autoconfigure.scheduling.CriticalJobAutoConfiguration;
import dev.criticaltask.spring.observation.CriticalTaskObservations;
import dev.criticaltask.spring.scheduling.CriticalJobs;
import io.micrometer.observation.ObservationRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@link CriticalTaskObservations}: when the application has an
 * {@link ObservationRegistry} bean (Spring Boot's observation auto-configuration makes
 * one), each attempt of a task the lifecycle spawns is a {@code critical.task.attempt}
 * observation and each run of a critical job a {@code critical.task.job.run} one, unless
 * {@code critical-task.tasks.<name>.observations.enabled=false}. Without such a bean
 * nothing is observed and nothing is wrapped. Off with
 * {@code critical-task.enabled=false}.
 */
@AutoConfiguration(after = { CriticalTaskAutoConfiguration.class, CriticalJobAutoConfiguration.class },
        afterName = "org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration")
@ConditionalOnClass(ObservationRegistry.class)
@ConditionalOnBean({ CriticalTaskRegistry.class, ObservationRegistry.class })
@ConditionalOnCriticalTaskEnabled
public final class CriticalTaskObservationAutoConfiguration {

    /**
     * Creates the auto-configuration; Spring Boot does so when its conditions match.
     */
    public CriticalTaskObservationAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    CriticalTaskObservations criticalTaskObservations(ObservationRegistry observationRegistry,
            CriticalTaskRegistry registry, ObjectProvider<CriticalTaskProperties> properties,
            ObjectProvider<CriticalJobs> jobs) {
        // absent when the application defines its own registry without the main
        // auto-configuration: every task is observed then
        CriticalTaskProperties configured = properties.getIfAvailable();
        Map<String, CriticalTaskProperties.Task> tasks = (configured != null) ? configured.getTasks() : Map.of();
        CriticalTaskObservations observations = new CriticalTaskObservations(observationRegistry, (name) -> {
            CriticalTaskProperties.Task task = tasks.get(name);
            return task == null || task.getObservations().isEnabled();
        });
        observations.bindTo(registry);
        jobs.ifAvailable((criticalJobs) -> criticalJobs.observeRuns(observations::jobRunStarting));
        return observations;
    }

    @Bean
    @ConditionalOnMissingBean(name = "criticalTaskObservationDecorator")
    CriticalTaskSpecDecorator criticalTaskObservationDecorator(CriticalTaskObservations criticalTaskObservations) {
        return criticalTaskObservations::observe;
    }

}
