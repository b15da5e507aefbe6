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

import java.time.Duration;

import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.metrics.CriticalTaskMetrics;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.CompositeMeterRegistryAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.simple.SimpleMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link CriticalTaskMetricsAutoConfiguration}.
 */
@Tag("spring")
class CriticalTaskMetricsAutoConfigurationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner().withConfiguration(
            AutoConfigurations.of(MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
                    SimpleMetricsExportAutoConfiguration.class, CriticalTaskMetricsAutoConfiguration.class));

    @Test
    void whenMeterRegistryIsPresentShouldBindMetricsToIt() {
        this.contextRunner.withUserConfiguration(RegistryConfiguration.class).run(context -> {
            assertThat(context).hasSingleBean(CriticalTaskMetrics.class);
            MeterRegistry meterRegistry = context.getBean(MeterRegistry.class);
            assertThat(meterRegistry.find(CriticalTaskMetrics.ABANDONED).functionCounter()).isNotNull();
            CriticalTaskHandle task = context.getBean(CriticalTaskRegistry.class)
                .spawn("worker", token -> token.await());
            await().untilAsserted(() -> {
                LongTaskTimer timer = meterRegistry.find(CriticalTaskMetrics.ACTIVE)
                    .tag("task", "worker")
                    .longTaskTimer();
                assertThat(timer).isNotNull();
                assertThat(timer.activeTasks()).isEqualTo(1);
            });
            task.cancel();
            task.join();
            assertThat(
                    meterRegistry.get(CriticalTaskMetrics.ACTIVE).tag("task", "worker").longTaskTimer().activeTasks())
                .isZero();
        });
    }

    @Test
    void whenRegistryIsMissingShouldBackOff() {
        this.contextRunner.run(context -> assertThat(context).doesNotHaveBean(CriticalTaskMetrics.class));
    }

    @Test
    void whenMeterRegistryIsMissingShouldBackOff() {
        new ApplicationContextRunner()
            .withConfiguration(AutoConfigurations.of(CriticalTaskMetricsAutoConfiguration.class))
            .withUserConfiguration(RegistryConfiguration.class)
            .run(context -> assertThat(context).doesNotHaveBean(CriticalTaskMetrics.class));
    }

    // Through the auto-configuration import filter, as in an application: a class that
    // AutoConfigurations.of registers directly would have its conditions loaded before
    // they are
    // evaluated, which fails without the library instead of backing off.
    @Test
    void whenMicrometerIsMissingShouldBackOff() {
        new ApplicationContextRunner().withUserConfiguration(RegistryConfiguration.class, ImportedConfiguration.class)
            .withClassLoader(new FilteredClassLoader("io.micrometer.core"))
            .run(context -> {
                assertThat(context).hasNotFailed();
                assertThat(context).doesNotHaveBean(CriticalTaskMetrics.class);
            });
    }

    @Test
    void whenLibraryIsPresentShouldPassTheImportFilter() {
        new ApplicationContextRunner().withUserConfiguration(RegistryConfiguration.class, ImportedConfiguration.class)
            .run(context -> assertThat(context).hasSingleBean(CriticalTaskMetrics.class));
    }

    @Test
    void whenCriticalTasksAreDisabledShouldBackOff() {
        this.contextRunner.withUserConfiguration(RegistryConfiguration.class)
            .withPropertyValues("critical-task.enabled=false")
            .run(context -> assertThat(context).doesNotHaveBean(CriticalTaskMetrics.class));
    }

    @Test
    void whenUserDefinesMetricsShouldBackOff() {
        this.contextRunner.withUserConfiguration(RegistryConfiguration.class, UserMetricsConfiguration.class)
            .run(context -> {
                assertThat(context).hasSingleBean(CriticalTaskMetrics.class);
                assertThat(context).hasBean("userMetrics");
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
    static class UserMetricsConfiguration {

        @Bean
        CriticalTaskMetrics userMetrics(CriticalTaskRegistry registry) {
            return new CriticalTaskMetrics(registry);
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ MetricsAutoConfiguration.class, CompositeMeterRegistryAutoConfiguration.class,
            SimpleMetricsExportAutoConfiguration.class, CriticalTaskMetricsAutoConfiguration.class })
    static class ImportedConfiguration {

    }

}
