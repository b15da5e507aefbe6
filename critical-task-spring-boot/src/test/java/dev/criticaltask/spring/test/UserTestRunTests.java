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

package dev.criticaltask.spring.test;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.TaskState;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.testsupport.ChildProcess;
import dev.criticaltask.testsupport.ChildProcesses;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

import static dev.criticaltask.testsupport.ChildProcesses.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Task failures inside a user's test run, in a JVM of its own that runs the JUnit
 * Platform launcher as a build does ({@link UserTestRun}): the test classes nested here
 * are the user's, and run only there.
 *
 * <ul>
 * <li>A task that fails inside a {@code @SpringBootTest} fails that test with the
 * {@code CriticalTaskFailedException}, which names the task; the framework drops the
 * context, and the next class, of the same configuration, gets a fresh one and passes. A
 * test that says {@link ExpectedCriticalTaskFailure} passes, and the next class still
 * gets a fresh context.</li>
 * <li>A context that a test starts on another thread never exits the JVM when its task
 * fails: the run completes.</li>
 * </ul>
 */
@Tag("spring")
@Tag("child-jvm")
class UserTestRunTests {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses(UserTestRun.class);

    @Test
    void whenATaskFailsInsideASpringBootTestShouldFailThatTestNamingTheTaskAndTheNextClassPass() throws Exception {
        ChildProcess child = this.children.start(FailingTaskTests.class.getName(), ExpectedFailureTests.class.getName(),
                NextClassTests.class.getName());
        assertThat(child.awaitExit()).isZero();
        String output = child.output();
        assertThat(output).contains("RUN COMPLETED succeeded=3 failed=1 containersFailed=0")
            .contains("RESULT test whenATaskFailsShouldFailThisTest() FAILED "
                    + "dev.criticaltask.CriticalTaskFailedException: Critical task 'failing' crashed: "
                    + "java.lang.IllegalStateException: boom")
            .contains("RESULT test whenTheNextTestRunsShouldHaveAFreshContext() SUCCESSFUL")
            .contains("RESULT test whenATestMakesATaskFailOnPurposeShouldItPassAndSeeTheFailure() SUCCESSFUL")
            .contains("RESULT test whenTheNextClassRunsShouldHaveAFreshContext() SUCCESSFUL")
            .doesNotContain("LifecycleProcessor not initialized", "has been closed already");
        assertThat(count(output, "Not closing the application context")).isEqualTo(2);
    }

    @Test
    void whenATaskFailsInsideADirtiesContextTestShouldFailThatTestOnlyAndTheNextClassPass() throws Exception {
        // issue #12 saw the class error twice with "LifecycleProcessor not initialized",
        // with @DirtiesContext as without it
        ChildProcess child = this.children.start(DirtiedContextTests.class.getName(), NextClassTests.class.getName());
        assertThat(child.awaitExit()).isZero();
        assertThat(child.output()).contains("RUN COMPLETED succeeded=1 failed=1 containersFailed=0")
            .contains("RESULT test whenATaskFailsInADirtiedContextShouldFailThisTest() FAILED "
                    + "dev.criticaltask.CriticalTaskFailedException: Critical task 'failing' crashed: "
                    + "java.lang.IllegalStateException: boom")
            .contains("RESULT test whenTheNextClassRunsShouldHaveAFreshContext() SUCCESSFUL")
            .doesNotContain("LifecycleProcessor not initialized", "has been closed already");
    }

    @Test
    void whenATestStartsAContextOffItsThreadShouldTheRunCompleteWithoutExitingTheJvm() throws Exception {
        ChildProcess child = this.children.start(OffThreadTests.class.getName());
        assertThat(child.awaitExit()).isZero();
        assertThat(child.output()).contains("RUN COMPLETED succeeded=1 failed=0 containersFailed=0")
            .contains("Not exiting the process: the application context belongs to a test")
            .doesNotContain("Exiting the process with status");
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ CriticalTaskAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class })
    static class UserApplication {

        final CountDownLatch fail = new CountDownLatch(1);

        @Bean
        CriticalTask worker() {
            return CancellationToken::await;
        }

        @Bean
        CriticalTask failing() {
            return (token) -> {
                this.fail.await();
                throw new IllegalStateException("boom");
            };
        }

    }

    @Order(1)
    @SpringBootTest(classes = UserApplication.class, properties = "critical-task.shutdown.grace-period=2s")
    @EnabledIfSystemProperty(named = UserTestRun.ENABLED, matches = "true")
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class FailingTaskTests {

        @Autowired
        UserApplication application;

        @Autowired
        CriticalTaskRegistry registry;

        @Test
        @Order(1)
        void whenATaskFailsShouldFailThisTest() {
            this.application.fail.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> this.registry.firstFailure().isPresent());
        }

        @Test
        @Order(2)
        void whenTheNextTestRunsShouldHaveAFreshContext() {
            assertThat(this.registry.firstFailure()).isEmpty();
            await().atMost(Duration.ofSeconds(20))
                .until(() -> this.registry.find("worker").map(CriticalTaskHandle::state).orElse(null),
                        (state) -> state == TaskState.RUNNING);
        }

    }

    @Order(3)
    @SpringBootTest(classes = UserApplication.class, properties = "critical-task.shutdown.grace-period=2s")
    @EnabledIfSystemProperty(named = UserTestRun.ENABLED, matches = "true")
    static class NextClassTests {

        @Autowired
        ConfigurableApplicationContext context;

        @Autowired
        CriticalTaskRegistry registry;

        @Test
        void whenTheNextClassRunsShouldHaveAFreshContext() {
            assertThat(this.context.isActive()).isTrue();
            assertThat(this.registry.firstFailure()).isEmpty();
            await().atMost(Duration.ofSeconds(20))
                .until(() -> this.registry.find("worker").map(CriticalTaskHandle::state).orElse(null),
                        (state) -> state == TaskState.RUNNING);
        }

    }

    @SpringBootTest(classes = UserApplication.class, properties = "critical-task.shutdown.grace-period=2s")
    @DirtiesContext
    @EnabledIfSystemProperty(named = UserTestRun.ENABLED, matches = "true")
    static class DirtiedContextTests {

        @Autowired
        UserApplication application;

        @Autowired
        CriticalTaskRegistry registry;

        @Test
        void whenATaskFailsInADirtiedContextShouldFailThisTest() {
            this.application.fail.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> this.registry.firstFailure().isPresent());
        }

    }

    @Order(2)
    @SpringBootTest(classes = UserApplication.class, properties = "critical-task.shutdown.grace-period=2s")
    @EnabledIfSystemProperty(named = UserTestRun.ENABLED, matches = "true")
    static class ExpectedFailureTests {

        @Autowired
        UserApplication application;

        @Autowired
        CriticalTaskRegistry registry;

        @Test
        @ExpectedCriticalTaskFailure
        void whenATestMakesATaskFailOnPurposeShouldItPassAndSeeTheFailure() {
            this.application.fail.countDown();
            await().atMost(Duration.ofSeconds(20)).until(() -> this.registry.firstFailure().isPresent());
            assertThat(this.registry.find("failing").orElseThrow().state()).isEqualTo(TaskState.FAILED);
        }

    }

    @EnabledIfSystemProperty(named = UserTestRun.ENABLED, matches = "true")
    static class OffThreadTests {

        @Test
        void whenATaskOfAContextStartedOffTheTestThreadFailsShouldOnlyCloseTheContext() throws Exception {
            ConfigurableApplicationContext context = CompletableFuture
                .supplyAsync(() -> new SpringApplicationBuilder(UserApplication.class).web(WebApplicationType.NONE)
                    .properties("critical-task.shutdown.grace-period=2s", "spring.main.banner-mode=off")
                    .run())
                .get();
            try {
                context.getBean(UserApplication.class).fail.countDown();
                await().atMost(Duration.ofSeconds(20)).until(() -> !context.isActive());
                // the shutdown thread decides whether to exit once the context has closed
                await().atMost(Duration.ofSeconds(20))
                    .until(() -> Thread.getAllStackTraces()
                        .keySet()
                        .stream()
                        .noneMatch((thread) -> thread.getName().equals("critical-task-failure-shutdown")));
            }
            finally {
                context.close();
            }
        }

    }

}
