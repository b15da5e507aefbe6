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
     * Whether an environment variable is one of the project's own, which are no
     * properties: {@code CRITICAL_TASK_TEST_*} and {@code CRITICAL_TASK_REQUIRE_*}, which
     * its CI exports for every test JVM ({@code CRITICAL_TASK_TEST_JDBC_URL},
     * {@code CRITICAL_TASK_REQUIRE_POSTGRES}). No key starts with {@code test.} or
     * {@code require-}.
     */
    private static boolean isReservedVariable(String variable) {
        String upper = variable.toUpperCase(java.util.Locale.ROOT);
        return upper.startsWith("CRITICAL_TASK_TEST_") || upper.startsWith("CRITICAL_TASK_REQUIRE_");
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
                    if (keys.isUnderPrefixAsEnvironmentVariable(variable) && !keys.isKnownEnvironmentVariable(variable)
                            && !isReservedVariable(variable)) {
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
        validate(properties.getLeadership());
    }

    private static void validate(CriticalTaskProperties.Leadership leadership) {
        String prefix = "critical-task.leadership.";
        positive(leadership.getHeartbeat(), prefix + "heartbeat", "500ms");
        notNegative(leadership.getBusyWait(), prefix + "busy-wait", "50ms");
        Duration ttl = leadership.getLease().getTimeToLive();
        positive(ttl, prefix + "lease.time-to-live", "10s");
        Duration margin = leadership.getLease().getMargin();
        notNegative(margin, prefix + "lease.margin", "2s");
        if (margin.compareTo(ttl) >= 0 || leadership.getHeartbeat().compareTo(ttl.minus(margin)) >= 0) {
            throw new InvalidCriticalTaskPropertyException(prefix + "heartbeat", leadership.getHeartbeat(),
                    "it must be shorter than lease.time-to-live - lease.margin (" + ttl + " - " + margin
                            + "), or the lease guard would stop the tasks between two renewals",
                    "a heartbeat well below the time-to-live, such as 500ms for 10s with a 2s margin");
        }
        CriticalTaskProperties.LeadershipRestart restart = leadership.getRestart();
        if (restart.getMaxRestarts() < 0) {
            throw new InvalidCriticalTaskPropertyException(prefix + "restart.max-restarts", restart.getMaxRestarts(),
                    "it must not be negative", "0 (the first engine error is critical) or a positive number");
        }
        positive(restart.getWithin(), prefix + "restart.within", "5m");
        notNegative(restart.getBackoff().getInitial(), prefix + "restart.backoff.initial", "500ms");
        if (restart.getBackoff().getMax().compareTo(restart.getBackoff().getInitial()) < 0) {
            throw new InvalidCriticalTaskPropertyException(prefix + "restart.backoff.max",
                    restart.getBackoff().getMax(), "it must not be below the initial backoff",
                    "a duration at least as long as " + prefix + "restart.backoff.initial");
        }
        String region = leadership.getJdbc().getRegion();
        if (region == null || region.isBlank() || region.length() > 100) {
            throw new InvalidCriticalTaskPropertyException(prefix + "jdbc.region", region,
                    "it must be 1 to 100 characters (INT_LOCK.REGION is a VARCHAR(100))", "critical-task");
        }
    }

    private static void positive(Duration value, String property, String example) {
        if (value == null || value.isZero() || value.isNegative()) {
            throw new InvalidCriticalTaskPropertyException(property, value, "it must be positive",
                    "a duration such as " + example);
        }
    }

    private static void notNegative(Duration value, String property, String example) {
        if (value == null || value.isNegative()) {
            throw new InvalidCriticalTaskPropertyException(property, value, "it must not be negative",
                    "a duration such as " + example);
        }
    }

    private static void validate(CriticalTaskProperties.Task task, String prefix) {
        validate(task.getRestart(), prefix + ".restart");
        String role = task.getLeadership().getRole();
        if (role != null && role.isBlank()) {
            throw new InvalidCriticalTaskPropertyException(prefix + ".leadership.role", role, "it must not be blank",
                    "a role name shared by the tasks that must run on one instance only, such as 'ledger'; "
                            + "or no value, to run the task on every instance");
        }
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
