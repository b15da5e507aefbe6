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

package dev.criticaltask.spring.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.Enumeration;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration processor turns the properties' Javadoc into metadata that IDEs show.
 */
@Tag("spring")
class ConfigurationMetadataTests {

    @Test
    void describesEveryPropertyWithItsDefault() throws IOException {
        String metadata = starterMetadata();
        assertThat(metadata).contains("\"name\": \"critical-task.enabled\"", "\"name\": \"critical-task.phase\"",
                "\"name\": \"critical-task.shutdown.grace-period\"", "\"name\": \"critical-task.shutdown.exit-code\"",
                "\"name\": \"critical-task.shutdown.exit-process\"", "\"name\": \"critical-task.threads.virtual\"",
                "\"name\": \"critical-task.scheduling.all-critical\"");
        assertThat(metadata).contains("\"defaultValue\": \"20s\"", "\"defaultValue\": 2147479551",
                "spring.lifecycle.timeout-per-shutdown-phase", "spring.threads.virtual.enabled",
                "Whether every @Scheduled method and every @Async method that returns void is critical");
    }

    private String starterMetadata() throws IOException {
        Enumeration<URL> resources = getClass().getClassLoader()
            .getResources("META-INF/spring-configuration-metadata.json");
        while (resources.hasMoreElements()) {
            try (InputStream stream = resources.nextElement().openStream()) {
                String content = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
                if (content.contains("dev.criticaltask.spring.autoconfigure.CriticalTaskProperties")) {
                    return content;
                }
            }
        }
        throw new AssertionError("No configuration metadata for CriticalTaskProperties");
    }

}
