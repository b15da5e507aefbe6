package dev.criticaltask;

import dev.criticaltask.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The project's architecture rules on the core: no package cycle, nothing but the JDK and JSpecify.
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
