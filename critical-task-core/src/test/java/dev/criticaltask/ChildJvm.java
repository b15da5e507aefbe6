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

package dev.criticaltask;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs a {@code main} of the test classes in a JVM of its own, for what only a fresh JVM
 * can show: a property read once, classes loaded or not.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /**
     * Runs {@code main} of {@code mainClass} on this JVM's {@code java} with
     * {@code flags}, and asserts it ended with 0 within a minute.
     * @return its standard output and error, merged
     */
    static String run(Class<?> mainClass, String... flags) throws Exception {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx64m");
        command.addAll(List.of(flags));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass.getName()));
        Process child = new ProcessBuilder(command).redirectErrorStream(true).start();
        try {
            String output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
            assertThat(child.exitValue()).as("the child's exit status; its output:%n%s", output).isZero();
            return output;
        }
        finally {
            child.destroyForcibly();
        }
    }

}
