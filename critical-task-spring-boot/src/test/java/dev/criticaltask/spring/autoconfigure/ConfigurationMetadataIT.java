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
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.jar.JarFile;
import java.util.zip.ZipEntry;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration metadata in the packaged jar, as an IDE reads it from the dependency:
 * every per-task key described with its default, and the same keys as the properties
 * classes and docs/properties.md. Run by failsafe after the jar is packaged.
 */
@Tag("spring")
class ConfigurationMetadataIT {

    @Test
    void whenReadFromThePackagedJarShouldDescribeEveryKeyTheDocsList() throws IOException {
        Path jar = Path.of(System.getProperty("starter.jar", "target/critical-task-spring-boot.jar"));
        assertThat(jar).as("the packaged jar; run through 'mvn verify'").isRegularFile();
        String metadata;
        try (JarFile file = new JarFile(jar.toFile())) {
            ZipEntry entry = file.getEntry("META-INF/spring-configuration-metadata.json");
            assertThat(entry).as("metadata in %s", jar).isNotNull();
            try (InputStream stream = file.getInputStream(entry)) {
                metadata = new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        ConfigurationMetadataTests.assertEveryPerTaskKeyDescribed(metadata);
        ConfigurationMetadataTests.assertKeysAgree(metadata);
    }

}
