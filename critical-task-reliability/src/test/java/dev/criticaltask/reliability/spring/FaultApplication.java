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

package dev.criticaltask.reliability.spring;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import dev.criticaltask.testsupport.boot.ChildApplication;

import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.BeanDefinitionRegistryPostProcessor;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.boot.CommandLineRunner;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.autoconfigure.availability.ApplicationAvailabilityAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

/**
 * The faults of issue 5 that need a process of their own: the first argument names the
 * scenario, the others are Spring Boot arguments. Prints markers that
 * {@link SpringFaultProcessTest} counts.
 */
public final class FaultApplication {

    static final int FIFTY = 50;

    private FaultApplication() {
    }

    public static void main(String[] args) {
        Class<?> scenario = switch (args[0]) {
            case "fifty-failures" -> FiftyFailures.class;
            case "throwing-event-listener" -> ThrowingEventListener.class;
            case "out-of-memory" -> OutOfMemory.class;
            case "bean-creation-throws" -> BeanCreationThrows.class;
            case "runner-fails-with-task" -> RunnerFailsWithTask.class;
            default -> throw new IllegalArgumentException("Unknown scenario " + args[0]);
        };
        ChildApplication.run(scenario, false, Arrays.copyOfRange(args, 1, args.length));
    }

    static void awaitReady() throws InterruptedException {
        ChildApplication.awaitReady();
    }

    static CriticalTask worker(String name) {
        return token -> {
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
            CriticalTaskRegistry registry = event.getSource();
            System.out.println("EVENT task=" + event.getTaskName() + " cause=" + event.getCause() + " first="
                    + registry.firstFailure().map(failure -> failure.taskDescription()).orElse("none") + " root="
                    + registry.rootToken().reason().map(Throwable::getMessage).orElse("none"));
        }

    }

    /** Fifty tasks crash at the same moment, beside a worker. */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class FiftyFailures {

        static final CyclicBarrier TOGETHER = new CyclicBarrier(FIFTY);

        @Bean
        static BeanDefinitionRegistryPostProcessor fiftyFailingTasks() {
            return new BeanDefinitionRegistryPostProcessor() {
                @Override
                public void postProcessBeanDefinitionRegistry(BeanDefinitionRegistry registry) {
                    for (int i = 0; i < FIFTY; i++) {
                        int index = i;
                        RootBeanDefinition definition = new RootBeanDefinition(CriticalTask.class,
                                () -> (CriticalTask) token -> {
                                    awaitReady();
                                    TOGETHER.await(30, TimeUnit.SECONDS);
                                    throw new IllegalStateException("boom " + index);
                                });
                        registry.registerBeanDefinition("failing" + index, definition);
                    }
                }
            };
        }

        @Bean
        CriticalTask worker() {
            return FaultApplication.worker("worker");
        }

    }

    /** A failure whose event handler throws: the shutdown must go on. */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class ThrowingEventListener {

        @EventListener
        void explode(CriticalTaskFailedEvent event) {
            System.out.println("LISTENER THROWS");
            throw new IllegalStateException("event handler throws");
        }

        @Bean
        CriticalTask worker() {
            return FaultApplication.worker("worker");
        }

        @Bean
        CriticalTask failing() {
            return token -> {
                awaitReady();
                throw new IllegalStateException("boom");
            };
        }

    }

    /**
     * A task throws OutOfMemoryError (thrown, not provoked: the rest of the JVM stays
     * healthy).
     */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class OutOfMemory {

        @Bean
        CriticalTask worker() {
            return FaultApplication.worker("worker");
        }

        @Bean
        CriticalTask hungry() {
            return token -> {
                awaitReady();
                throw new OutOfMemoryError("injected: Java heap space");
            };
        }

    }

    /** A CriticalTask bean whose creation throws, after another task bean was created. */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class BeanCreationThrows {

        @Bean
        CriticalTask worker() {
            return FaultApplication.worker("worker");
        }

        @Bean
        CriticalTask broken() {
            throw new IllegalStateException("cannot create this task");
        }

    }

    /**
     * A task fails while a CommandLineRunner (part of SpringApplication.run, after the
     * refresh) fails too: two failures race to end the application.
     */
    @Configuration(proxyBeanMethods = false)
    @Import(Common.class)
    static class RunnerFailsWithTask {

        static final CountDownLatch TASK_STARTED = new CountDownLatch(1);

        @Bean
        CriticalTask worker() {
            return FaultApplication.worker("worker");
        }

        @Bean
        CriticalTask failing() {
            return token -> {
                TASK_STARTED.countDown();
                throw new IllegalStateException("task fails during run");
            };
        }

        @Bean
        CommandLineRunner failingRunner() {
            return args -> {
                TASK_STARTED.await(30, TimeUnit.SECONDS);
                throw new IllegalStateException("runner fails");
            };
        }

    }

}
