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
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.TaskState;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import dev.criticaltask.spring.CriticalTaskRestartedEvent;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.scheduling.CriticalJobAutoConfiguration;
import org.aopalliance.intercept.MethodInterceptor;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aop.framework.autoproxy.BeanNameAutoProxyCreator;
import org.springframework.aop.interceptor.AsyncUncaughtExceptionHandler;
import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.AsyncConfigurer;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.scheduling.concurrent.ThreadPoolTaskScheduler;
import org.springframework.util.ErrorHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Critical {@code @Scheduled} and {@code void @Async} methods in real contexts, with
 * Spring's real schedulers and executors: a failure escaping the method is a critical
 * task failure, and the application's own scheduler, executor and handlers keep working
 * as before.
 */
@Tag("spring")
@ExtendWith(OutputCaptureExtension.class)
class CriticalJobIntegrationTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(20);

    private final FailedEvents failed = new FailedEvents();

    private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
        .withConfiguration(
                AutoConfigurations.of(CriticalTaskAutoConfiguration.class, CriticalJobAutoConfiguration.class,
                        TaskSchedulingAutoConfiguration.class, TaskExecutionAutoConfiguration.class))
        .withPropertyValues("critical-task.shutdown.grace-period=2s")
        // supplied by the test, so that it can still be read once a failure has closed
        // the context
        .withBean(FailedEvents.class, () -> this.failed);

    @Test
    void whenAScheduledJobFailsOnItsThirdRunShouldShutTheApplicationDown(CapturedOutput output) {
        ThirdRunFailsTicker ticker = new ThirdRunFailsTicker();
        this.contextRunner.withUserConfiguration(Scheduling.class)
            .withBean("ticker", ThirdRunFailsTicker.class, () -> ticker)
            .run((context) -> {
                ConfigurableApplicationContext source = context.getSourceApplicationContext();
                CriticalJobs jobs = context.getBean(CriticalJobs.class);
                CriticalTaskHandle task = context.getBean(CriticalTaskRegistry.class).find("ticker.tick").orElseThrow();
                assertThat(task.state()).isEqualTo(TaskState.RUNNING);
                // the third run waits for the test: the first two have succeeded, and the
                // job says so
                assertThat(ticker.thirdRunStarted.await(TIMEOUT.toSeconds(), TimeUnit.SECONDS)).isTrue();
                CriticalJobStatus running = jobs.find("ticker.tick").orElseThrow();
                assertThat(running.runs()).isEqualTo(3);
                assertThat(running.failures()).isZero();
                assertThat(running.lastOutcome()).isEqualTo(CriticalJobStatus.Outcome.RUNNING);
                assertThat(running.trigger()).isEqualTo(CriticalJobStatus.Trigger.SCHEDULED);
                assertThat(running.schedule()).isEqualTo("fixed delay PT0.01S");
                assertThat(running.method()).isEqualTo("ThirdRunFailsTicker.tick()");
                assertThat(running.beanName()).isEqualTo("ticker");
                assertThat(ticker.succeeded).hasValue(2);

                ticker.failThirdRun.countDown();
                await().atMost(TIMEOUT).until(() -> !source.isActive());
                assertThat(this.failed.events).singleElement().satisfies((event) -> {
                    assertThat(event.getTaskName()).isEqualTo("ticker.tick");
                    assertThat(event.getCause()).isSameAs(ticker.thrown.get());
                });
                assertThat(task.state()).isEqualTo(TaskState.FAILED);
                CriticalJobStatus failedJob = jobs.find("ticker.tick").orElseThrow();
                assertThat(failedJob.failures()).isOne();
                assertThat(failedJob.lastFailure()).isEqualTo(IllegalStateException.class.getName());
            });
        assertThat(output).contains("Critical task 'ticker.tick' crashed: java.lang.IllegalStateException: third run")
            // Spring's own error handler still saw it, and logged it as it always does
            .contains("Unexpected error occurred in scheduled task");
    }

    @Test
    void whenAllCriticalIsSetShouldMakeAnUnannotatedScheduledMethodAJob() {
        this.contextRunner.withUserConfiguration(Scheduling.class)
            .withBean("plain", PlainTicker.class, PlainTicker::new)
            .withPropertyValues("critical-task.scheduling.all-critical=true")
            .run((context) -> {
                await().atMost(TIMEOUT).until(() -> !context.getSourceApplicationContext().isActive());
                assertThat(this.failed.events).singleElement()
                    .satisfies((event) -> assertThat(event.getTaskName()).isEqualTo("plain.tick"));
            });
    }

    @Test
    void whenAllCriticalIsNotSetShouldLeaveAnUnannotatedFailingMethodToSpring(CapturedOutput output) {
        PlainTicker ticker = new PlainTicker();
        this.contextRunner.withUserConfiguration(Scheduling.class)
            .withBean("plain", PlainTicker.class, () -> ticker)
            .run((context) -> {
                // two failed runs: the scheduler logged both and carried on
                await().atMost(TIMEOUT).until(() -> ticker.runs.get() >= 2);
                assertThat(context.getSourceApplicationContext().isActive()).isTrue();
                assertThat(context.getBean(CriticalTaskRegistry.class).firstFailure()).isEmpty();
                assertThat(context.getBean(CriticalJobs.class).jobs()).isEmpty();
                assertThat(AopUtils.isAopProxy(context.getBean(PlainTicker.class))).isFalse();
                assertThat(this.failed.events).isEmpty();
            });
        assertThat(output).contains("Unexpected error occurred in scheduled task");
    }

    @Test
    void whenTheApplicationHasItsOwnSchedulerShouldKeepItsSettingsAndErrorHandler() {
        FailingTicker ticker = new FailingTicker();
        OwnScheduler configuration = new OwnScheduler();
        this.contextRunner.withUserConfiguration(Scheduling.class)
            .withBean("taskScheduler", ThreadPoolTaskScheduler.class, configuration::taskScheduler)
            .withBean("ticker", FailingTicker.class, () -> ticker)
            .run((context) -> {
                ConfigurableApplicationContext source = context.getSourceApplicationContext();
                assertThat(context.getBean("taskScheduler")).isSameAs(configuration.scheduler)
                    .isExactlyInstanceOf(ThreadPoolTaskScheduler.class);
                assertThat(configuration.scheduler.getScheduledThreadPoolExecutor().getCorePoolSize()).isEqualTo(3);
                assertThat(configuration.scheduler.getThreadNamePrefix()).isEqualTo("mine-");
                ticker.release.countDown();
                await().atMost(TIMEOUT).until(() -> !source.isActive());
                assertThat(ticker.thread.get()).startsWith("mine-");
                // the application's own handler received the very exception
                assertThat(configuration.handled).first().isSameAs(ticker.thrown.get());
                assertThat(this.failed.events).singleElement().satisfies((event) -> {
                    assertThat(event.getTaskName()).isEqualTo("ticker.tick");
                    assertThat(event.getCause()).isSameAs(ticker.thrown.get());
                });
            });
    }

    @Test
    void whenAnAsyncJobFailsShouldShutDownAndStillCallTheAsyncConfigurersHandler() {
        AsyncWorker worker = new AsyncWorker();
        OwnAsyncConfigurer configurer = new OwnAsyncConfigurer();
        this.contextRunner.withUserConfiguration(Async.class)
            .withBean("ownAsyncConfigurer", AsyncConfigurer.class, () -> configurer)
            .withBean("worker", AsyncWorker.class, () -> worker)
            .run((context) -> {
                ConfigurableApplicationContext source = context.getSourceApplicationContext();
                CriticalJobs jobs = context.getBean(CriticalJobs.class);
                AsyncWorker proxy = context.getBean(AsyncWorker.class);
                assertThat(context.getBean(CriticalTaskRegistry.class).find("worker.work")).isPresent();
                proxy.work("fine");
                await().atMost(TIMEOUT)
                    .until(() -> jobs.find("worker.work")
                        .orElseThrow()
                        .lastOutcome() == CriticalJobStatus.Outcome.SUCCESS);
                proxy.work("fail");
                await().atMost(TIMEOUT).until(() -> !source.isActive());
                assertThat(worker.threads).hasSize(2)
                    .allSatisfy((thread) -> assertThat(thread).startsWith("own-async-"));
                assertThat(configurer.handled).singleElement().isSameAs(worker.thrown.get());
                assertThat(this.failed.events).singleElement().satisfies((event) -> {
                    assertThat(event.getTaskName()).isEqualTo("worker.work");
                    assertThat(event.getCause()).isSameAs(worker.thrown.get());
                });
                CriticalJobStatus job = jobs.find("worker.work").orElseThrow();
                assertThat(job.trigger()).isEqualTo(CriticalJobStatus.Trigger.ASYNC);
                assertThat(job.runs()).isEqualTo(2);
                assertThat(job.failures()).isOne();
                assertThat(job.schedule()).isNull();
                assertThat(job.nextRunAt()).isNull();
            });
    }

    @Test
    void whenRestartPropertiesAreSetShouldApplyThemToAJobAndEscalateTheThirdFailure() {
        FailingTicker ticker = new FailingTicker();
        RestartedEvents restarted = new RestartedEvents();
        this.contextRunner.withUserConfiguration(Scheduling.class)
            .withBean("failing", FailingTicker.class, () -> ticker)
            .withBean(RestartedEvents.class, () -> restarted)
            .withPropertyValues("critical-task.tasks[failing.tick].restart.max-restarts=2",
                    "critical-task.tasks[failing.tick].restart.backoff.initial=1ms",
                    "critical-task.tasks[failing.tick].restart.backoff.max=2ms")
            .run((context) -> {
                ConfigurableApplicationContext source = context.getSourceApplicationContext();
                CriticalTaskHandle task = context.getBean(CriticalTaskRegistry.class)
                    .find("failing.tick")
                    .orElseThrow();
                ticker.release.countDown();
                await().atMost(TIMEOUT).until(() -> !source.isActive());
                assertThat(restarted.events).extracting(CriticalTaskRestartedEvent::getRestarts).containsExactly(1, 2);
                assertThat(restarted.events)
                    .allSatisfy((event) -> assertThat(event.getTaskName()).isEqualTo("failing.tick"));
                assertThat(task.restartCount()).isEqualTo(2);
                assertThat(task.state()).isEqualTo(TaskState.FAILED);
                // the escalated failure carries the two earlier causes
                assertThat(task.failure().orElseThrow().getSuppressed()).hasSize(2);
                assertThat(this.failed.events).singleElement()
                    .satisfies((event) -> assertThat(event.getTaskName()).isEqualTo("failing.tick"));
                assertThat(ticker.failures.get()).isGreaterThanOrEqualTo(3);
            });
    }

    @Test
    void whenAJobFailsBeforeItIsSpawnedShouldFailItAsSoonAsItStarts() {
        // without @EnableAsync the method runs on the caller's thread: here, during
        // start-up
        this.contextRunner.withBean("earlyWorker", EarlyWorker.class, EarlyWorker::new)
            .withBean(CallsEarly.class, CallsEarly::new)
            .run((context) -> {
                await().atMost(TIMEOUT).until(() -> !context.getSourceApplicationContext().isActive());
                assertThat(this.failed.events).singleElement().satisfies((event) -> {
                    assertThat(event.getTaskName()).isEqualTo("early");
                    assertThat(event.getCause()).hasMessage("before start");
                });
            });
    }

    @Test
    void whenABeanIsAlreadyProxiedShouldKeepItsAdviceAndItsOtherAsyncMethod() {
        MixedBean mixed = new MixedBean();
        AtomicInteger counted = new AtomicInteger();
        this.contextRunner.withUserConfiguration(Scheduling.class, Async.class, CountingProxy.class)
            .withBean("mixed", MixedBean.class, () -> mixed)
            .withBean("countingInterceptor", MethodInterceptor.class, () -> (invocation) -> {
                if (invocation.getMethod().getName().equals("tick")) {
                    counted.incrementAndGet();
                }
                return invocation.proceed();
            })
            .run((context) -> {
                ConfigurableApplicationContext source = context.getSourceApplicationContext();
                MixedBean bean = context.getBean(MixedBean.class);
                assertThat(AopUtils.isCglibProxy(bean)).isTrue();
                // a plain @Async method on the same bean still runs asynchronously, and
                // is not critical
                bean.notCritical();
                await().atMost(TIMEOUT).until(() -> mixed.notCriticalThread.get() != null);
                assertThat(mixed.notCriticalThread.get()).isNotEqualTo(Thread.currentThread().getName());
                assertThat(context.getBean(CriticalJobs.class).jobs()).extracting(CriticalJobStatus::name)
                    .containsExactly("mixed.tick");
                await().atMost(TIMEOUT).until(() -> counted.get() > 0);
                mixed.failNext.countDown();
                await().atMost(TIMEOUT).until(() -> !source.isActive());
                assertThat(this.failed.events).singleElement()
                    .satisfies((event) -> assertThat(event.getTaskName()).isEqualTo("mixed.tick"));
            });
    }

    @Test
    void whenDisabledShouldWireNothing() {
        this.contextRunner.withUserConfiguration(Scheduling.class)
            .withBean("plain", PlainTicker.class, PlainTicker::new)
            .withPropertyValues("critical-task.enabled=false", "critical-task.scheduling.all-critical=true")
            .run((context) -> {
                assertThat(context).doesNotHaveBean(CriticalJobs.class);
                assertThat(AopUtils.isAopProxy(context.getBean(PlainTicker.class))).isFalse();
            });
    }

    static class FailedEvents implements ApplicationListener<CriticalTaskFailedEvent> {

        final List<CriticalTaskFailedEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(CriticalTaskFailedEvent event) {
            this.events.add(event);
        }

    }

    static class RestartedEvents implements ApplicationListener<CriticalTaskRestartedEvent> {

        final List<CriticalTaskRestartedEvent> events = new CopyOnWriteArrayList<>();

        @Override
        public void onApplicationEvent(CriticalTaskRestartedEvent event) {
            this.events.add(event);
        }

    }

    @Configuration(proxyBeanMethods = false)
    @EnableScheduling
    static class Scheduling {

    }

    @Configuration(proxyBeanMethods = false)
    @EnableAsync
    static class Async {

    }

    @Configuration(proxyBeanMethods = false)
    static class CountingProxy {

        @Bean
        static BeanNameAutoProxyCreator countingProxyCreator() {
            BeanNameAutoProxyCreator creator = new BeanNameAutoProxyCreator();
            creator.setBeanNames("mixed");
            creator.setProxyTargetClass(true);
            creator.setInterceptorNames("countingInterceptor");
            return creator;
        }

    }

    static class ThirdRunFailsTicker {

        final AtomicInteger runs = new AtomicInteger();

        final AtomicInteger succeeded = new AtomicInteger();

        final CountDownLatch thirdRunStarted = new CountDownLatch(1);

        final CountDownLatch failThirdRun = new CountDownLatch(1);

        final AtomicReference<RuntimeException> thrown = new AtomicReference<>();

        @Critical
        @Scheduled(fixedDelay = 10)
        void tick() throws InterruptedException {
            int run = this.runs.incrementAndGet();
            if (run == 3) {
                this.thirdRunStarted.countDown();
                this.failThirdRun.await();
                RuntimeException failure = new IllegalStateException("third run");
                this.thrown.set(failure);
                throw failure;
            }
            if (run < 3) {
                this.succeeded.incrementAndGet();
            }
        }

    }

    static class PlainTicker {

        final AtomicInteger runs = new AtomicInteger();

        @Scheduled(fixedDelay = 10)
        void tick() {
            this.runs.incrementAndGet();
            throw new IllegalStateException("plain failure");
        }

    }

    /** Fails every run once released. */
    static class FailingTicker {

        final CountDownLatch release = new CountDownLatch(1);

        final AtomicInteger failures = new AtomicInteger();

        final AtomicReference<String> thread = new AtomicReference<>();

        final AtomicReference<RuntimeException> thrown = new AtomicReference<>();

        @Critical
        @Scheduled(fixedDelay = 10)
        void tick() {
            if (this.release.getCount() > 0) {
                return;
            }
            this.failures.incrementAndGet();
            this.thread.set(Thread.currentThread().getName());
            RuntimeException failure = new IllegalStateException("tick failed");
            this.thrown.compareAndSet(null, failure);
            throw failure;
        }

    }

    static class OwnScheduler {

        final List<Throwable> handled = new CopyOnWriteArrayList<>();

        final ThreadPoolTaskScheduler scheduler = new ThreadPoolTaskScheduler();

        ThreadPoolTaskScheduler taskScheduler() {
            this.scheduler.setPoolSize(3);
            this.scheduler.setThreadNamePrefix("mine-");
            ErrorHandler errorHandler = this.handled::add;
            this.scheduler.setErrorHandler(errorHandler);
            return this.scheduler;
        }

    }

    static class OwnAsyncConfigurer implements AsyncConfigurer {

        final List<Throwable> handled = new CopyOnWriteArrayList<>();

        @Override
        public Executor getAsyncExecutor() {
            ThreadPoolTaskExecutor executor = new ThreadPoolTaskExecutor();
            executor.setThreadNamePrefix("own-async-");
            executor.setCorePoolSize(2);
            executor.initialize();
            return executor;
        }

        @Override
        public AsyncUncaughtExceptionHandler getAsyncUncaughtExceptionHandler() {
            return (failure, method, parameters) -> this.handled.add(failure);
        }

    }

    static class AsyncWorker {

        final List<String> threads = new CopyOnWriteArrayList<>();

        final AtomicReference<RuntimeException> thrown = new AtomicReference<>();

        @Critical
        @org.springframework.scheduling.annotation.Async
        public void work(String what) {
            this.threads.add(Thread.currentThread().getName());
            if (what.equals("fail")) {
                RuntimeException failure = new IllegalArgumentException("cannot work");
                this.thrown.set(failure);
                throw failure;
            }
        }

    }

    static class EarlyWorker {

        @Critical("early")
        @org.springframework.scheduling.annotation.Async
        public void work() {
            throw new IllegalStateException("before start");
        }

    }

    /**
     * Calls the early worker once every singleton exists: before the lifecycle starts.
     */
    static class CallsEarly implements SmartInitializingSingleton, org.springframework.beans.factory.BeanFactoryAware {

        private org.springframework.beans.factory.BeanFactory beanFactory;

        @Override
        public void setBeanFactory(org.springframework.beans.factory.BeanFactory beanFactory) {
            this.beanFactory = beanFactory;
        }

        @Override
        public void afterSingletonsInstantiated() {
            try {
                this.beanFactory.getBean(EarlyWorker.class).work();
            }
            catch (IllegalStateException expected) {
                // the caller sees it, as it would without the starter
            }
        }

    }

    static class MixedBean {

        final CountDownLatch failNext = new CountDownLatch(1);

        final AtomicReference<String> notCriticalThread = new AtomicReference<>();

        @Critical
        @Scheduled(fixedDelay = 10)
        void tick() {
            if (this.failNext.getCount() == 0) {
                throw new IllegalStateException("mixed failure");
            }
        }

        @org.springframework.scheduling.annotation.Async
        public void notCritical() {
            this.notCriticalThread.set(Thread.currentThread().getName());
        }

    }

}
