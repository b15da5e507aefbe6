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

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * A {@code critical-task.*} property has a value that cannot work. Thrown at start-up,
 * and explained by a failure analyzer as Boot explains an
 * {@link InvalidConfigurationPropertyValueException}: the property, its value and where
 * it was set, why it cannot work and what would.
 */
public final class InvalidCriticalTaskPropertyException extends InvalidConfigurationPropertyValueException {

    private static final long serialVersionUID = 1L;

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
        super(property, (value != null) ? value.toString() : null, reason);
        this.expected = expected;
    }

    @Override
    public String getMessage() {
        return ((getValue() != null) ? "Invalid value '" + getValue() + "' for property '" + getName() + "'"
                : "Property '" + getName() + "' cannot be used") + ": " + getReason();
    }

    /** What a valid value looks like. */
    String getExpected() {
        return this.expected;
    }

}
