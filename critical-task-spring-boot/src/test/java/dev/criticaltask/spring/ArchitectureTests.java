package dev.criticaltask.spring;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.criticaltask.reactor.ReactiveCriticalTask;
import dev.criticaltask.reactor.ReactiveTaskAdapter;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.spring.autoconfigure.CriticalTaskProperties;
import dev.criticaltask.spring.autoconfigure.scheduling.CriticalJobAutoConfiguration;
import dev.criticaltask.spring.scheduling.Critical;
import dev.criticaltask.spring.scheduling.CriticalJobStatus;
import dev.criticaltask.spring.scheduling.CriticalJobs;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;

/**
 * Architecture rules in Spring Boot's own spirit.
 */
class ArchitectureTests {

    private static JavaClasses classes;

    @BeforeAll
    static void importClasses() {
        classes = new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.criticaltask");
    }

    @Test
    void autoConfigurationsArePublicAndFinal() {
        ArchRule rule = classes().that().areAnnotatedWith(AutoConfiguration.class).should().bePublic().andShould().haveModifier(
                JavaModifier.FINAL);
        rule.check(classes);
    }

    @Test
    void beanMethodsOfAutoConfigurationsArePackagePrivate() {
        ArchRule rule = methods().that()
            .areAnnotatedWith(Bean.class)
            .and()
            .areDeclaredInClassesThat()
            .areAnnotatedWith(AutoConfiguration.class)
            .should()
            .bePackagePrivate();
        rule.check(classes);
    }

    @Test
    void noClassConditionOnABeanMethod() {
        ArchRule rule = noMethods().that()
            .areAnnotatedWith(Bean.class)
            .should()
            .beMetaAnnotatedWith(ConditionalOnClass.class)
            .orShould()
            .beMetaAnnotatedWith(ConditionalOnMissingClass.class)
            .orShould()
            .beAnnotatedWith(ConditionalOnClass.class)
            .orShould()
            .beAnnotatedWith(ConditionalOnMissingClass.class)
            .because("a class condition on a @Bean method is evaluated after its class was loaded, "
                    + "when the method's types may already be missing");
        rule.check(classes);
    }

    @Test
    void coreIsImported() {
        // the core rule below must not pass because nothing was imported
        org.assertj.core.api.Assertions.assertThat(classes.contain(dev.criticaltask.CriticalTaskRegistry.class)).isTrue();
    }

    @Test
    void coreNeverDependsOnSpring() {
        ArchRule rule = noClasses().that()
            .resideInAPackage("dev.criticaltask")
            .should()
            .dependOnClassesThat()
            .resideInAnyPackage("org.springframework..");
        rule.check(classes);
    }

    @Test
    void coreDependsOnlyOnTheJdkAndJSpecify() {
        ArchRule rule = classes().that()
            .resideInAPackage("dev.criticaltask")
            .should()
            .onlyDependOnClassesThat()
            .resideInAnyPackage("java..", "org.jspecify..", "dev.criticaltask");
        rule.check(classes);
    }

    @Test
    void onlyTheReactiveAdapterUsesReactor() {
        // everything else must load without Reactor, which is optional
        ArchRule rule = noClasses().that()
            .resideInAPackage("dev.criticaltask..")
            .and()
            .doNotBelongToAnyOf(ReactiveTaskAdapter.class)
            .should()
            .dependOnClassesThat()
            .resideInAPackage("reactor..");
        rule.check(classes);
    }

    @Test
    void starterClassesAreFinal() {
        ArchRule rule = classes().that()
            .resideInAPackage("dev.criticaltask.spring")
            .and()
            .areNotInterfaces()
            .and()
            .areNotEnums()
            .and()
            .doNotHaveModifier(JavaModifier.SYNTHETIC)
            .should()
            .haveModifier(JavaModifier.FINAL);
        rule.check(classes);
    }

    @Test
    void onlyTheDocumentedTypesOfTheStarterArePublic() {
        ArchRule rule = classes().that()
            .resideInAPackage("dev.criticaltask.spring")
            .and()
            .doNotBelongToAnyOf(CriticalTaskAutoConfiguration.class, CriticalTaskProperties.class,
                    CriticalTaskFailedEvent.class, CriticalTaskRestartedEvent.class, CriticalTaskStalledEvent.class,
                    ReactiveCriticalTask.class, CriticalJobAutoConfiguration.class, Critical.class,
                    CriticalJobs.class, CriticalJobStatus.class)
            .should()
            .notBePublic();
        rule.check(classes);
    }

}
