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
 * Explains an {@link UnknownCriticalTaskPropertyException}: the description lists each
 * unknown property, where it was set and the nearest valid key; the action says to rename
 * or remove it.
 */
final class UnknownCriticalTaskPropertyFailureAnalyzer
        extends AbstractFailureAnalyzer<UnknownCriticalTaskPropertyException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, UnknownCriticalTaskPropertyException cause) {
        String newline = System.lineSeparator();
        StringBuilder description = new StringBuilder(
                "Properties under 'critical-task.' must each be a known key: a misspelt key would be ignored "
                        + "without a word. These are none:")
            .append(newline);
        for (UnknownCriticalTaskPropertyException.UnknownProperty property : cause.getProperties()) {
            description.append(newline)
                .append("    Property: ")
                .append(property.name())
                .append(newline)
                .append("    Origin: ")
                .append(property.origin())
                .append(newline)
                .append("    Did you mean: ")
                .append(property.nearest())
                .append(newline);
        }
        String action = "Rename each property to the key it was meant to be (the nearest valid key is shown), "
                + "or remove it. The valid keys, with their defaults, are in the starter's configuration "
                + "metadata, which IDEs show as you type.";
        return new FailureAnalysis(description.toString(), action, cause);
    }

}
