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

import java.util.List;
import java.util.stream.Collectors;

/**
 * Properties under {@code critical-task.} that bind to no key: each would be ignored
 * without a word, so start-up fails, naming each one, where it was set and the valid key
 * nearest to it.
 */
final class UnknownCriticalTaskPropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final List<UnknownProperty> properties;

    UnknownCriticalTaskPropertyException(List<UnknownProperty> properties) {
        super("Unknown " + ((properties.size() == 1) ? "property" : "properties") + " under 'critical-task.': "
                + properties.stream().map(UnknownProperty::toString).collect(Collectors.joining("; ")));
        this.properties = List.copyOf(properties);
    }

    /** The unknown properties, in the order of their property sources. */
    List<UnknownProperty> getProperties() {
        return this.properties;
    }

    /**
     * One property that binds to no key.
     *
     * @param name the name as it was set (an environment variable's own name)
     * @param origin where it was set
     * @param nearest the valid key nearest to it
     */
    record UnknownProperty(String name, String origin, String nearest) {

        @Override
        public String toString() {
            return "'" + this.name + "' (from " + this.origin + "), did you mean '" + this.nearest + "'?";
        }

    }

}
