package dev.criticaltask.sample;

import dev.criticaltask.testsupport.ArchitectureRules;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The project's architecture rules, on the sample and the modules it runs.
 */
@Tag("spring")
class ArchitectureTests {

    @Test
    void mainClassesFollowTheRules() {
        ArchitectureRules.checkMainClasses(SampleApplication.class);
    }

    @Test
    void everyTestIsTagged() {
        ArchitectureRules.checkTestClasses(ArchitectureTests.class);
    }

}
