package dev.criticaltask.spring.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.methods;

/**
 * Spring Boot's own rules for auto-configuration, held by the health, endpoint and metrics
 * auto-configurations.
 */
class ObservabilityAutoConfigurationArchitectureTests {

    private static final JavaClasses CLASSES = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("dev.criticaltask.spring.health", "dev.criticaltask.spring.endpoint",
                "dev.criticaltask.spring.metrics");

    @Test
    void autoConfigurationsArePublicAndFinal() {
        classes().that()
            .areAnnotatedWith(AutoConfiguration.class)
            .should()
            .bePublic()
            .andShould()
            .haveModifier(JavaModifier.FINAL)
            .check(CLASSES);
    }

    @Test
    void beanMethodsArePackagePrivateAndBackOff() {
        methods().that()
            .areAnnotatedWith(Bean.class)
            .should()
            .bePackagePrivate()
            .andShould()
            .beAnnotatedWith(ConditionalOnMissingBean.class)
            .check(CLASSES);
    }

    @Test
    void noClassConditionSitsOnABeanMethod() {
        methods().that()
            .areAnnotatedWith(Bean.class)
            .should()
            .notBeAnnotatedWith(ConditionalOnClass.class)
            .andShould()
            .notBeAnnotatedWith(ConditionalOnMissingClass.class)
            .check(CLASSES);
    }

    @Test
    void everyAutoConfigurationIsGuardedByAClassCondition() {
        classes().that()
            .areAnnotatedWith(AutoConfiguration.class)
            .should()
            .beAnnotatedWith(ConditionalOnClass.class)
            .check(CLASSES);
    }

}
