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

package dev.criticaltask.spring.actuate;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import dev.criticaltask.CriticalTaskRegistry;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * A web application with actuator and a {@link CriticalTaskRegistry} of its own.
 *
 * <p>
 * Tests that use it exclude the starter's main auto-configuration: a failing task would
 * shut the application down (in a {@code @SpringBootTest}: fail the test that runs,
 * unless it says {@code @ExpectedCriticalTaskFailure}, and cancel its siblings), and they
 * are about the JSON, not the shutdown. Without that auto-configuration no failure shuts
 * anything down, and none fails a test.
 */
@SpringBootConfiguration(proxyBeanMethods = false)
@EnableAutoConfiguration
class ActuatorTestApplication {

    /** Excludes the auto-configuration that turns a failure into a shutdown. */
    static final String EXCLUDE_SHUTDOWN = "spring.autoconfigure.exclude=dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration";

    // HttpClient is AutoCloseable only from Java 21; one shared client for the tests'
    // lifetime
    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @Bean(destroyMethod = "")
    CriticalTaskRegistry criticalTaskRegistry() {
        return new CriticalTaskRegistry();
    }

    @Bean
    AutoCloseable criticalTaskRegistryStopper(CriticalTaskRegistry registry) {
        return () -> registry.stop(Duration.ofSeconds(5));
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

}
