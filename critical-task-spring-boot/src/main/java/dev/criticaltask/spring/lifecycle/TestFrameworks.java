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

package dev.criticaltask.spring.lifecycle;

import java.util.List;

/**
 * Tells whether this JVM runs tests, in which the process must never be exited.
 *
 * <p>
 * The rule that holds whichever thread starts a context: the
 * {@value ProcessExit#TEST_JVM_PROPERTY} system property is {@code true}, which the
 * starter's JUnit Platform {@code LauncherSessionListener} sets as soon as a launcher
 * session opens (Maven Surefire, Gradle and the IDEs all run tests in one), and which a
 * build can set for another runner.
 *
 * <p>
 * As a fallback for other runners, the stack of the thread that creates a context is
 * looked at, the way Spring Boot's DevTools decides not to restart inside tests: a frame
 * of a test framework there means a test. A real application's {@code main} thread never
 * has one, even when its classpath holds the test libraries.
 */
final class TestFrameworks {

    private static final List<String> PACKAGES = List.of("org.junit.", "org.testng.", "org.springframework.boot.test.",
            "org.springframework.test.", "org.apache.maven.surefire.", "org.gradle.api.internal.tasks.testing.",
            "io.cucumber.", "cucumber.runtime.", "org.spockframework.", "io.kotest.");

    private TestFrameworks() {
    }

    /**
     * {@return whether this JVM is known to run tests}
     */
    static boolean isTestJvm() {
        return Boolean.getBoolean(ProcessExit.TEST_JVM_PROPERTY);
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
