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

import org.springframework.aot.hint.MemberCategory;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;

/**
 * What the strict configuration check reaches by reflection, for a native image: the
 * public methods of every properties class (the valid keys are read from their getters),
 * and the constructors of the failure analyzers, which Boot creates from
 * {@code spring.factories}.
 */
final class CriticalTaskPropertiesRuntimeHints implements RuntimeHintsRegistrar {

    @Override
    public void registerHints(RuntimeHints hints, @Nullable ClassLoader classLoader) {
        for (Class<?> type : CriticalTaskPropertyKeys.criticalTask().types()) {
            hints.reflection().registerType(type, MemberCategory.INVOKE_PUBLIC_METHODS);
        }
        hints.reflection()
            .registerType(InvalidCriticalTaskPropertyFailureAnalyzer.class, MemberCategory.INVOKE_DECLARED_CONSTRUCTORS)
            .registerType(UnknownCriticalTaskPropertyFailureAnalyzer.class,
                    MemberCategory.INVOKE_DECLARED_CONSTRUCTORS);
    }

}
