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

package dev.criticaltask.testsupport;

import java.net.URISyntaxException;
import java.nio.file.Path;
import java.util.List;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.lang.CompositeArchRule;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The architecture rules of every module, in one set: each module's
 * {@code ArchitectureTests} checks them on the main classes it sees (its own and those of
 * the modules it depends on) and on its own test classes.
 *
 * <p>
 * Annotations are named by their class names, so that a module without Spring on its
 * class path (the core) applies the same set. A rule about a part that a module does not
 * have passes there without checking anything.
 */
public final class ArchitectureRules {

    private static final String AUTO_CONFIGURATION = "org.springframework.boot.autoconfigure.AutoConfiguration";

    private static final String CONFIGURATION_PROPERTIES = "org.springframework.boot.context.properties.ConfigurationProperties";

    private static final String BEAN = "org.springframework.context.annotation.Bean";

    private static final String ON_MISSING_BEAN = "org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean";

    private static final String ON_CLASS = "org.springframework.boot.autoconfigure.condition.ConditionalOnClass";

    private static final String ON_MISSING_CLASS = "org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass";

    private static final String ENDPOINT = "org.springframework.boot.actuate.endpoint.annotation.Endpoint";

    private static final String APPLICATION_EVENT = "org.springframework.context.ApplicationEvent";

    private static final String FAILURE_ANALYZER = "org.springframework.boot.diagnostics.FailureAnalyzer";

    private static final List<String> TEST_ANNOTATIONS = List.of("org.junit.jupiter.api.Test",
            "org.junit.jupiter.params.ParameterizedTest", "org.junit.jupiter.api.RepeatedTest",
            "org.junit.jupiter.api.TestFactory", "org.junit.jupiter.api.TestTemplate");

    /**
     * No package depends, directly or through others, on a package that depends on it.
     */
    public static final ArchRule NO_PACKAGE_CYCLES = slices().matching("dev.(**)").should().beFreeOfCycles();

    /**
     * The core needs nothing but the JDK and JSpecify's annotations; {@code jdk.jfr} is
     * the JDK's too, for the tasks' flight-recorder events.
     */
    public static final ArchRule CORE_NEEDS_ONLY_THE_JDK = classes().that()
        .resideInAPackage("dev.criticaltask")
        .should()
        .onlyDependOnClassesThat()
        .resideInAnyPackage("java..", "jdk.jfr..", "org.jspecify..", "dev.criticaltask")
        .allowEmptyShould(true);

    /**
     * Reactor is optional for everything but the reactor module, which needs no Spring.
     */
    public static final ArchRule ONLY_THE_REACTOR_MODULE_USES_REACTOR = noClasses().that()
        .resideInAPackage("dev.criticaltask..")
        .and()
        .resideOutsideOfPackage("dev.criticaltask.reactor..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("reactor..", "org.reactivestreams..")
        .allowEmptyShould(true);

    /** The reactor module is plain Java and Reactor. */
    public static final ArchRule THE_REACTOR_MODULE_NEEDS_NO_SPRING = noClasses().that()
        .resideInAPackage("dev.criticaltask.reactor..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("org.springframework..")
        .allowEmptyShould(true);

    /**
     * What a user handles directly, the events, is all that the root Spring package
     * holds.
     */
    public static final ArchRule THE_SPRING_PACKAGE_HOLDS_THE_EVENTS = classes().that()
        .resideInAPackage("dev.criticaltask.spring")
        .and()
        .doNotHaveSimpleName("package-info")
        .should()
        .beAssignableTo(APPLICATION_EVENT)
        .andShould()
        .bePublic()
        .allowEmptyShould(true);

    /**
     * Runtime classes, as in Spring Boot's own modules, know nothing of their
     * auto-configuration.
     */
    public static final ArchRule RUNTIME_NEVER_NEEDS_AUTO_CONFIGURATION = noClasses().that()
        .resideInAPackage("dev.criticaltask..")
        .and()
        .resideOutsideOfPackage("..autoconfigure..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.criticaltask..autoconfigure..")
        .allowEmptyShould(true);

    /** Auto-configurations live in the autoconfigure packages, public and final. */
    public static final ArchRule AUTO_CONFIGURATIONS_ARE_PUBLIC_FINAL_AND_IN_PLACE = classes().that()
        .areAnnotatedWith(AUTO_CONFIGURATION)
        .should()
        .bePublic()
        .andShould()
        .haveModifier(JavaModifier.FINAL)
        .andShould()
        .resideInAPackage("..autoconfigure..")
        .allowEmptyShould(true);

    /**
     * An autoconfigure package shows users its auto-configurations, properties, callbacks
     * and exceptions only.
     */
    public static final ArchRule AUTO_CONFIGURE_PACKAGES_SHOW_ONLY_WHAT_USERS_NAME = classes().that()
        .resideInAPackage("..autoconfigure..")
        .and()
        .areTopLevelClasses()
        .and()
        .arePublic()
        .should()
        .beAnnotatedWith(AUTO_CONFIGURATION)
        .orShould()
        .beAnnotatedWith(CONFIGURATION_PROPERTIES)
        .orShould()
        .beInterfaces()
        .orShould()
        .beAssignableTo(RuntimeException.class)
        .allowEmptyShould(true);

    /** Failure analyzers are found through spring.factories, never named by users. */
    public static final ArchRule FAILURE_ANALYZERS_ARE_PACKAGE_PRIVATE = classes().that()
        .areAssignableTo(FAILURE_ANALYZER)
        .and()
        .resideInAPackage("dev.criticaltask..")
        .should()
        .notBePublic()
        .allowEmptyShould(true);

    /**
     * Every bean of an auto-configuration backs off when the application defines its own.
     */
    public static final ArchRule BEAN_METHODS_ARE_PACKAGE_PRIVATE_AND_BACK_OFF = methods().that()
        .areAnnotatedWith(BEAN)
        .and()
        .areDeclaredInClassesThat()
        .resideInAPackage("..autoconfigure..")
        .should()
        .bePackagePrivate()
        .andShould()
        .beAnnotatedWith(ON_MISSING_BEAN)
        .allowEmptyShould(true);

    /**
     * A class condition on a bean method is evaluated after its class was loaded, too
     * late.
     */
    public static final ArchRule NO_CLASS_CONDITION_ON_A_BEAN_METHOD = noMethods().that()
        .areAnnotatedWith(BEAN)
        .should()
        .beAnnotatedWith(ON_CLASS)
        .orShould()
        .beAnnotatedWith(ON_MISSING_CLASS)
        .orShould()
        .beMetaAnnotatedWith(ON_CLASS)
        .orShould()
        .beMetaAnnotatedWith(ON_MISSING_CLASS)
        .allowEmptyShould(true);

    /**
     * An auto-configuration of an optional integration is guarded by that integration's
     * classes.
     */
    public static final ArchRule INTEGRATIONS_ARE_GUARDED_BY_A_CLASS_CONDITION = classes().that()
        .areAnnotatedWith(AUTO_CONFIGURATION)
        .and()
        .resideInAPackage("..autoconfigure.*..")
        .should()
        .beAnnotatedWith(ON_CLASS)
        .allowEmptyShould(true);

    /**
     * Classes of the integrations are final (actuator endpoints excepted, as Boot's are).
     */
    public static final ArchRule INTEGRATION_CLASSES_ARE_FINAL = classes().that()
        .resideInAnyPackage("dev.criticaltask.spring..", "dev.criticaltask.reactor..")
        .and()
        .areTopLevelClasses()
        .and()
        .areNotInterfaces()
        .and()
        .areNotEnums()
        .and()
        .doNotHaveSimpleName("package-info")
        .and()
        .areNotAnnotatedWith(ENDPOINT)
        .should()
        .haveModifier(JavaModifier.FINAL)
        .allowEmptyShould(true);

    /** The rules for main classes. */
    public static final ArchRule MAIN_CLASSES = CompositeArchRule.of(NO_PACKAGE_CYCLES)
        .and(CORE_NEEDS_ONLY_THE_JDK)
        .and(ONLY_THE_REACTOR_MODULE_USES_REACTOR)
        .and(THE_REACTOR_MODULE_NEEDS_NO_SPRING)
        .and(THE_SPRING_PACKAGE_HOLDS_THE_EVENTS)
        .and(RUNTIME_NEVER_NEEDS_AUTO_CONFIGURATION)
        .and(AUTO_CONFIGURATIONS_ARE_PUBLIC_FINAL_AND_IN_PLACE)
        .and(AUTO_CONFIGURE_PACKAGES_SHOW_ONLY_WHAT_USERS_NAME)
        .and(FAILURE_ANALYZERS_ARE_PACKAGE_PRIVATE)
        .and(BEAN_METHODS_ARE_PACKAGE_PRIVATE_AND_BACK_OFF)
        .and(NO_CLASS_CONDITION_ON_A_BEAN_METHOD)
        .and(INTEGRATIONS_ARE_GUARDED_BY_A_CLASS_CONDITION)
        .and(INTEGRATION_CLASSES_ARE_FINAL);

    /**
     * Every test class carries a JUnit tag, which is how builds select tests (see
     * {@code .ci/run}): an untagged test would silently drop out of a tagged run.
     */
    public static final ArchRule TEST_CLASSES_ARE_TAGGED = classes().that(haveTestMethods())
        .should(beTaggedThemselvesOrByAnEnclosingClass());

    private ArchitectureRules() {
    }

    /**
     * Checks {@link #MAIN_CLASSES} on every main class of the project on the class path.
     * @param expected a class that must be among them, so that the rules cannot pass on
     * nothing
     */
    public static void checkMainClasses(Class<?> expected) {
        JavaClasses main = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.criticaltask")
            .that(DescribedPredicate.not(JavaClass.Predicates.resideInAPackage("dev.criticaltask.testsupport..")));
        if (!main.contain(expected)) {
            throw new AssertionError("the main classes do not contain " + expected.getName());
        }
        MAIN_CLASSES.check(main);
    }

    /**
     * Checks {@link #TEST_CLASSES_ARE_TAGGED} on the test classes of the calling module.
     * @param testClass a test class of that module, which must be among them
     */
    public static void checkTestClasses(Class<?> testClass) {
        // only the directory this module's test classes were compiled to: no jar to scan
        Path location;
        try {
            location = Path.of(testClass.getProtectionDomain().getCodeSource().getLocation().toURI());
        }
        catch (URISyntaxException ex) {
            throw new IllegalStateException("Cannot locate the test classes of " + testClass.getName(), ex);
        }
        JavaClasses tests = new ClassFileImporter().importPath(location);
        if (!tests.contain(testClass)) {
            throw new AssertionError("the test classes do not contain " + testClass.getName());
        }
        TEST_CLASSES_ARE_TAGGED.check(tests);
    }

    private static DescribedPredicate<JavaClass> haveTestMethods() {
        return DescribedPredicate.describe("have test methods",
                (javaClass) -> javaClass.getMethods()
                    .stream()
                    .anyMatch((method) -> TEST_ANNOTATIONS.stream().anyMatch(method::isAnnotatedWith)));
    }

    private static ArchCondition<JavaClass> beTaggedThemselvesOrByAnEnclosingClass() {
        return new ArchCondition<>("be tagged, themselves or by an enclosing class") {

            @Override
            public void check(JavaClass javaClass, ConditionEvents events) {
                for (JavaClass current = javaClass; current != null; current = current.getEnclosingClass()
                    .orElse(null)) {
                    if (current.isAnnotatedWith("org.junit.jupiter.api.Tag")
                            || current.isAnnotatedWith("org.junit.jupiter.api.Tags")) {
                        return;
                    }
                }
                events.add(SimpleConditionEvent.violated(javaClass,
                        javaClass.getName() + " has tests but no @Tag: tagged runs would leave them out"));
            }

        };
    }

}
