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

/**
 * A {@code critical-task.*} property has a value that cannot work. Thrown at start-up,
 * and explained by a failure analyzer: the property, its value, why it cannot work and
 * what would.
 */
public final class InvalidCriticalTaskPropertyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The full name of the property. */
    private final String property;

    /** The value as set; {@code null} when the problem is the property's name. */
    private final @Nullable String value;

    /** Why it cannot work. */
    private final String reason;

    /** What a valid value looks like. */
    private final String expected;

    /**
     * Creates the exception.
     * @param property the full name of the property, such as
     * {@code critical-task.shutdown.exit-code}
     * @param value the value as set; {@code null} when the problem is the property's name
     * @param reason why it cannot work, as a clause without a final period
     * @param expected what a valid value looks like
     */
    public InvalidCriticalTaskPropertyException(String property, @Nullable Object value, String reason,
            String expected) {
        super((value != null ? "Invalid value '" + value + "' for property '" + property + "'"
                : "Property '" + property + "' cannot be used") + ": " + reason);
        this.property = property;
        this.value = (value != null) ? value.toString() : null;
        this.reason = reason;
        this.expected = expected;
    }

    /**
     * The full name of the property, such as {@code critical-task.shutdown.exit-code}.
     */
    String getProperty() {
        return this.property;
    }

    /** The value as set; null when the problem is the property's name, not its value. */
    @Nullable String getValue() {
        return this.value;
    }

    String getReason() {
        return this.reason;
    }

    /** What a valid value looks like. */
    String getExpected() {
        return this.expected;
    }

}
