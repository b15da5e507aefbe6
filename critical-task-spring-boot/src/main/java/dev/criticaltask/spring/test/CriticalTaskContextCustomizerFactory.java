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

package dev.criticaltask.spring.test;

import java.util.List;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;

/**
 * Marks every context that the TestContext framework loads as its own (see
 * {@link CriticalTaskContextCustomizer}). Registered in
 * {@code META-INF/spring.factories}, which only the TestContext framework reads for this
 * type.
 */
public final class CriticalTaskContextCustomizerFactory implements ContextCustomizerFactory {

    /**
     * Creates the factory; Spring's TestContext framework loads it from
     * {@code META-INF/spring.factories}.
     */
    public CriticalTaskContextCustomizerFactory() {
    }

    @Override
    public ContextCustomizer createContextCustomizer(Class<?> testClass,
            List<ContextConfigurationAttributes> configAttributes) {
        return new CriticalTaskContextCustomizer();
    }

}
