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
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.TaskState;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.scheduling.CriticalJobAutoConfiguration;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.aop.framework.autoproxy.BeanNameAutoProxyCreator;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;
import org.springframework.resilience.annotation.EnableResilientMethods;
import org.springframework.resilience.annotation.Retryable;
import org.springframework.scheduling.annotation.Scheduled;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Where a critical method's advice sits among other advice, and critical methods of beans
 * created after start-up: what counts is what escapes the proxied call, as the
 * scheduler's ErrorHandler sees it. (The three cases were found by review.) The methods
 * are called as Spring's scheduled runnable calls them, through the proxy, on the test's
 * thread.
 */
@Tag("spring")
class CriticalJobAdviceTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final FailedEvents failed = new FailedEvents();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(CriticalTaskAutoConfiguration.class, CriticalJobAutoConfiguration.class))
        .withPropertyValues("critical-task.shutdown.grace-period=2s")
        .withBean(FailedEvents.class, () -> this.failed);

    @Test
    void whenARetryRecoversARunShouldNotFailTheJob() {
        RetriedTicker ticker = new RetriedTicker();
        this.contextRunner.withUserConfiguration(Resilient.class)
            .withBean("ticker", RetriedTicker.class, () -> ticker)
            .run((context) -> {
                CriticalTaskHandle task = awaitAttempt(context, "ticker.tick");
                RetriedTicker proxy = context.getBean(RetriedTicker.class);

                proxy.tick(); // the first try throws, the retry succeeds

                assertThat(ticker.calls).hasValue(2);
                // a failure would have been reported on this thread, before tick()
                // returned
                assertThat(context.getBean(CriticalJobs.class).find("ticker.tick").orElseThrow().failures()).isZero();
                assertThat(context.getBean(CriticalTaskRegistry.class).firstFailure()).isEmpty();
                assertThat(task.state()).isEqualTo(TaskState.RUNNING);
            });
    }

    @Test
    void whenOuterAdviceThrowsAfterTheMethodReturnedShouldFailTheJob() {
        Ledger ledger = new Ledger();
        this.contextRunner.withUserConfiguration(CommitProxy.class)
            .withBean("ledger", Ledger.class, () -> ledger)
            // stands for TransactionInterceptor: the method returned, then the commit
            // fails
            .withBean("commitInterceptor", MethodInterceptor.class, () -> (invocation) -> {
                invocation.proceed();
                throw new IllegalStateException("commit failed");
            })
            .run((context) -> {
                awaitAttempt(context, "ledger.sync");
                Ledger proxy = context.getBean(Ledger.class);

                assertThatIllegalStateException().isThrownBy(proxy::sync).withMessage("commit failed");

                assertThat(ledger.runs).hasValue(1);
                // the failure shutdown publishes the event from its own thread, then
                // closes the context
                await().atMost(TIMEOUT).until(() -> !context.getSourceApplicationContext().isActive());
                assertThat(this.failed.events).singleElement().satisfies((event) -> {
                    assertThat(event.getTaskName()).isEqualTo("ledger.sync");
                    assertThat(event.getCause()).hasMessage("commit failed");
                });
            });
    }

    @Test
    void whenABeanIsCreatedAfterStartUpShouldSuperviseItsJobToo() {
        this.contextRunner.withUserConfiguration(LazyWorkerConfiguration.class)
            .withPropertyValues("critical-task.tasks[worker.work].restart.max-restarts=1")
            .run((context) -> {
                CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
                assertThat(registry.find("worker.work")).isEmpty();
                Worker worker = context.getBean(Worker.class); // first use, after
                                                               // start-up
                CriticalTaskHandle task = awaitAttempt(context, "worker.work");

                assertThatIllegalStateException().isThrownBy(worker::work);
                await().atMost(TIMEOUT).until(() -> task.restartCount() == 1 && task.attempt() == 2);
                assertThat(registry.firstFailure()).isEmpty(); // its properties apply:
                                                               // one restart allowed
                assertThatIllegalStateException().isThrownBy(worker::work);

                await().atMost(TIMEOUT).until(() -> !context.getSourceApplicationContext().isActive());
                assertThat(this.failed.events).singleElement()
                    .satisfies((event) -> assertThat(event.getTaskName()).isEqualTo("worker.work"));
            });
    }

    private static CriticalTaskHandle awaitAttempt(ConfigurableApplicationContext context, String name) {
        CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
        await().atMost(TIMEOUT).until(() -> registry.find(name).map(CriticalTaskHandle::attempt).orElse(0) >= 1);
        return registry.find(name).orElseThrow();
    }

    @Configuration(proxyBeanMethods = false)
    @EnableResilientMethods
    static class Resilient {

    }

    static class RetriedTicker {

        final AtomicInteger calls = new AtomicInteger();

        @Critical
        @Scheduled(fixedDelay = 3_600_000, initialDelay = 3_600_000)
        @Retryable(maxRetries = 2, delay = 0)
        public void tick() {
            if (this.calls.incrementAndGet() == 1) {
                throw new IllegalStateException("transient");
            }
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class CommitProxy {

        @Bean
        static BeanNameAutoProxyCreator commitProxyCreator() {
            BeanNameAutoProxyCreator creator = new BeanNameAutoProxyCreator();
            creator.setBeanNames("ledger");
            creator.setProxyTargetClass(true);
            creator.setInterceptorNames("commitInterceptor");
            return creator;
        }

    }

    static class Ledger {

        final AtomicInteger runs = new AtomicInteger();

        @Critical
        @Scheduled(fixedDelay = 3_600_000, initialDelay = 3_600_000)
        public void sync() {
            this.runs.incrementAndGet();
        }

    }

    @Configuration(proxyBeanMethods = false)
    static class LazyWorkerConfiguration {

        @Bean
        @Lazy
        Worker worker() {
            return new Worker();
        }

    }

    static class Worker {

        // no @EnableAsync here: the method runs on the caller's thread, as the
        // early-failure test's does
        @Critical
        @org.springframework.scheduling.annotation.Async
        public void work() {
            throw new IllegalStateException("lost");
        }

    }

    static final class FailedEvents implements ApplicationListener<CriticalTaskFailedEvent> {

        final List<CriticalTaskFailedEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(CriticalTaskFailedEvent event) {
            this.events.add(event);
        }

    }

}
