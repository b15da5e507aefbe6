package dev.criticaltask.spring;

import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import dev.criticaltask.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The project's architecture rules, on this module and the modules it depends on: no package
 * cycle, packages by role, auto-configurations in Spring Boot's own manner.
 */
@Tag("spring")
class ArchitectureTests {

    @Test
    void mainClassesFollowTheRules() {
        ArchitectureRules.checkMainClasses(CriticalTaskAutoConfiguration.class);
    }

    @Test
    void everyTestIsTagged() {
        ArchitectureRules.checkTestClasses(ArchitectureTests.class);
    }

}
