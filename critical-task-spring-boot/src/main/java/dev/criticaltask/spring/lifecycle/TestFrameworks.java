package dev.criticaltask.spring.lifecycle;

import java.util.List;

/**
 * Tells whether the current thread runs inside a test framework, by looking at its stack, the way
 * Spring Boot's DevTools decides not to restart inside tests.
 *
 * <p>Both {@code @SpringBootTest} and {@code ApplicationContextRunner} create their contexts on a
 * thread whose stack contains the test engine, whereas a real application's {@code main} thread
 * never does, even when its classpath holds the test libraries.
 */
final class TestFrameworks {

    private static final List<String> PACKAGES = List.of("org.junit.", "org.testng.",
            "org.springframework.boot.test.", "org.springframework.test.", "org.apache.maven.surefire.",
            "org.gradle.api.internal.tasks.testing.", "io.cucumber.", "cucumber.runtime.", "org.spockframework.",
            "io.kotest.");

    private TestFrameworks() {
    }

    /** Whether a test framework's frame is on the calling thread's stack. */
    static boolean isOnStack() {
        return StackWalker.getInstance()
            .walk((frames) -> frames.anyMatch((frame) -> isTestFramework(frame.getClassName())));
    }

    private static boolean isTestFramework(String className) {
        for (String name : PACKAGES) {
            if (className.startsWith(name)) {
                return true;
            }
        }
        return false;
    }

}
