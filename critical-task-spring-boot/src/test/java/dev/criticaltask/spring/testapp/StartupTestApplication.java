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

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.criticaltask.CriticalTask;
import dev.criticaltask.SupervisedTask;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import dev.criticaltask.testsupport.boot.ChildApplication;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.context.event.EventListener;

/**
 * A web application whose readiness waits for a critical task, for
 * {@link StartupChildProcessTests}: {@code prices} is ready once the file named by
 * {@code startup.ready-file} exists, and {@code orders} prints when it starts and stops.
 * The test sets {@code await-ready}, {@code depends-on} and time-outs on the command
 * line.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
@Import(ChildApplication.Markers.class)
public class StartupTestApplication {

    public static void main(String[] args) {
        ChildApplication.run(StartupTestApplication.class, true, args);
    }

    @Bean
    SupervisedTask prices(@Value("${startup.ready-file}") Path readyFile) {
        return (context) -> {
            System.out.println("PRICES LOADING");
            while (!Files.exists(readyFile)) {
                if (context.cancellation().await(Duration.ofMillis(20))) {
                    System.out.println("PRICES STOPPED BEFORE READY");
                    return;
                }
            }
            System.out.println("PRICES READY");
            context.ready();
            context.cancellation().await();
            System.out.println("PRICES STOPPED");
        };
    }

    @EventListener
    void failed(CriticalTaskFailedEvent event) {
        System.out.println("EVENT task=" + event.getTaskName() + " cause=" + event.getCause().getClass().getName());
    }

    @Bean
    CriticalTask orders() {
        return (token) -> {
            System.out.println("ORDERS STARTED");
            token.await();
            System.out.println("ORDERS STOPPED");
        };
    }

}
