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

package dev.criticaltask.spring.autoconfigure.scheduling;

import dev.criticaltask.spring.scheduling.InvalidCriticalJobException;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

/**
 * Explains an {@link InvalidCriticalJobException}: the description names the bean, the
 * method and why it cannot be a critical job; the action says what to change.
 */
final class InvalidCriticalJobFailureAnalyzer extends AbstractFailureAnalyzer<InvalidCriticalJobException> {

    @Override
    protected FailureAnalysis analyze(Throwable rootFailure, InvalidCriticalJobException cause) {
        String description = "The method " + cause.getMethod() + " of bean '" + cause.getBeanName()
                + "' cannot be a critical job: " + cause.getReason() + ".";
        return new FailureAnalysis(description, cause.getAction(), cause);
    }

}
