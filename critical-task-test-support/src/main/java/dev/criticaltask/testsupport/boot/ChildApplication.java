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

package dev.criticaltask.testsupport.boot;

import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;

/**
 * What the Spring Boot applications that
 * {@link dev.criticaltask.testsupport.ChildProcesses} runs have in common: a {@code main}
 * that runs one scenario, and markers on standard output that the tests look for.
 *
 * <ul>
 * <li>{@code READY} when the application is ready ({@link #awaitReady()} returns
 * then);</li>
 * <li>{@code AVAILABILITY <state>} for each availability change;</li>
 * <li>{@code CLOSED thread=<name>} when the context closes, on that thread;</li>
 * <li>{@code MAIN RETURNED} when {@code SpringApplication.run} returned.</li>
 * </ul>
 */
public final class ChildApplication {

    private static final CountDownLatch READY = new CountDownLatch(1);

    private ChildApplication() {
    }

    /**
     * Runs a scenario as the application of this JVM.
     * @param scenario the configuration class to run; it should import {@link Markers}
     * @param web whether it is a web application
     * @param args Spring Boot's arguments; the banner is always off
     * @return the context that {@code SpringApplication.run} returned
     */
    public static ConfigurableApplicationContext run(Class<?> scenario, boolean web, String... args) {
        SpringApplication application = new SpringApplication(scenario);
        if (!web) {
            application.setWebApplicationType(WebApplicationType.NONE);
        }
        String[] arguments = Arrays.copyOf(args, args.length + 1);
        arguments[args.length] = "--spring.main.banner-mode=off";
        ConfigurableApplicationContext context = application.run(arguments);
        System.out.println("MAIN RETURNED");
        return context;
    }

    /**
     * Waits until the application is ready, for tasks that must fail only once it is.
     * @throws InterruptedException when interrupted while waiting
     * @throws IllegalStateException when it is not ready within 30 seconds
     */
    public static void awaitReady() throws InterruptedException {
        if (!READY.await(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("application did not become ready");
        }
    }

    /**
     * Prints the markers.
     */
    @Configuration(proxyBeanMethods = false)
    public static class Markers {

        @EventListener
        void ready(ApplicationReadyEvent event) {
            System.out.println("READY");
            READY.countDown();
        }

        @EventListener
        void availability(AvailabilityChangeEvent<?> event) {
            System.out.println("AVAILABILITY " + event.getState());
        }

        @EventListener
        void closed(ContextClosedEvent event) {
            System.out.println("CLOSED thread=" + Thread.currentThread().getName());
        }

    }

}
