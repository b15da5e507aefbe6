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

/**
 * Checks the values of {@link CriticalTaskProperties}, once, when the auto-configuration
 * is created: the first invalid one fails start-up with an
 * {@link InvalidCriticalTaskPropertyException} that names it.
 */
final class CriticalTaskPropertiesValidator {

    /** The highest exit code a process can report. */
    static final int MAX_EXIT_CODE = 255;

    private CriticalTaskPropertiesValidator() {
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
