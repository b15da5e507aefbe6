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

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aot.generate.ClassNameGenerator;
import org.springframework.aot.generate.DefaultGenerationContext;
import org.springframework.aot.generate.InMemoryGeneratedFiles;
import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.aot.ApplicationContextAotGenerator;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.javapoet.ClassName;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Spring AOT and native images: the hints for what the strict configuration check reaches
 * by reflection, contributed when the auto-configuration is processed ahead of time; and
 * the warning when a run-time property disagrees with the conditions fixed at build time.
 */
@Tag("spring")
@ExtendWith(OutputCaptureExtension.class)
class CriticalTaskAotTests {

    @Test
    void whenHintsAreRegisteredShouldCoverEveryPropertiesClassAndBothAnalyzers() throws NoSuchMethodException {
        RuntimeHints hints = new RuntimeHints();
        new CriticalTaskPropertiesRuntimeHints().registerHints(hints, getClass().getClassLoader());
        assertHints(hints);
    }

    @Test
    void whenProcessedAheadOfTimeShouldContributeTheHints() throws NoSuchMethodException {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.register(CriticalTaskAutoConfiguration.class);
            DefaultGenerationContext generation = new DefaultGenerationContext(
                    new ClassNameGenerator(ClassName.get(CriticalTaskAotTests.class)), new InMemoryGeneratedFiles());
            new ApplicationContextAotGenerator().processAheadOfTime(context, generation);
            generation.writeGeneratedContent();
            assertHints(generation.getRuntimeHints());
            // Boot's own binding hints for the properties class, beside ours
            assertThat(RuntimeHintsPredicates.reflection()
                .onMethodInvocation(CriticalTaskProperties.Restart.class, "setMaxRestarts"))
                .accepts(generation.getRuntimeHints());
        }
    }

    @Test
    void whenDisabledAtRunTimeUnderAotShouldWarnThatItIsIgnored(CapturedOutput output) {
        CriticalTaskAutoConfiguration.warnIfDisabledAtRunTimeOnly(disabled(), true);
        assertThat(output).contains("critical-task.enabled=false is ignored: this application runs with the bean "
                + "definitions that Spring AOT generated at build time, when critical-task.enabled was true");
    }

    @Test
    void whenDisabledWithoutAotShouldNotWarn(CapturedOutput output) {
        CriticalTaskAutoConfiguration.warnIfDisabledAtRunTimeOnly(disabled(), false);
        CriticalTaskAutoConfiguration.warnIfDisabledAtRunTimeOnly(new MockEnvironment(), true);
        assertThat(output).doesNotContain("is ignored");
    }

    private static StandardEnvironment disabled() {
        StandardEnvironment environment = new StandardEnvironment();
        environment.getPropertySources()
            .addFirst(new MapPropertySource("test", java.util.Map.of("critical-task.enabled", "false")));
        return environment;
    }

    private static void assertHints(RuntimeHints hints) throws NoSuchMethodException {
        for (Class<?> type : CriticalTaskPropertyKeys.criticalTask().types()) {
            for (java.beans.PropertyDescriptor descriptor : org.springframework.beans.BeanUtils
                .getPropertyDescriptors(type)) {
                if (descriptor.getReadMethod() != null && descriptor.getReadMethod().getDeclaringClass() == type) {
                    assertThat(RuntimeHintsPredicates.reflection().onMethodInvocation(descriptor.getReadMethod()))
                        .as("hint for %s", descriptor.getReadMethod())
                        .accepts(hints);
                }
            }
        }
        assertThat(CriticalTaskPropertyKeys.criticalTask().types()).contains(CriticalTaskProperties.class,
                CriticalTaskProperties.Task.class, CriticalTaskProperties.Backoff.class);
        assertThat(RuntimeHintsPredicates.reflection()
            .onConstructorInvocation(InvalidCriticalTaskPropertyFailureAnalyzer.class
                .getDeclaredConstructor(org.springframework.core.env.Environment.class)))
            .accepts(hints);
        assertThat(RuntimeHintsPredicates.reflection()
            .onConstructorInvocation(UnknownCriticalTaskPropertyFailureAnalyzer.class.getDeclaredConstructor()))
            .accepts(hints);
    }

}
