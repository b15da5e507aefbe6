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
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The configuration processor turns the properties' Javadoc into metadata that IDEs show;
 * the per-task keys, which it cannot describe (they are the fields of a map's values),
 * come from {@code additional-spring-configuration-metadata.json}. The keys the
 * properties classes bind, the metadata and the table of {@code docs/properties.md} agree
 * key for key.
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

    @Test
    void whenPerTaskKeysAreReadFromTheClassesShouldEachHaveMetadataWithADescriptionAndADefault() throws IOException {
        assertEveryPerTaskKeyDescribed(starterMetadata());
    }

    @Test
    void whenKeysAreListedShouldBeTheSameInTheClassesTheMetadataAndTheDocs() throws IOException {
        assertKeysAgree(starterMetadata());
    }

    /**
     * Every per-task key the properties classes bind has metadata: a description, a type,
     * and the default that docs/properties.md gives (none where it says unset).
     * @param json the content of a spring-configuration-metadata.json
     */
    /** The per-task keys of these types get example values as hints. */
    private static final List<String> HINTED_TYPES = List.of("java.time.Duration", "java.lang.Integer",
            "java.lang.String");

    static void assertEveryPerTaskKeyDescribed(String json) throws IOException {
        Map<String, Map<String, Object>> metadata = metadataByName(json);
        Map<String, String> documentedDefaults = documentedDefaults();
        List<String> perTaskKeys = keys().stream().filter((key) -> key.startsWith("critical-task.tasks.")).toList();
        assertThat(perTaskKeys).isNotEmpty();
        for (String key : perTaskKeys) {
            assertThat(metadata).as("metadata for %s", key).containsKey(key);
            Map<String, Object> property = metadata.get(key);
            assertThat((String) property.get("description")).as("description of %s", key).isNotBlank();
            assertThat(property.get("type")).as("type of %s", key).isNotNull();
            if (HINTED_TYPES.contains(property.get("type"))) {
                // an IDE offers nothing for a Map value's key without a value hint
                List<Object> values = JsonPath.read(json, "$.hints[?(@.name == '" + key + "')].values[*].value");
                assertThat(values).as("value hints of %s", key).isNotEmpty();
            }
            if ("unset".equals(documentedDefaults.get(key))) {
                assertThat(property).as("%s has no default", key).doesNotContainKey("defaultValue");
            }
            else {
                assertThat(property).as("default of %s", key).containsKey("defaultValue");
                assertThat("`" + property.get("defaultValue") + "`").as("documented default of %s", key)
                    .isEqualTo(documentedDefaults.get(key));
            }
        }
    }

    /**
     * The keys the properties classes bind, the metadata's keys under critical-task. and
     * the keys of docs/properties.md's table are the same.
     * @param json the content of a spring-configuration-metadata.json
     */
    static void assertKeysAgree(String json) throws IOException {
        Set<String> bound = new TreeSet<>(keys());
        bound.add("critical-task.tasks");
        Set<String> described = metadataByName(json).keySet()
            .stream()
            .filter((name) -> name.startsWith("critical-task."))
            .collect(Collectors.toCollection(TreeSet::new));
        Set<String> documented = new TreeSet<>(documentedDefaults().keySet());
        assertThat(described).as("metadata").isEqualTo(bound);
        assertThat(documented).as("docs/properties.md").isEqualTo(bound);
    }

    /** What the properties classes bind; an index of a list is the list's own key. */
    private static List<String> keys() {
        return CriticalTaskPropertyKeys.criticalTask()
            .keys()
            .stream()
            .filter((key) -> !key.endsWith("[<index>]"))
            .toList();
    }

    private static Map<String, Map<String, Object>> metadataByName(String json) {
        List<Map<String, Object>> properties = JsonPath.read(json, "$.properties");
        Map<String, Map<String, Object>> byName = new LinkedHashMap<>();
        properties.forEach((property) -> byName.put((String) property.get("name"), property));
        return byName;
    }

    /**
     * The table of docs/properties.md: each key under critical-task. with its default.
     */
    private static Map<String, String> documentedDefaults() throws IOException {
        String page = Files.readString(Path.of("..", "docs", "properties.md"));
        Matcher row = Pattern.compile("(?m)^\\| `(critical-task\\.[^`]+)` \\| ([^|]+) \\|").matcher(page);
        Map<String, String> defaults = new LinkedHashMap<>();
        while (row.find()) {
            defaults.put(row.group(1), row.group(2).trim());
        }
        return defaults;
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
