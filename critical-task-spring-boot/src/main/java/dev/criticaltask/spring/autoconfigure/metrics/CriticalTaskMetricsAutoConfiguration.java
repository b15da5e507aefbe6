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

package dev.criticaltask.spring.autoconfigure.metrics;

import dev.criticaltask.spring.autoconfigure.ConditionalOnCriticalTaskEnabled;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.metrics.CriticalTaskMetrics;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration of {@link CriticalTaskMetrics}, bound by Spring Boot to the
 * application's {@link MeterRegistry}.
 *
 * <p>
 * It runs after Boot's metrics auto-configuration, so that the meter registry, when there
 * is one, is already known. Off with {@code critical-task.enabled=false}.
 */
@AutoConfiguration(after = CriticalTaskAutoConfiguration.class,
        afterName = { "org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration",
                "org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration" })
@ConditionalOnClass(MeterRegistry.class)
@ConditionalOnBean({ CriticalTaskRegistry.class, MeterRegistry.class })
@ConditionalOnCriticalTaskEnabled
public final class CriticalTaskMetricsAutoConfiguration {

    /**
     * Creates the auto-configuration; Spring Boot does so when its conditions match.
     */
    public CriticalTaskMetricsAutoConfiguration() {
    }

    @Bean
    @ConditionalOnMissingBean
    CriticalTaskMetrics criticalTaskMetrics(CriticalTaskRegistry registry) {
        return new CriticalTaskMetrics(registry);
    }

}
