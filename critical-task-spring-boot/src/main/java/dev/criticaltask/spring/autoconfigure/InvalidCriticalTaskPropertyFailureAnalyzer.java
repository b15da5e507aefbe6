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

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidCriticalTaskPropertyException}: the description names the
 * property, its value and why it cannot work; the action says what to set instead.
 */
final class InvalidCriticalTaskPropertyFailureAnalyzer
        extends AbstractFailureAnalyzer<InvalidCriticalTaskPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidCriticalTaskPropertyException cause) {
        String description = (cause.getValue() != null
                ? "The property '" + cause.getProperty() + "' has the invalid value '" + cause.getValue() + "'"
                : "The property '" + cause.getProperty() + "' cannot be used") + ": " + cause.getReason() + ".";
        String action = "Update the property '" + cause.getProperty() + "' in your configuration to "
                + cause.getExpected() + ", or remove it to use the default.";
        return new FailureAnalysis(description, action, cause);
    }

}
