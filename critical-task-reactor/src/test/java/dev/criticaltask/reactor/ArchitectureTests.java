package dev.criticaltask.reactor;

import dev.criticaltask.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The project's architecture rules, on this module and what it depends on.
 */
@Tag("reactor")
class ArchitectureTests {

    @Test
    void mainClassesFollowTheRules() {
        ArchitectureRules.checkMainClasses(ReactiveCriticalTask.class);
    }

    @Test
    void everyTestIsTagged() {
        ArchitectureRules.checkTestClasses(ArchitectureTests.class);
    }

}
