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

package dev.criticaltask.spring.scheduling;

import java.time.Duration;

import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.scheduling.CriticalJobAutoConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job's schedule, as Spring's real scheduler holds it, found without reflection on
 * Spring's private fields: by the {@code <class>.<method>} that a scheduled task's
 * runnable names.
 */
@Tag("spring")
class CriticalJobSchedulesTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CriticalTaskAutoConfiguration.class,
                CriticalJobAutoConfiguration.class, TaskSchedulingAutoConfiguration.class))
        .withUserConfiguration(Scheduling.class);

    @Test
    void whenAJobIsScheduledShouldShowItsScheduleAndNextRun() {
        this.contextRunner.withBean("hourly", Hourly.class, Hourly::new).run((context) -> {
            CriticalJobs jobs = context.getBean(CriticalJobs.class);
            await().atMost(TIMEOUT).until(() -> jobs.find("hourly.tick").orElseThrow().nextRunAt() != null);
            CriticalJobStatus job = jobs.find("hourly.tick").orElseThrow();
            assertThat(job.schedule()).isEqualTo("fixed delay PT1H, initial delay PT1H");
            assertThat(job.trigger()).isEqualTo(CriticalJobStatus.Trigger.SCHEDULED);
        });
    }

    @Test
    void whenTwoBeansShareAClassShouldShowEachJobTheScheduleTheyShare() {
        this.contextRunner.withBean("first", Hourly.class, Hourly::new)
            .withBean("second", Hourly.class, Hourly::new)
            .run((context) -> {
                CriticalJobs jobs = context.getBean(CriticalJobs.class);
                await().atMost(TIMEOUT).until(() -> jobs.jobs().stream().allMatch((job) -> job.nextRunAt() != null));
                assertThat(jobs.jobs()).extracting(CriticalJobStatus::name)
                    .containsExactly("first.tick", "second.tick");
                assertThat(jobs.jobs()).extracting(CriticalJobStatus::schedule)
                    .containsOnly("fixed delay PT1H, initial delay PT1H");
            });
    }

    @Test
    void whenTwoClassesHaveMethodsOfOneNameShouldTellTheirSchedulesApart() {
        this.contextRunner.withBean("hourly", Hourly.class, Hourly::new)
            .withBean("daily", Daily.class, Daily::new)
            .run((context) -> {
                CriticalJobs jobs = context.getBean(CriticalJobs.class);
                await().atMost(TIMEOUT).until(() -> jobs.jobs().stream().allMatch((job) -> job.nextRunAt() != null));
                assertThat(jobs.find("hourly.tick").orElseThrow().schedule())
                    .isEqualTo("fixed delay PT1H, initial delay PT1H");
                assertThat(jobs.find("daily.tick").orElseThrow().schedule()).isEqualTo("cron 0 0 3 * * *");
            });
    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class Scheduling {

    }

    static class Hourly {

        @Critical
        @Scheduled(fixedDelay = 3_600_000, initialDelay = 3_600_000)
        void tick() {
        }

    }

    static class Daily {

        @Critical
        @Scheduled(cron = "0 0 3 * * *")
        void tick() {
        }

    }

}
