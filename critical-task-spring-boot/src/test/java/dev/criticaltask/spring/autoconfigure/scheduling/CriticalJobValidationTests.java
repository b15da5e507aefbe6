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

package dev.criticaltask.spring.autoconfigure.scheduling;

import java.util.concurrent.CompletableFuture;

import dev.criticaltask.CriticalTask;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.FailureAnalyses;
import dev.criticaltask.spring.scheduling.Critical;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Each way a method cannot be a critical job fails start-up with a message that names the
 * bean, the method and the fix, through {@link InvalidCriticalJobFailureAnalyzer}.
 */
@Tag("spring")
class CriticalJobValidationTests {

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(CriticalTaskAutoConfiguration.class, CriticalJobAutoConfiguration.class))
        .withPropertyValues("critical-task.shutdown.grace-period=1s");

    @Test
    void whenAJobIsNeitherScheduledNorAsyncShouldFailStartUp() {
        assertStartupFailure(NeitherScheduledNorAsync.class,
                "The method NeitherScheduledNorAsync.work() of bean 'bean' cannot be a critical job: it is annotated "
                        + "@Critical, but it is neither @Scheduled nor @Async, so nothing runs it as a job.",
                "Add @Scheduled or @Async to it, or remove @Critical.");
    }

    @Test
    void whenAnAsyncJobReturnsAFutureShouldFailStartUp() {
        assertStartupFailure(AsyncReturnsFuture.class,
                "The method AsyncReturnsFuture.work() of bean 'bean' cannot be a critical job: it is annotated @Critical "
                        + "and it is @Async, but it returns CompletableFuture: its exception goes to the caller",
                "Make it return void, or remove @Critical");
    }

    @Test
    void whenAScheduledJobReturnsAMonoShouldFailStartUp() {
        this.contextRunner.withUserConfiguration(Scheduling.class)
            .withBean("bean", ScheduledMono.class)
            .run((context) -> {
                FailureAnalysis analysis = analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains(
                        "The method ScheduledMono.tick() of bean 'bean' cannot be a " + "critical job",
                        "but it returns the reactive type reactor.core.publisher.Mono: Spring subscribes "
                                + "to it, and its errors never escape the method call");
                assertThat(analysis.getAction()).contains("run the reactive pipeline as a ReactiveCriticalTask bean");
            });
    }

    @Test
    void whenAJobIsPrivateShouldFailStartUp() {
        assertStartupFailure(PrivateMethod.class,
                "The method PrivateMethod.tick() of bean 'bean' cannot be a critical job: it is annotated @Critical, "
                        + "but it is private, and a proxy cannot intercept a private method to see its exceptions.",
                "Make the method neither private, nor final, nor static, or remove @Critical.");
    }

    @Test
    void whenAJobIsFinalShouldFailStartUp() {
        assertStartupFailure(FinalMethod.class, "but it is final, and a proxy cannot intercept a final method",
                "Make the method neither private, nor final, nor static");
    }

    @Test
    void whenAJobIsStaticShouldFailStartUp() {
        assertStartupFailure(StaticMethod.class, "but it is static, and a proxy cannot intercept a static method",
                "Make the method neither private, nor final, nor static");
    }

    @Test
    void whenAllCriticalMeetsAPrivateScheduledMethodShouldFailStartUpWithItsOwnFix() {
        this.contextRunner.withPropertyValues("critical-task.scheduling.all-critical=true")
            .withBean("bean", PrivateUnannotated.class, PrivateUnannotated::new)
            .run((context) -> {
                FailureAnalysis analysis = analyze(context.getStartupFailure());
                assertThat(analysis.getDescription()).contains("PrivateUnannotated.tick() of bean 'bean'",
                        "critical-task.scheduling.all-critical is true, but it is private");
                assertThat(analysis.getAction()).contains(
                        "set critical-task.scheduling.all-critical=false and annotate the critical methods with @Critical");
            });
    }

    @Test
    void whenTwoJobsShareANameShouldFailStartUp() {
        this.contextRunner.withBean("first", SameNameA.class, SameNameA::new)
            .withBean("second", SameNameB.class, SameNameB::new)
            .run((context) -> {
                FailureAnalysis analysis = analyze(context.getStartupFailure());
                assertThat(analysis.getDescription())
                    .isEqualTo("The method SameNameB.tick() of bean 'second' cannot be "
                            + "a critical job: its task name 'refresh' is already the name of SameNameA.tick() of bean "
                            + "'first' (a critical job is named <beanName>.<methodName> unless @Critical names it).");
                assertThat(analysis.getAction())
                    .isEqualTo("Give one of the two methods a distinct task name with @Critical(\"...\").");
            });
    }

    @Test
    void whenAJobIsNamedLikeATaskBeanShouldFailStartUp() {
        this.contextRunner.withBean("refresh", CriticalTask.class, () -> (token) -> token.await())
            .withBean("bean", SameNameA.class, SameNameA::new)
            .run((context) -> {
                FailureAnalysis analysis = analyze(context.getStartupFailure());
                assertThat(analysis.getDescription())
                    .isEqualTo("The method SameNameA.tick() of bean 'bean' cannot be a "
                            + "critical job: its task name 'refresh' is already the name of a CriticalTask, SupervisedTask "
                            + "or CriticalTaskSpec bean.");
                assertThat(analysis.getAction())
                    .isEqualTo("Give the method another task name with @Critical(\"...\"), or rename the task bean.");
            });
    }

    @Test
    void whenAJobIsGivenAHeartbeatShouldFailStartUp() {
        this.contextRunner.withUserConfiguration(Scheduling.class)
            .withBean("bean", FineJob.class, FineJob::new)
            .withPropertyValues("critical-task.tasks[bean.tick].heartbeat.timeout=5s")
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = FailureAnalyses.ofInvalidProperty(context.getStartupFailure());
                assertThat(analysis.getDescription()).isEqualTo("Invalid value 'PT5S' for configuration property "
                        + "'critical-task.tasks[bean.tick].heartbeat.timeout'. Validation failed for the following "
                        + "reason:" + System.lineSeparator() + System.lineSeparator() + "'bean.tick' is a critical "
                        + "@Scheduled method, which the scheduler runs: it has no TaskContext to send heartbeats "
                        + "with.");
                assertThat(analysis.getAction()).contains("no value (a job cannot have a heartbeat");
            });
    }

    @Test
    void whenAJobsPropertyHasNoBracketsShouldFailStartUp() {
        this.contextRunner.withUserConfiguration(Scheduling.class)
            .withBean("bean", FineJob.class, FineJob::new)
            .withPropertyValues("critical-task.tasks.bean.tick.restart.max-restarts=2")
            .run((context) -> {
                assertThat(context).hasFailed();
                FailureAnalysis analysis = FailureAnalyses.ofUnknownProperty(context.getStartupFailure());
                // without the check, the binder would bind a task 'bean' with nothing
                // set: silently ignored
                assertThat(analysis.getDescription())
                    .contains("Property: critical-task.tasks.bean.tick.restart.max-restarts")
                    .contains("Did you mean: critical-task.tasks[bean.tick].restart.max-restarts");
                assertThat(analysis.getAction()).contains("Rename each property");
            });
    }

    @Test
    void whenFailureAnalyzersAreLoadedShouldIncludeTheJobAnalyzer() {
        assertThat(org.springframework.core.io.support.SpringFactoriesLoader.forDefaultResourceLocation()
            .load(org.springframework.boot.diagnostics.FailureAnalyzer.class,
                    org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler
                        .handleMessage((message, failure) -> {
                            // other analyzers want constructor arguments: not the point
                            // here
                        })))
            .hasAtLeastOneElementOfType(InvalidCriticalJobFailureAnalyzer.class);
    }

    private void assertStartupFailure(Class<?> beanClass, String description, String action) {
        this.contextRunner.withBean("bean", beanClass).run((context) -> {
            FailureAnalysis analysis = analyze(context.getStartupFailure());
            assertThat(analysis.getDescription()).contains(description);
            assertThat(analysis.getAction()).contains(action);
        });
    }

    private static FailureAnalysis analyze(Throwable failure) {
        assertThat(failure).isNotNull();
        FailureAnalysis analysis = new InvalidCriticalJobFailureAnalyzer().analyze(failure);
        assertThat(analysis).as("analysis of %s", failure).isNotNull();
        return analysis;
    }

    @org.springframework.context.annotation.Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class Scheduling {

    }

    static class NeitherScheduledNorAsync {

        @Critical
        public void work() {
        }

    }

    static class AsyncReturnsFuture {

        @Critical
        @Async
        public CompletableFuture<String> work() {
            return CompletableFuture.completedFuture("done");
        }

    }

    static class ScheduledMono {

        @Critical
        @Scheduled(fixedDelay = 60_000)
        public Mono<Void> tick() {
            return Mono.empty();
        }

    }

    static class PrivateMethod {

        @Critical
        @Scheduled(fixedDelay = 1000)
        private void tick() {
        }

    }

    static class FinalMethod {

        @Critical
        @Scheduled(fixedDelay = 1000)
        final void tick() {
        }

    }

    static class StaticMethod {

        @Critical
        @Scheduled(fixedDelay = 1000)
        static void tick() {
        }

    }

    static class PrivateUnannotated {

        @Scheduled(fixedDelay = 1000)
        private void tick() {
        }

    }

    static class SameNameA {

        @Critical("refresh")
        @Scheduled(fixedDelay = 60000)
        void tick() {
        }

    }

    static class SameNameB {

        @Critical("refresh")
        @Scheduled(fixedDelay = 60000)
        void tick() {
        }

    }

    static class FineJob {

        @Critical
        @Scheduled(fixedDelay = 60000)
        void tick() {
        }

    }

}
