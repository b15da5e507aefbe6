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

import java.util.Map;

import dev.criticaltask.spring.lifecycle.ProcessExit;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Adds the {@value ProcessExit#TEST_CONTEXT_PROPERTY} property to a context that the
 * TestContext framework loads, before it refreshes. After a task failure the starter then
 * publishes the failure but neither closes the context nor exits, and
 * {@link CriticalTaskTestExecutionListener} fails the test and has the framework drop the
 * context.
 *
 * <p>
 * All instances are equal, so the customizer never splits the context cache.
 */
final class CriticalTaskContextCustomizer implements ContextCustomizer {

    static final String PROPERTY_SOURCE_NAME = "criticalTaskTestContext";

    @Override
    public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
        context.getEnvironment()
            .getPropertySources()
            .addFirst(new MapPropertySource(PROPERTY_SOURCE_NAME, Map.of(ProcessExit.TEST_CONTEXT_PROPERTY, true)));
    }

    @Override
    public boolean equals(@Nullable Object other) {
        return other != null && other.getClass() == getClass();
    }

    @Override
    public int hashCode() {
        return getClass().hashCode();
    }

}
