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

import java.lang.reflect.Method;
import java.util.Optional;

import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.lifecycle.CriticalTaskLifecycle;
import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.test.annotation.DirtiesContext.HierarchyMode;
import org.springframework.test.context.TestContext;
import org.springframework.test.context.TestExecutionListener;

/**
 * Fails the test that runs when a critical task of its context has failed, with that
 * {@link CriticalTaskFailedException} (which names the task), and marks the context dirty
 * so that the TestContext framework closes it and gives the next test a fresh one. The
 * starter itself never closes a context that the framework manages (see
 * {@link CriticalTaskContextCustomizer}).
 *
 * <p>
 * It looks before and after each test method, and after the test class: a failure while a
 * test runs fails that test; one between two tests, the next; one after the last test,
 * the class. Registered in {@code META-INF/spring.factories}; runs on the test's thread.
 */
public final class CriticalTaskTestExecutionListener implements TestExecutionListener, Ordered {

    /**
     * Creates the listener; Spring's TestContext framework loads it from
     * {@code META-INF/spring.factories}.
     */
    public CriticalTaskTestExecutionListener() {
    }

    /**
     * Fails the test that is about to run if a task has failed already.
     * @param testContext the test's context
     */
    @Override
    public void beforeTestMethod(TestContext testContext) {
        failIfATaskFailed(testContext);
    }

    /**
     * Fails the test that has just run if a task failed meanwhile.
     * @param testContext the test's context
     */
    @Override
    public void afterTestMethod(TestContext testContext) {
        failIfATaskFailed(testContext);
    }

    /**
     * Fails the test class if a task failed after its last test.
     * @param testContext the test's context
     */
    @Override
    public void afterTestClass(TestContext testContext) {
        failIfATaskFailed(testContext);
    }

    /**
     * {@return {@link Ordered#LOWEST_PRECEDENCE}: the after-test callbacks run in reverse
     * order, so this one marks the context dirty before the others use it}
     */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    private static void failIfATaskFailed(TestContext testContext) {
        if (!testContext.hasApplicationContext()) {
            return;
        }
        Optional<CriticalTaskFailedException> failure = firstFailure(testContext.getApplicationContext());
        if (failure.isPresent()) {
            testContext.markApplicationContextDirty(HierarchyMode.EXHAUSTIVE);
            if (!isExpected(testContext)) {
                throw failure.get();
            }
        }
    }

    private static boolean isExpected(TestContext testContext) {
        Method method = testMethod(testContext);
        return (method != null && AnnotatedElementUtils.hasAnnotation(method, ExpectedCriticalTaskFailure.class))
                || AnnotatedElementUtils.hasAnnotation(testContext.getTestClass(), ExpectedCriticalTaskFailure.class);
    }

    /**
     * {@return the test method, or null in a class-level callback}
     */
    private static @Nullable Method testMethod(TestContext testContext) {
        try {
            return testContext.getTestMethod();
        }
        catch (IllegalStateException ex) {
            return null;
        }
    }

    /**
     * The first failure of the context's registry, if the starter turns its failures into
     * a shutdown there (its lifecycle runs the registry's tasks): a context without the
     * starter's auto-configuration shuts nothing down, and fails no test.
     */
    private static Optional<CriticalTaskFailedException> firstFailure(ApplicationContext context) {
        if (context instanceof ConfigurableApplicationContext configurable && !configurable.isActive()) {
            return Optional.empty();
        }
        if (context.getBeanProvider(CriticalTaskLifecycle.class).getIfAvailable() == null) {
            return Optional.empty();
        }
        return context.getBeanProvider(CriticalTaskRegistry.class)
            .stream()
            .map(CriticalTaskRegistry::firstFailure)
            .flatMap(Optional::stream)
            .findFirst();
    }

}
