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

import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.springframework.boot.context.properties.source.ConfigurationProperty;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.IterableConfigurationPropertySource;
import org.springframework.boot.origin.Origin;
import org.springframework.boot.origin.PropertySourceOrigin;
import org.springframework.core.env.Environment;
import org.springframework.core.env.PropertySource;
import org.springframework.core.env.SystemEnvironmentPropertySource;

/**
 * Checks {@link CriticalTaskProperties}, once, when the auto-configuration is created:
 * first that every property set under {@code critical-task.} in any property source
 * (files, environment variables, system properties, the command line) is a known key,
 * which an {@link UnknownCriticalTaskPropertyException} lists otherwise; then the values,
 * the first invalid one failing start-up with an
 * {@link InvalidCriticalTaskPropertyException} that names it. Stateless: it runs on the
 * thread that creates the auto-configuration, and reads the environment only.
 */
final class CriticalTaskPropertiesValidator {

    /** The highest exit code a process can report. */
    static final int MAX_EXIT_CODE = 255;

    private CriticalTaskPropertiesValidator() {
    }

    /**
     * Checks every key set in the environment, then every value.
     * @throws UnknownCriticalTaskPropertyException naming every unknown key
     * @throws InvalidCriticalTaskPropertyException naming the first invalid value
     */
    static void validate(CriticalTaskProperties properties, Environment environment) {
        checkKeys(CriticalTaskPropertyKeys.criticalTask(), environment);
        validate(properties);
    }

    /**
     * Checks that every property under the keys' prefix, in every property source, binds
     * to one of the keys.
     * @throws UnknownCriticalTaskPropertyException naming every one that does not
     */
    static void checkKeys(CriticalTaskPropertyKeys keys, Environment environment) {
        List<UnknownCriticalTaskPropertyException.UnknownProperty> unknown = new ArrayList<>();
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source.getUnderlyingSource() instanceof SystemEnvironmentPropertySource variables) {
                // read as written: Boot's mapped names lose how a variable spelt its
                // dashes
                for (String variable : variables.getPropertyNames()) {
                    if (keys.isUnderPrefixAsEnvironmentVariable(variable)
                            && !keys.isKnownEnvironmentVariable(variable)) {
                        String nearest = keys.nearestToEnvironmentVariable(variable);
                        unknown.add(new UnknownCriticalTaskPropertyException.UnknownProperty(variable,
                                String.valueOf(PropertySourceOrigin.get(variables, variable)),
                                nearest + " (as an environment variable: " + environmentVariable(nearest, variable)
                                        + ")"));
                    }
                }
            }
            else if (source instanceof IterableConfigurationPropertySource iterable) {
                iterable.stream()
                    .filter((name) -> keys.isUnderPrefix(name) && !keys.isKnown(name))
                    .forEach((name) -> unknown.add(unknown(keys, source, name)));
            }
        }
        if (!unknown.isEmpty()) {
            throw new UnknownCriticalTaskPropertyException(unknown);
        }
    }

    private static UnknownCriticalTaskPropertyException.UnknownProperty unknown(CriticalTaskPropertyKeys keys,
            ConfigurationPropertySource source, ConfigurationPropertyName name) {
        ConfigurationProperty property = source.getConfigurationProperty(name);
        String origin = (property != null) ? origin(source, property) : "property source " + sourceName(source);
        // a source that keeps the name as written says so in its origin
        String written = (property != null && property.getOrigin() instanceof PropertySourceOrigin propertyOrigin)
                ? propertyOrigin.getPropertyName() : written(name);
        return new UnknownCriticalTaskPropertyException.UnknownProperty(written, origin, keys.nearest(name));
    }

    /** The name as it was written, camel case and all, where the source kept it. */
    private static String written(ConfigurationPropertyName name) {
        StringBuilder written = new StringBuilder();
        for (int i = 0; i < name.getNumberOfElements(); i++) {
            String element = name.getElement(i, ConfigurationPropertyName.Form.ORIGINAL);
            boolean indexed = name.isNumericIndex(i) || element.contains(".");
            if (!indexed && i > 0) {
                written.append('.');
            }
            written.append(indexed ? "[" + element + "]" : element);
        }
        return written.toString();
    }

    /**
     * A key as an environment variable in the form the unknown variable seems to use:
     * dashes as underscores when it starts {@code CRITICAL_TASK_}, else dropped; dots as
     * underscores, upper case.
     */
    private static String environmentVariable(String key, String written) {
        String dash = written.toUpperCase(Locale.ROOT).startsWith("CRITICAL_TASK") ? "_" : "";
        return key.replace("[", ".").replace("]", "").replace("-", dash).replace('.', '_').toUpperCase(Locale.ROOT);
    }

    /**
     * Where a property was set, as Boot describes origins: a file and line, an
     * environment variable, or the property source.
     */
    static String origin(ConfigurationPropertySource source, ConfigurationProperty property) {
        Origin origin = property.getOrigin();
        return (origin != null) ? origin.toString() : "property source " + sourceName(source);
    }

    private static String sourceName(ConfigurationPropertySource source) {
        return (source.getUnderlyingSource() instanceof PropertySource<?> propertySource)
                ? "'" + propertySource.getName() + "'" : String.valueOf(source.getUnderlyingSource());
    }

    /**
     * Checks every value.
     * @throws InvalidCriticalTaskPropertyException naming the first invalid property
     */
    static void validate(CriticalTaskProperties properties) {
        Duration grace = properties.getShutdown().getGracePeriod();
        if (grace == null || grace.isNegative()) {
            throw new InvalidCriticalTaskPropertyException("critical-task.shutdown.grace-period", grace,
                    "it must be zero or positive",
                    "a duration such as 20s, below spring.lifecycle.timeout-per-shutdown-phase (30s by default)");
        }
        int exitCode = properties.getShutdown().getExitCode();
        if (exitCode < 1 || exitCode > MAX_EXIT_CODE) {
            throw new InvalidCriticalTaskPropertyException("critical-task.shutdown.exit-code", exitCode,
                    "a process can only report 1 to " + MAX_EXIT_CODE
                            + " as a failure (0 means success, larger values wrap around)",
                    "a number from 1 to " + MAX_EXIT_CODE);
        }
        String terminationMessagePath = properties.getShutdown().getTerminationMessagePath();
        if (terminationMessagePath != null && !terminationMessagePath.isEmpty()) {
            try {
                Path.of(terminationMessagePath);
            }
            catch (InvalidPathException ex) {
                throw new InvalidCriticalTaskPropertyException("critical-task.shutdown.termination-message-path",
                        terminationMessagePath, "it is not a valid path: " + ex.getReason(),
                        "a file such as /dev/termination-log, or empty for none");
            }
        }
        properties.getTasks().forEach((name, task) -> validate(task, "critical-task.tasks." + name));
    }

    private static void validate(CriticalTaskProperties.Task task, String prefix) {
        validate(task.getRestart(), prefix + ".restart");
        Duration timeout = task.getHeartbeat().getTimeout();
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new InvalidCriticalTaskPropertyException(prefix + ".heartbeat.timeout", timeout,
                    "it must be positive", "a duration such as 30s");
        }
    }

    private static void validate(CriticalTaskProperties.Restart restart, String prefix) {
        Integer maxRestarts = restart.getMaxRestarts();
        if (maxRestarts != null && maxRestarts < 0) {
            throw new InvalidCriticalTaskPropertyException(prefix + ".max-restarts", maxRestarts,
                    "it must not be negative", "0 (the first failure is fatal) or a positive number");
        }
        Duration within = restart.getWithin();
        if (within != null && (within.isZero() || within.isNegative())) {
            throw new InvalidCriticalTaskPropertyException(prefix + ".within", within, "it must be positive",
                    "a duration such as 1m");
        }
        Duration initial = restart.getBackoff().getInitial();
        Duration max = restart.getBackoff().getMax();
        if (initial != null && initial.isNegative()) {
            throw new InvalidCriticalTaskPropertyException(prefix + ".backoff.initial", initial,
                    "it must not be negative", "a duration such as 100ms");
        }
        if (max != null && max.compareTo((initial != null) ? initial : Duration.ZERO) < 0) {
            throw new InvalidCriticalTaskPropertyException(prefix + ".backoff.max", max,
                    "it must not be below the initial backoff",
                    "a duration at least as long as " + prefix + ".backoff.initial");
        }
    }

}
