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

package dev.criticaltask.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts JVMs of their own, each running one main class on the test's class path, for
 * what only a real process shows: exit codes, SIGTERM, a JVM that must end although a
 * thread ignores it. Register it with {@code @RegisterExtension}; it kills what is still
 * running after each test.
 *
 * <pre>{@code
 * &#64;RegisterExtension
 * final ChildProcesses children = new ChildProcesses(MyApplication.class);
 *
 * ChildProcess child = this.children.start("scenario", "--some.property=1");
 * assertThat(child.awaitExit()).isEqualTo(1);
 * }</pre>
 *
 * <p>
 * Each child's standard output and error go to one log file in a temporary directory.
 */
public final class ChildProcesses implements AfterEachCallback {

    private final Class<?> mainClass;

    private final List<Process> started = new CopyOnWriteArrayList<>();

    private @Nullable Path logs;

    /**
     * Creates the extension.
     * @param mainClass the class whose {@code main} every child runs
     */
    public ChildProcesses(Class<?> mainClass) {
        this.mainClass = mainClass;
    }

    /**
     * Starts a child on this JVM's {@code java}.
     * @param arguments the arguments of {@code main}
     * @return the running child
     * @throws IOException when the process cannot be started
     */
    public ChildProcess start(String... arguments) throws IOException {
        return start(Path.of(System.getProperty("java.home"), "bin", "java"), arguments);
    }

    /**
     * Starts a child on another {@code java}, such as {@link #java21OrLater()}.
     * @param java the {@code java} executable
     * @param arguments the arguments of {@code main}
     * @return the running child
     * @throws IOException when the process cannot be started
     */
    public ChildProcess start(Path java, String... arguments) throws IOException {
        return start(java, Map.of(), arguments);
    }

    /**
     * Starts a child on this JVM's {@code java} with more environment variables, such as
     * a misspelt {@code CRITICAL_TASK_...} or {@code JAVA_TOOL_OPTIONS} with a system
     * property.
     * @param environment the variables to add to this JVM's environment
     * @param arguments the arguments of {@code main}
     * @return the running child
     * @throws IOException when the process cannot be started
     */
    public ChildProcess start(Map<String, String> environment, String... arguments) throws IOException {
        return start(Path.of(System.getProperty("java.home"), "bin", "java"), environment, arguments);
    }

    private ChildProcess start(Path java, Map<String, String> environment, String... arguments) throws IOException {
        Path log = Files.createTempFile(logs(), arguments.length > 0 ? arguments[0] : "child", ".log");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(this.mainClass.getName());
        command.addAll(List.of(arguments));
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().putAll(environment);
        Process process = builder.start();
        this.started.add(process);
        return new ChildProcess(process, log);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        for (Process process : this.started) {
            process.destroyForcibly();
        }
        this.started.clear();
    }

    private synchronized Path logs() throws IOException {
        if (this.logs == null) {
            this.logs = Files.createTempDirectory("child-processes");
        }
        return this.logs;
    }

    /**
     * How often {@code part} occurs in {@code text}.
     * @param text the text to search
     * @param part what to count
     * @return the number of occurrences
     */
    public static int count(String text, String part) {
        Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    /**
     * How many lines logged at ERROR contain {@code part}.
     * @param text a child's output
     * @param part what an ERROR line must contain
     * @return the number of such lines
     */
    public static int errorLogs(String text, String part) {
        return (int) text.lines().filter((line) -> line.contains(" ERROR ") && line.contains(part)).count();
    }

    /**
     * This JVM's {@code java} when it is 21 or later, else that of a sibling installation
     * that is.
     * @return the executable, or {@code null} when there is none
     */
    public static @Nullable Path java21OrLater() {
        Path home = Path.of(System.getProperty("java.home"));
        if (Runtime.version().feature() >= 21) {
            return home.resolve("bin").resolve("java");
        }
        Path parent = home.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return null;
        }
        try (Stream<Path> installations = Files.list(parent)) {
            return installations.filter((installation) -> featureVersion(installation) >= 21)
                .map((installation) -> installation.resolve("bin").resolve("java"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        }
        catch (IOException ex) {
            throw new UncheckedIOException(ex);
        }
    }

    private static int featureVersion(Path installation) {
        Path release = installation.resolve("release");
        try {
            Matcher version = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
            return version.find() ? Integer.parseInt(version.group(1)) : 0;
        }
        catch (IOException | RuntimeException ex) {
            return 0;
        }
    }

}
