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

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * Explains an {@link InvalidCriticalTaskPropertyException} as Boot explains an invalid
 * configuration property value: the description names the property, its value, where it
 * was set and why it cannot work; the action says what to set instead. Ordered before
 * Boot's own analyzer, which would otherwise take the exception and drop the action.
 */
final class InvalidCriticalTaskPropertyFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidCriticalTaskPropertyException> implements Ordered {

    private final Environment environment;

    InvalidCriticalTaskPropertyFailureAnalyzer(Environment environment) {
        this.environment = environment;
    }

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidCriticalTaskPropertyException cause) {
        String origin = origin(cause.getName());
        String originated = (origin != null) ? " (originating from '" + origin + "')" : "";
        String description = ((cause.getValue() != null)
                ? "Invalid value '" + cause.getValue() + "' for configuration property '" + cause.getName() + "'"
                : "The configuration property '" + cause.getName() + "' cannot be used") + originated
                + ". Validation failed for the following reason:" + System.lineSeparator() + System.lineSeparator()
                + cause.getReason() + ".";
        String action = "Update the property '" + cause.getName() + "' in your configuration to " + cause.getExpected()
                + ", or remove it to use the default.";
        return new FailureAnalysis(description, action, cause);
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

    /** Where the property was set, if a property source says so. */
    private @Nullable String origin(String name) {
        ConfigurationPropertyName property = ConfigurationPropertyName.ofIfValid(name);
        if (property == null) {
            return null;
        }
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
            ConfigurationProperty found = source.getConfigurationProperty(property);
            if (found != null) {
                return CriticalTaskPropertiesValidator.origin(source, found);
            }
        }
        return null;
    }

}
