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

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.convert.ConversionException;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The condition of {@link ConditionalOnCriticalTaskEnabled}: the value is read as Spring
 * reads a boolean property ({@code true}/{@code false}, {@code on}/{@code off},
 * {@code yes}/{@code no}, {@code 1}/{@code 0}), and any other value is an error.
 */
final class OnCriticalTaskEnabledCondition extends SpringBootCondition {

    static final String PROPERTY = "critical-task.enabled";

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Boolean enabled = enabled(context.getEnvironment());
        if (enabled == null || enabled) {
            return ConditionOutcome.match(PROPERTY + (enabled == null ? " is not set" : " is true"));
        }
        return ConditionOutcome.noMatch(PROPERTY + " is false");
    }

    /**
     * {@return the property's value, null when it is not set} Also read at run time under
     * AOT, where this condition is not evaluated again.
     * @throws InvalidCriticalTaskPropertyException when the value is not a boolean
     */
    static @Nullable Boolean enabled(Environment environment) {
        try {
            return environment.getProperty(PROPERTY, Boolean.class);
        }
        catch (ConversionException | IllegalArgumentException ex) {
            throw new InvalidCriticalTaskPropertyException(PROPERTY, environment.getProperty(PROPERTY),
                    "it is not a boolean, and reading it as false would turn critical tasks off without a word",
                    "true or false");
        }
    }

}
