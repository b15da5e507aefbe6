package dev.criticaltask.reliability;

import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The project's architecture rules, on the modules this suite runs; and every test here is tagged.
 */
@Tag("core")
class ArchitectureTest {

    @Test
    void mainClassesFollowTheRules() {
        ArchitectureRules.checkMainClasses(CriticalTaskRegistry.class);
    }

    @Test
    void everyTestIsTagged() {
        ArchitectureRules.checkTestClasses(ArchitectureTest.class);
    }

}
