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

package dev.criticaltask.spring.testapp;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.scheduling.CriticalJobAutoConfiguration;
import dev.criticaltask.spring.scheduling.Critical;
import dev.criticaltask.testsupport.boot.ChildApplication;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.ExitCodeEvent;
import org.springframework.boot.ExitCodeExceptionMapper;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskExecutionAutoConfiguration;
import org.springframework.boot.autoconfigure.task.TaskSchedulingAutoConfiguration;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.EnableAsync;
import org.springframework.scheduling.annotation.EnableScheduling;
import org.springframework.scheduling.annotation.Scheduled;

/**
 * The application that the child-process tests run in a JVM of its own: the first
 * argument names a scenario, the others are Spring Boot arguments. It prints markers the
 * tests look for.
 */
public final class CriticalTaskTestApplication {

    private CriticalTaskTestApplication() {
    }

    public static void main(String[] args) {
        Class<?> scenario = switch (args[0]) {
            case "fail" -> Fail.class;
            case "two-failures" -> TwoFailures.class;
            case "drain" -> Drain.class;
            case "stubborn" -> Stubborn.class;
            case "stubborn-fail" -> StubbornFail.class;
            case "startup-failure" -> StartupFailure.class;
            case "startup-hang" -> StartupHang.class;
            case "complete" -> Complete.class;
            case "threads" -> Threads.class;
            case "web-fail" -> WebFail.class;
            case "fail-on-close" -> FailOnClose.class;
            case "scheduled-fail" -> ScheduledFail.class;
            case "async-fail" -> AsyncFail.class;
            case "fail-with-generator" -> FailWithGenerator.class;
            case "fail-with-mapper" -> FailWithMapper.class;
            case "close-after-failure" -> CloseAfterFailure.class;
            case "close-while-failing" -> CloseWhileFailing.class;
            default -> throw new IllegalArgumentException("Unknown scenario " + args[0]);
        };
        ConfigurableApplicationContext context = ChildApplication.run(scenario, args[0].startsWith("web-"),
                Arrays.copyOfRange(args, 1, args.length));
        if (args[0].equals("close-after-failure")) {
            // issue #19 item 1: main closes the context as soon as a failure cancelled
            // the root
            awaitUninterruptibly(
                    context.getBean(CriticalTaskAutoConfiguration.ROOT_TOKEN_BEAN_NAME, CancellationToken.class));
            context.close();
            System.out.println("MAIN CLOSED THE CONTEXT");
        }
        else if (args[0].equals("close-while-failing")) {
            // the task fails once its token is cancelled, during this close
            context.close();
            System.out.println("MAIN CLOSED THE CONTEXT");
        }
    }

    private static void awaitUninterruptibly(CancellationToken token) {
        try {
            token.await();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    static void awaitReady() throws InterruptedException {
        ChildApplication.awaitReady();
    }

    /** Runs until cancelled, then says so. */
    static CriticalTask worker(String name) {
        return (token) -> {
            token.await();
            System.out.println("WORKER " + name + " STOPPED GRACEFULLY");
        };
    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration({ CriticalTaskAutoConfiguration.class, ApplicationAvailabilityAutoConfiguration.class })
    @Import(ChildApplication.Markers.class)
    static class Common {

        @EventListener
        void failed(CriticalTaskFailedEvent event) {
            System.out.println("EVENT task=" + event.getTaskName() + " cause=" + event.getCause() + " thread="
                    + Thread.currentThread().getName());
        }

        @EventListener
        void exitCode(ExitCodeEvent event) {
            System.out.println("EXIT CODE EVENT " + event.getExitCode());
        }

    }

    /** A worker, and a task that crashes once the application is ready. */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class Fail {

        @Bean
        CriticalTask worker() {
            return CriticalTaskTestApplication.worker("worker");
        }

        @Bean
        CriticalTask failing() {
            return (token) -> {
                awaitReady();
                throw new IllegalStateException("boom");
            };
        }

    }

    /** {@link Fail}, and an application generator whose code wins by Spring's rules. */
    @Configuration(proxyBeanMethods = false)
    @Import(Fail.class)
    static class FailWithGenerator {

        @Bean
        ExitCodeGenerator applicationExitCode() {
            return () -> 3;
        }

    }

    /** {@link Fail}, and a mapper that gives the cause a code. */
    @Configuration(proxyBeanMethods = false)
    @Import(Fail.class)
    static class FailWithMapper {

        @Bean
        ExitCodeExceptionMapper stateMapper() {
            return (ex) -> (ex instanceof IllegalStateException) ? 9 : 0;
        }

    }

    /** A worker, and a task that crashes 300 ms after it started. */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class CloseAfterFailure {

        @Bean
        CriticalTask worker() {
            return CriticalTaskTestApplication.worker("worker");
        }

        @Bean
        CriticalTask failing() {
            return (token) -> {
                token.await(java.time.Duration.ofMillis(300));
                throw new IllegalStateException("failed after 300 ms");
            };
        }

    }

    /** A worker, and a task that fails when it is cancelled. */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class CloseWhileFailing {

        @Bean
        CriticalTask worker() {
            return CriticalTaskTestApplication.worker("worker");
        }

        @Bean
        CriticalTask failing() {
            return (token) -> {
                token.await();
                throw new java.io.IOException("cannot stop cleanly");
            };
        }

    }

    /** Two tasks that crash at the same moment. */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class TwoFailures {

        private final CyclicBarrier together = new CyclicBarrier(2);

        @Bean
        CriticalTask first() {
            return (token) -> {
                awaitReady();
                this.together.await(10, TimeUnit.SECONDS);
                throw new IllegalStateException("first");
            };
        }

        @Bean
        CriticalTask second() {
            return (token) -> {
                awaitReady();
                this.together.await(10, TimeUnit.SECONDS);
                throw new IllegalStateException("second");
            };
        }

    }

    /** Workers that stop when asked: SIGTERM should drain them. */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class Drain {

        @Bean
        CriticalTask first() {
            return CriticalTaskTestApplication.worker("first");
        }

        @Bean
        CriticalTask second() {
            return CriticalTaskTestApplication.worker("second");
        }

    }

    /** A task that ignores cancellation and interrupts. */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class Stubborn {

        @Bean
        CriticalTask stubborn() {
            return (token) -> StubbornLoop.spin();
        }

    }

    /** A task that ignores cancellation and interrupts, and a sibling that crashes. */
    @Configuration(proxyBeanMethods = false)
    @Import(Stubborn.class)
    static class StubbornFail {

        @Bean
        CriticalTask failing() {
            return (token) -> {
                awaitReady();
                throw new IllegalStateException("boom");
            };
        }

    }

    /** Ignores everything; its frame must show up in the stop report. */
    static final class StubbornLoop {

        private StubbornLoop() {
        }

        @SuppressWarnings("InfiniteLoopStatement")
        static void spin() {
            while (true) {
                try {
                    Thread.sleep(50);
                }
                catch (InterruptedException ignored) {
                    System.out.println("STUBBORN IGNORED AN INTERRUPT");
                }
            }
        }

    }

    /**
     * A task spawned while beans are created crashes at once, while a later lifecycle is
     * still starting.
     */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class StartupFailure {

        @Bean
        EarlySpawner earlySpawner(CriticalTaskRegistry registry) {
            return new EarlySpawner(registry);
        }

        @Bean
        CriticalTask worker() {
            return CriticalTaskTestApplication.worker("worker");
        }

        @Bean
        SmartLifecycle slowStart() {
            return new SlowStart();
        }

    }

    /** Like {@link StartupFailure}, but the later lifecycle never finishes starting. */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class StartupHang {

        @Bean
        EarlySpawner earlySpawner(CriticalTaskRegistry registry) {
            return new EarlySpawner(registry);
        }

        @Bean
        SmartLifecycle hangingStart() {
            return new SmartLifecycle() {

                @Override
                public void start() {
                    System.out.println("HANGING START BEGINS");
                    try {
                        CancellationToken.create().await();
                    }
                    catch (InterruptedException ex) {
                        System.out.println("HANGING START INTERRUPTED");
                        Thread.currentThread().interrupt();
                    }
                }

                @Override
                public void stop() {
                }

                @Override
                public boolean isRunning() {
                    return false;
                }

            };
        }

    }

    static final class EarlySpawner implements InitializingBean {

        private final CriticalTaskRegistry registry;

        EarlySpawner(CriticalTaskRegistry registry) {
            this.registry = registry;
        }

        @Override
        public void afterPropertiesSet() {
            this.registry.spawn("early", (token) -> {
                throw new IllegalStateException("failed during start-up");
            });
        }

    }

    /** Starts after the critical tasks and takes a while, like a slow web server. */
    static final class SlowStart implements SmartLifecycle {

        private volatile boolean running;

        @Override
        public void start() {
            System.out.println("SLOW START BEGINS");
            CancellationToken never = CancellationToken.create();
            try {
                never.await(java.time.Duration.ofMillis(1500));
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
            this.running = true;
            System.out.println("SLOW START ENDS");
        }

        @Override
        public void stop() {
            this.running = false;
        }

        @Override
        public boolean isRunning() {
            return this.running;
        }

    }

    /**
     * A web application with every auto-configuration found on the classpath (the
     * starter's health, endpoint and metrics included), whose task crashes once it
     * serves.
     */
    @Configuration(proxyBeanMethods = false)
    @EnableAutoConfiguration
    @Import(Fail.class)
    static class WebFail {

    }

    /**
     * A task that crashes as soon as the context begins to close: a failure racing
     * SIGTERM.
     */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class FailOnClose {

        private final CountDownLatch closing = new CountDownLatch(1);

        @EventListener
        void closing(ContextClosedEvent event) {
            this.closing.countDown();
        }

        @Bean
        CriticalTask worker() {
            return CriticalTaskTestApplication.worker("worker");
        }

        @Bean
        CriticalTask failing() {
            return (token) -> {
                this.closing.await();
                throw new IllegalStateException("failed while closing");
            };
        }

    }

    /** Says which kind of thread it runs on, then runs until cancelled. */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class Threads {

        @Bean
        CriticalTask worker() {
            return (token) -> {
                Thread thread = Thread.currentThread();
                System.out.println("THREAD class=" + thread.getClass().getName() + " daemon=" + thread.isDaemon());
                token.await();
                System.out.println("WORKER worker STOPPED GRACEFULLY");
            };
        }

    }

    /**
     * A task that completes on its own: with nothing left to do, the service ends with 0.
     */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class Complete {

        @Bean
        CriticalTask once() {
            return (token) -> {
                awaitReady();
                token.await(java.time.Duration.ofMillis(500));
                System.out.println("TASK COMPLETED");
            };
        }

    }

    /**
     * Imports what an application with the starter, scheduling and async execution has.
     */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    @ImportAutoConfiguration({ CriticalJobAutoConfiguration.class, TaskSchedulingAutoConfiguration.class,
            TaskExecutionAutoConfiguration.class })
    @EnableScheduling
    @EnableAsync
    static class Jobs {

        @Bean
        CriticalTask worker() {
            return CriticalTaskTestApplication.worker("worker");
        }

    }

    /** A critical scheduled method whose third run throws. */
    @Configuration(proxyBeanMethods = false)
    @Import(Jobs.class)
    static class ScheduledFail {

        @Bean
        Ticker ticker() {
            return new Ticker();
        }

    }

    static class Ticker {

        private final AtomicInteger runs = new AtomicInteger();

        @Critical
        @Scheduled(fixedDelay = 50)
        void tick() {
            int run = this.runs.incrementAndGet();
            if (run == 3) {
                throw new IllegalStateException("third run failed");
            }
            if (run < 3) {
                System.out.println("RUN " + run + " SUCCEEDED");
            }
        }

    }

    /**
     * A critical void @Async method that throws, called once the application is ready.
     */
    @Configuration(proxyBeanMethods = false)
    @Import(Jobs.class)
    static class AsyncFail {

        @Bean
        Mailer mailer() {
            return new Mailer();
        }

        @EventListener
        void ready(ApplicationReadyEvent event) {
            event.getApplicationContext().getBean(Mailer.class).send("hello");
        }

    }

    static class Mailer {

        @Critical
        @Async
        public void send(String message) {
            throw new IllegalStateException("cannot send " + message);
        }

    }

}
