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

package dev.criticaltask.bench.boot;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CountDownLatch;

import dev.criticaltask.CriticalTask;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.support.GenericApplicationContext;

/**
 * The application of item 6: no web server, Boot's auto-configuration, and {@code tasks}
 * {@link CriticalTask} beans that park on their token until it is cancelled (cooperative
 * tasks). "Without the starter" excludes the starter's four auto-configurations by name,
 * so that the same jar and the same beans are used; the task beans are then never run.
 */
@SpringBootConfiguration
@EnableAutoConfiguration
public class BenchApplication {

    static final String STARTER_AUTO_CONFIGURATIONS = String.join(",",
            "dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration",
            "dev.criticaltask.spring.autoconfigure.ReactiveCriticalTaskAutoConfiguration",
            "dev.criticaltask.spring.autoconfigure.scheduling.CriticalJobAutoConfiguration",
            "dev.criticaltask.spring.autoconfigure.health.CriticalTaskHealthAutoConfiguration",
            "dev.criticaltask.spring.autoconfigure.endpoint.CriticalTaskEndpointAutoConfiguration",
            "dev.criticaltask.spring.autoconfigure.metrics.CriticalTaskMetricsAutoConfiguration");

    /**
     * How the critical tasks run: not at all (no starter), on platform or on virtual
     * threads.
     */
    public enum Starter {

        NONE, PLATFORM, VIRTUAL

    }

    /**
     * Builds the application.
     * @param started counted down by each task when it starts, or null
     */
    public static SpringApplication create(Starter starter, int tasks, CountDownLatch started) {
        SpringApplication application = new SpringApplication(BenchApplication.class);
        application.setWebApplicationType(WebApplicationType.NONE);
        application.setRegisterShutdownHook(false);
        Map<String, Object> properties = new HashMap<>();
        properties.put("spring.main.banner-mode", "off");
        properties.put("logging.level.root", "WARN");
        properties.put("critical-task.shutdown.exit-process", "false");
        switch (starter) {
            case NONE -> properties.put("spring.autoconfigure.exclude", STARTER_AUTO_CONFIGURATIONS);
            case PLATFORM -> properties.put("critical-task.threads.virtual", "false");
            case VIRTUAL -> properties.put("critical-task.threads.virtual", "true");
        }
        application.setDefaultProperties(properties);
        application.addInitializers(context -> {
            GenericApplicationContext generic = (GenericApplicationContext) context;
            for (int i = 0; i < tasks; i++) {
                generic.registerBean("task" + i, CriticalTask.class, () -> token -> {
                    if (started != null) {
                        started.countDown();
                    }
                    token.await();
                });
            }
        });
        return application;
    }

    /**
     * Runs the application with 100 tasks on platform threads until it is stopped: for
     * trying it by hand.
     */
    public static void main(String[] args) {
        create(Starter.PLATFORM, 100, null).run(args);
    }

}
