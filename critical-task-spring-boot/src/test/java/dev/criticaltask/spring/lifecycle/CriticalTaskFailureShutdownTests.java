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

package dev.criticaltask.spring.lifecycle;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Tests for what a task failure does to an application context. These contexts belong to
 * a test: the JVM must never be exited (if it were, this test run would end here).
 */
@Tag("spring")
@ExtendWith(OutputCaptureExtension.class)
class CriticalTaskFailureShutdownTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(AutoConfigurations.of(CriticalTaskAutoConfiguration.class,
                ApplicationAvailabilityAutoConfiguration.class))
        .withPropertyValues("critical-task.shutdown.grace-period=2s")
        .withBean(Events.class);

    @Test
    void whenATaskFailsShouldCloseTheContextOnceWithoutExitingTheJvm(CapturedOutput output) {
        this.contextRunner.withUserConfiguration(FailOnSignal.class).run((context) -> {
            ConfigurableApplicationContext source = context.getSourceApplicationContext();
            Events events = context.getBean(Events.class);
            ApplicationAvailability availability = context.getBean(ApplicationAvailability.class);
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            context.getBean(FailOnSignal.class).fail.countDown();
            await().atMost(TIMEOUT).until(() -> !source.isActive());
            List<CriticalTaskFailedEvent> failures = events.ofType(CriticalTaskFailedEvent.class);
            assertThat(failures).singleElement().satisfies((event) -> {
                assertThat(event.getTaskName()).isEqualTo("failing");
                assertThat(event.getCause()).isInstanceOf(IllegalStateException.class).hasMessage("boom");
                assertThat(event.getFailure()).isSameAs(registry.firstFailure().orElseThrow());
                assertThat(event.getSource()).isSameAs(registry);
            });
            assertThat(registry.rootToken().reason()).containsSame(failures.get(0).getFailure());
            assertThat(events.availability()).containsSubsequence(LivenessState.BROKEN,
                    ReadinessState.REFUSING_TRAFFIC);
            assertThat(availability.getLivenessState()).isEqualTo(LivenessState.BROKEN);
            assertThat(availability.getReadinessState()).isEqualTo(ReadinessState.REFUSING_TRAFFIC);
            assertThat(events.ofType(ContextClosedEvent.class)).hasSize(1);
            assertThat(events.threads).containsOnly(FailureShutdown.THREAD_NAME);
            assertThat(output).contains("Not exiting the process: the application context belongs to a test");
        });
        // one ERROR line, from the registry through Spring's logging, with the stack
        assertThat(count(output.toString(), "Critical task 'failing' crashed: java.lang.IllegalStateException: boom"))
            .isOne();
        assertThat(output).contains("ERROR");
    }

    @Test
    void whenATaskFailsShouldPublishTheFailureBeforeTheContextCloses() {
        this.contextRunner.withUserConfiguration(FailOnSignal.class).run((context) -> {
            ConfigurableApplicationContext source = context.getSourceApplicationContext();
            Events events = context.getBean(Events.class);
            context.getBean(FailOnSignal.class).fail.countDown();
            await().atMost(TIMEOUT).until(() -> !source.isActive());
            assertThat(events.events).first().isInstanceOf(CriticalTaskFailedEvent.class);
            assertThat(events.events).last().isInstanceOf(ContextClosedEvent.class);
        });
    }

    @Test
    void whenTasksFailTogetherShouldShutDownOnce() {
        this.contextRunner.withUserConfiguration(FailTogether.class).run((context) -> {
            ConfigurableApplicationContext source = context.getSourceApplicationContext();
            Events events = context.getBean(Events.class);
            context.getBean(FailTogether.class).fail.countDown();
            await().atMost(TIMEOUT).until(() -> !source.isActive());
            assertThat(events.ofType(CriticalTaskFailedEvent.class)).hasSize(1);
            assertThat(events.ofType(ContextClosedEvent.class)).hasSize(1);
            assertThat(events.availability()).containsOnlyOnce(LivenessState.BROKEN);
        });
    }

    @Test
    void whenATaskSpawnedAtRunTimeFailsShouldShutDownTheSame() {
        this.contextRunner.run((context) -> {
            ConfigurableApplicationContext source = context.getSourceApplicationContext();
            Events events = context.getBean(Events.class);
            context.getBean(CriticalTaskRegistry.class).spawn("runtime", (token) -> {
                throw new java.io.IOException("disk gone");
            });
            await().atMost(TIMEOUT).until(() -> !source.isActive());
            assertThat(events.ofType(CriticalTaskFailedEvent.class)).singleElement()
                .satisfies((event) -> assertThat(event.getTaskName()).isEqualTo("runtime"));
        });
    }

    @Test
    void whenATaskSpawnedUnderTheRootTokenFailsShouldShutDownTheSame() {
        this.contextRunner.run((context) -> {
            ConfigurableApplicationContext source = context.getSourceApplicationContext();
            Events events = context.getBean(Events.class);
            CancellationToken root = context.getBean("criticalTaskRootToken", CancellationToken.class);
            dev.criticaltask.CriticalTaskHandle.spawn("outside", (token) -> {
                throw new IllegalStateException("outside");
            }, root).detach();
            await().atMost(TIMEOUT).until(() -> !source.isActive());
            assertThat(events.ofType(CriticalTaskFailedEvent.class)).hasSize(1);
        });
    }

    @Test
    void whenATaskFailsBeforeTheContextStartedShouldCloseItOnceStarted() {
        this.contextRunner.withUserConfiguration(FailWhileStarting.class).run((context) -> {
            ConfigurableApplicationContext source = context.getSourceApplicationContext();
            Events events = context.getBean(Events.class);
            await().atMost(TIMEOUT).until(() -> !source.isActive());
            assertThat(events.ofType(CriticalTaskFailedEvent.class)).hasSize(1);
            assertThat(events.ofType(ContextClosedEvent.class)).hasSize(1);
        });
    }

    @Test
    void whenTheRootIsCancelledWithoutAFailureShouldStopTheTasksButKeepTheContext() {
        this.contextRunner.withUserConfiguration(Workers.class).run((context) -> {
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            registry.rootToken().cancel();
            await().atMost(TIMEOUT).until(() -> registry.tasks().stream().allMatch((task) -> task.isFinished()));
            assertThat(context.getSourceApplicationContext().isActive()).isTrue();
            assertThat(context.getBean(Events.class).ofType(CriticalTaskFailedEvent.class)).isEmpty();
        });
    }

    @Test
    void whenATaskFailsWhileStoppingShouldHandTheFailureToTheShutdown() {
        // A failure during the close is still a failure (issue #19, item 1): it reaches
        // the shutdown, which publishes it once.
        this.contextRunner.withUserConfiguration(FailWhenCancelled.class).run((context) -> {
            Events events = context.getBean(Events.class);
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            CriticalTaskLifecycle lifecycle = context.getBean(CriticalTaskLifecycle.class);
            context.getSourceApplicationContext().close();
            assertThat(registry.firstFailure()).isPresent();
            assertThat(lifecycle.handedOver()).isEqualTo(registry.firstFailure());
            await().atMost(TIMEOUT).until(() -> events.ofType(CriticalTaskFailedEvent.class).size() == 1);
        });
    }

    @Test
    void whenStoppedShouldReturnAtOnceAndCallBackFromAnotherThread(CapturedOutput output) throws Exception {
        this.contextRunner.withPropertyValues("critical-task.shutdown.grace-period=300ms")
            .withUserConfiguration(SlowToStop.class)
            .run((context) -> {
                CriticalTaskLifecycle lifecycle = context.getBean(CriticalTaskLifecycle.class);
                SlowToStop task = context.getBean(SlowToStop.class);
                assertThat(task.running.await(10, TimeUnit.SECONDS)).isTrue();
                CountDownLatch calledBack = new CountDownLatch(1);
                List<String> callbackThread = new CopyOnWriteArrayList<>();
                long before = System.nanoTime();
                lifecycle.stop(() -> {
                    callbackThread.add(Thread.currentThread().getName());
                    calledBack.countDown();
                });
                // the task ignores its token and only stops when interrupted after the
                // grace period
                assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofMillis(250));
                assertThat(lifecycle.isRunning()).isFalse();
                assertThat(calledBack.await(10, TimeUnit.SECONDS)).isTrue();
                assertThat(callbackThread).containsExactly(CriticalTaskLifecycle.STOP_THREAD_NAME);
            });
        // the stop report, through Spring's logging, names the task with its stack
        assertThat(output).contains("Critical task 'slowToStop' was still running")
            .contains("\tat ")
            .contains("CriticalTaskFailureShutdownTests$SlowToStop");
    }

    @Test
    void whenTasksRunShouldKeepAliveUntilTheRootIsCancelled() {
        this.contextRunner.withUserConfiguration(FailOnSignal.class).run((context) -> {
            await().atMost(TIMEOUT).until(() -> keepAlive() != null);
            Thread keepAlive = keepAlive();
            assertThat(keepAlive.isDaemon()).isFalse();
            context.getBean(CriticalTaskRegistry.class).rootToken().cancel();
            keepAlive.join(TIMEOUT.toMillis());
            assertThat(keepAlive.isAlive()).isFalse();
        });
    }

    @Test
    void whenNoTaskRunsShouldStartNoKeepAliveThread() {
        this.contextRunner.run((context) -> {
            assertThat(context).hasNotFailed();
            assertThat(keepAlive()).isNull();
        });
    }

    private static Thread keepAlive() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter((thread) -> thread.getName().equals(KeepAlive.THREAD_NAME) && thread.isAlive())
            .findFirst()
            .orElse(null);
    }

    private static int count(String text, String part) {
        Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    /** Collects the events of interest, and the threads they were published on. */
    static final class Events implements ApplicationListener<ApplicationEvent> {

        final List<ApplicationEvent> events = new CopyOnWriteArrayList<>();

        final List<String> threads = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof CriticalTaskFailedEvent || event instanceof ContextClosedEvent
                    || (event instanceof AvailabilityChangeEvent<?> change && (change.getState() == LivenessState.BROKEN
                            || change.getState() == ReadinessState.REFUSING_TRAFFIC))) {
                this.events.add(event);
                this.threads.add(Thread.currentThread().getName());
            }
        }

        <T> List<T> ofType(Class<T> type) {
            return this.events.stream().filter(type::isInstance).map(type::cast).toList();
        }

        List<Object> availability() {
            return this.events.stream()
                .filter(AvailabilityChangeEvent.class::isInstance)
                .map((event) -> (Object) ((AvailabilityChangeEvent<?>) event).getState())
                .toList();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class FailOnSignal {

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

    @Configuration(proxyBeanMethods = false)
    static class Workers {

        @Bean
        CriticalTask worker() {
            return CancellationToken::await;
        }

        @Bean
        CriticalTask otherWorker() {
            return CancellationToken::await;
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class FailTogether {

        final CountDownLatch fail = new CountDownLatch(1);

        private final CyclicBarrier together = new CyclicBarrier(3);

        @Bean
        CriticalTask first() {
            return this::failTogether;
        }

        @Bean
        CriticalTask second() {
            return this::failTogether;
        }

        @Bean
        CriticalTask third() {
            return this::failTogether;
        }

        private void failTogether(CancellationToken token) throws Exception {
            this.fail.await();
            this.together.await(10, TimeUnit.SECONDS);
            throw new IllegalStateException(Thread.currentThread().getName());
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class FailWhileStarting {

        @Bean
        Object earlySpawner(CriticalTaskRegistry registry) {
            registry.spawn("early", (token) -> {
                throw new IllegalStateException("early");
            });
            return new Object();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class FailWhenCancelled {

        @Bean
        CriticalTask failsWhenCancelled() {
            return (token) -> {
                token.await();
                throw new IllegalStateException("cannot stop cleanly");
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class SlowToStop {

        final CountDownLatch running = new CountDownLatch(1);

        @Bean
        CriticalTask slowToStop() {
            return (token) -> {
                this.running.countDown();
                ignoreTokenUntilInterrupted();
            };
        }

        private static void ignoreTokenUntilInterrupted() throws InterruptedException {
            new CountDownLatch(1).await();
        }

    }

}
