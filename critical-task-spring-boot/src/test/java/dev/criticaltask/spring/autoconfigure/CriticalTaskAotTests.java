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

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.criticaltask.CriticalTask;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.support.GenericApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Spring AOT and native images: the hints for what the strict configuration check reaches
 * by reflection; and a real AOT processing of the auto-configuration, whose generated
 * code is compiled and run: the key check still fails start-up there, and
 * {@code critical-task.enabled=false} given only at run time, which the conditions fixed
 * at build time cannot honour, gets a WARN.
 */
@Tag("spring")
@ExtendWith(OutputCaptureExtension.class)
class CriticalTaskAotTests {

    /** Generated, compiled and defined once: a class can be defined only once. */
    private static AotArtifacts artifacts;

    @BeforeAll
    static void processAheadOfTime(@TempDir Path work) throws Exception {
        try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
            context.register(CriticalTaskAutoConfiguration.class, AotTasks.class);
            artifacts = AotArtifacts.process(context, CriticalTaskAotTests.class, work);
        }
    }

    @Test
    void whenHintsAreRegisteredShouldCoverEveryPropertiesClassAndBothAnalyzers() throws NoSuchMethodException {
        RuntimeHints hints = new RuntimeHints();
        new CriticalTaskPropertiesRuntimeHints().registerHints(hints, getClass().getClassLoader());
        assertHints(hints);
    }

    @Test
    void whenProcessedAheadOfTimeShouldContributeTheHints() throws NoSuchMethodException {
        assertHints(artifacts.runtimeHints());
        // Boot's own binding hints for the properties class, beside ours
        assertThat(RuntimeHintsPredicates.reflection()
            .onMethodInvocation(CriticalTaskProperties.Restart.class, "setMaxRestarts"))
            .accepts(artifacts.runtimeHints());
    }

    @Test
    void whenRunFromTheAotArtifactsShouldStillFailOnAnUnknownKeyBeforeAnyTaskStarts() throws Exception {
        AotTasks.started.set(false);
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("test", Map.of("critical-task.tasks.failer.restart.max-restart", "1",
                        "critical-task.shutdown.exit-process", "false")));
            artifacts.initialize(context);
            assertThatException().isThrownBy(context::refresh)
                .satisfies((failure) -> assertThat(FailureAnalyses.ofUnknownProperty(failure).getDescription())
                    .contains("Property: critical-task.tasks.failer.restart.max-restart")
                    .contains("Did you mean: critical-task.tasks.failer.restart.max-restarts"));
        }
        assertThat(AotTasks.started).as("a task started").isFalse();
    }

    @Test
    void whenRunFromTheAotArtifactsDisabledAtRunTimeShouldRunTheTasksAndWarn(CapturedOutput output) throws Exception {
        AotTasks.started.set(false);
        String aot = System.getProperty("spring.aot.enabled");
        System.setProperty("spring.aot.enabled", "true");
        try (GenericApplicationContext context = new GenericApplicationContext()) {
            context.getEnvironment()
                .getPropertySources()
                .addFirst(new MapPropertySource("test", Map.of("critical-task.enabled", "false",
                        "critical-task.shutdown.exit-process", "false", "critical-task.shutdown.grace-period", "1s")));
            artifacts.initialize(context);
            context.refresh();
            assertThat(output).contains("critical-task.enabled=false is ignored");
            org.awaitility.Awaitility.await().atMost(java.time.Duration.ofSeconds(10)).untilTrue(AotTasks.started);
        }
        finally {
            if (aot != null) {
                System.setProperty("spring.aot.enabled", aot);
            }
            else {
                System.clearProperty("spring.aot.enabled");
            }
        }
    }

    @Test
    void whenDisabledAtRunTimeUnderAotShouldWarnThatItIsIgnored(CapturedOutput output) {
        CriticalTaskAutoConfiguration.warnIfDisabledAtRunTimeOnly(disabled(), true);
        assertThat(output).contains("critical-task.enabled=false is ignored: this application runs with the bean "
                + "definitions that Spring AOT generated at build time, when critical-task.enabled was true");
    }

    @Test
    void whenEnabledIsNotABooleanAtRunTimeUnderAotShouldFailNamingItAsTheConditionDoes() {
        MockEnvironment environment = new MockEnvironment().withProperty("critical-task.enabled", "treu");
        assertThatThrownBy(() -> CriticalTaskAutoConfiguration.warnIfDisabledAtRunTimeOnly(environment, true))
            .isInstanceOf(InvalidCriticalTaskPropertyException.class)
            .hasMessageContaining("'treu'")
            .hasMessageContaining("critical-task.enabled");
    }

    @Test
    void whenDisabledWithoutAotShouldNotWarn(CapturedOutput output) {
        CriticalTaskAutoConfiguration.warnIfDisabledAtRunTimeOnly(disabled(), false);
        CriticalTaskAutoConfiguration.warnIfDisabledAtRunTimeOnly(new MockEnvironment(), true);
        assertThat(output).doesNotContain("is ignored");
    }

    @Test
    void whenARoleIsSetAtRunTimeOnlyUnderAotShouldWarnThatItIsLocal(CapturedOutput output) {
        CriticalTaskProperties properties = new CriticalTaskProperties();
        properties.getTasks()
            .computeIfAbsent("ledger", (name) -> new CriticalTaskProperties.Task())
            .getLeadership()
            .setRole("ledger-writer");
        CriticalTaskAutoConfiguration.checkLeadershipBuiltIn(properties, false, true);
        assertThat(output).contains("leadership.role is set for ledger (ledger-writer)")
            .contains("their tasks run on every replica");
    }

    @Test
    void whenLockRegistryIsSetAtRunTimeOnlyUnderAotShouldFailStartUp() {
        CriticalTaskProperties properties = new CriticalTaskProperties();
        properties.getLeadership().setElection(CriticalTaskProperties.Election.LOCK_REGISTRY);
        assertThatThrownBy(() -> CriticalTaskAutoConfiguration.checkLeadershipBuiltIn(properties, false, true))
            .isInstanceOf(InvalidCriticalTaskPropertyException.class)
            .hasMessageContaining("critical-task.leadership.election")
            .hasMessageContaining("Spring AOT generated at build time");
    }

    @Test
    void whenLeadershipWasBuiltInOrAotIsOffShouldSayNothing(CapturedOutput output) {
        CriticalTaskProperties properties = new CriticalTaskProperties();
        properties.getLeadership().setElection(CriticalTaskProperties.Election.LOCK_REGISTRY);
        properties.getTasks()
            .computeIfAbsent("ledger", (name) -> new CriticalTaskProperties.Task())
            .getLeadership()
            .setRole("ledger-writer");
        CriticalTaskAutoConfiguration.checkLeadershipBuiltIn(properties, true, true);
        CriticalTaskAutoConfiguration.checkLeadershipBuiltIn(properties, false, false);
        assertThat(output).doesNotContain("leadership.role is set");
    }

    @Configuration(proxyBeanMethods = false)
    static class AotTasks {

        static final AtomicBoolean started = new AtomicBoolean();

        @Bean
        CriticalTask failer() {
            return (token) -> {
                started.set(true);
                token.await();
            };
        }

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
