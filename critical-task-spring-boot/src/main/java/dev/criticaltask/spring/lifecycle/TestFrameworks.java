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
 * Tells whether the current thread runs inside a test framework, by looking at its stack,
 * the way Spring Boot's DevTools decides not to restart inside tests.
 *
 * <p>
 * Both {@code @SpringBootTest} and {@code ApplicationContextRunner} create their contexts
 * on a thread whose stack contains the test engine, whereas a real application's
 * {@code main} thread never does, even when its classpath holds the test libraries.
 */
final class TestFrameworks {

    private static final List<String> PACKAGES = List.of("org.junit.", "org.testng.", "org.springframework.boot.test.",
            "org.springframework.test.", "org.apache.maven.surefire.", "org.gradle.api.internal.tasks.testing.",
            "io.cucumber.", "cucumber.runtime.", "org.spockframework.", "io.kotest.");

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
