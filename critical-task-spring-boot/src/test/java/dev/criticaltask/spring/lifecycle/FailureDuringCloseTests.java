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

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTask;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.ExitCodeEvent;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;

import static dev.criticaltask.testsupport.ChildProcesses.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A failure during, or just before, a close that the application itself runs is still a
 * failure (issue #19, item 1): the failure and its exit code are published exactly once,
 * and the close ends. Each context is run by {@code SpringApplication}, as a {@code main}
 * runs it; the process is not exited, since this is a test.
 */
@Tag("spring")
@Tag("threads")
@ExtendWith(OutputCaptureExtension.class)
class FailureDuringCloseTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private static final int ROUNDS = 10;

    @Test
    void whenMainClosesTheContextAsSoonAsAFailureCancelledTheRootShouldStillPublishItOnce(CapturedOutput output)
            throws Exception {
        // The repro of issue #19 item 1: main does rootToken.await(); ctx.close(). On
        // main
        // 3 runs in 8 published nothing: the shutdown read the closed context as a failed
        // start-up.
        for (int round = 0; round < ROUNDS; round++) {
            ConfigurableApplicationContext context = run(FailAfter300Millis.class);
            Events events = context.getBean(Events.class);
            context.getBean(CriticalTaskAutoConfiguration.ROOT_TOKEN_BEAN_NAME, CancellationToken.class).await();
            context.close();
            awaitShutdownThreadEnded();
            assertThat(events.failures).as("round %d", round).hasSize(1);
            assertThat(events.exitCodes).as("round %d", round).containsExactly(1);
        }
        assertThat(count(output.toString(), "the exit code is 1")).isEqualTo(ROUNDS);
    }

    @Test
    void whenATaskFailsWhileTheContextClosesShouldPublishItOnceAndTheCloseEnd(CapturedOutput output) throws Exception {
        ConfigurableApplicationContext context = run(FailWhenCancelled.class);
        Events events = context.getBean(Events.class);
        // bounded: a close that deadlocked would fail here
        CompletableFuture.runAsync(context::close).get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
        awaitShutdownThreadEnded();
        assertThat(events.failures).singleElement()
            .satisfies((event) -> assertThat(event.getCause()).isInstanceOf(IOException.class));
        assertThat(events.exitCodes).containsExactly(1);
        assertThat(events.failuresBeforeClosed).isOne();
        assertThat(output).contains("the exit code is 1");
    }

    @Test
    void whenMainClosesTheContextWhileTheShutdownPublishesShouldLetItPublishEveryEvent() throws Exception {
        // Seen once in CI in the test above (round 6 of 10): the failure event, but no
        // ExitCodeEvent. The shutdown thread had begun to publish; main's close found the
        // publication taken, went on, and ended the context's activity under it. Here the
        // failure's listener holds the shutdown thread there until the close has ended
        // (it never does, with the fix: the close waits, and the listener's wait runs
        // out).
        ConfigurableApplicationContext context = run(FailAtOnceWithASlowListener.class);
        Events events = context.getBean(Events.class);
        SlowFailureListener slow = context.getBean(SlowFailureListener.class);
        assertThat(slow.publishing.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
        context.close();
        awaitShutdownThreadEnded();
        assertThat(events.failures).hasSize(1);
        assertThat(events.exitCodes).containsExactly(1);
    }

    private static ConfigurableApplicationContext run(Class<?> configuration) {
        return new SpringApplicationBuilder(configuration).web(WebApplicationType.NONE)
            .properties("critical-task.shutdown.grace-period=2s", "spring.main.banner-mode=off")
            .run();
    }

    private static void awaitShutdownThreadEnded() {
        await().atMost(TIMEOUT)
            .until(() -> Thread.getAllStackTraces()
                .keySet()
                .stream()
                .noneMatch((thread) -> thread.getName().equals(FailureShutdown.THREAD_NAME) && thread.isAlive()));
    }

    static final class Events implements ApplicationListener<ApplicationEvent> {

        final List<CriticalTaskFailedEvent> failures = new CopyOnWriteArrayList<>();

        final List<Integer> exitCodes = new CopyOnWriteArrayList<>();

        volatile int failuresBeforeClosed;

        private final ConfigurableApplicationContext context;

        Events(ConfigurableApplicationContext context) {
            this.context = context;
        }

        @Override
        public void onApplicationEvent(ApplicationEvent event) {
            if (event instanceof CriticalTaskFailedEvent failure) {
                this.failures.add(failure);
                // delivered while the beans still live
                if (this.context.isActive()) {
                    this.failuresBeforeClosed++;
                }
            }
            else if (event instanceof ExitCodeEvent exit) {
                this.exitCodes.add(exit.getExitCode());
            }
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ CriticalTaskAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class })
    @Import(Events.class)
    static class Common {

        @Bean
        CriticalTask worker() {
            return CancellationToken::await;
        }

    }

    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class FailAfter300Millis {

        @Bean
        CriticalTask failing() {
            return (token) -> {
                token.await(Duration.ofMillis(300));
                throw new IllegalStateException("failed after 300 ms");
            };
        }

    }

    /**
     * Holds the thread that publishes a failure until the context has closed, at most two
     * seconds.
     */
    static final class SlowFailureListener implements ApplicationListener<CriticalTaskFailedEvent> {

        final CountDownLatch publishing = new CountDownLatch(1);

        private final ConfigurableApplicationContext context;

        SlowFailureListener(ConfigurableApplicationContext context) {
            this.context = context;
        }

        @Override
        public void onApplicationEvent(CriticalTaskFailedEvent event) {
            this.publishing.countDown();
            try {
                await().atMost(Duration.ofSeconds(2)).until(() -> !this.context.isActive());
            }
            catch (ConditionTimeoutException expected) {
                // the close waits for this publication: as it should
            }
        }

    }

    @Configuration(proxyBeanMethods = false)
    @Import({ Common.class, SlowFailureListener.class })
    static class FailAtOnceWithASlowListener {

        @Bean
        CriticalTask failing() {
            return (token) -> {
                throw new IllegalStateException("failed at once");
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class FailWhenCancelled {

        @Bean
        CriticalTask failsWhenCancelled() {
            return (token) -> {
                token.await();
                throw new IOException("cannot stop cleanly");
            };
        }

    }

}
