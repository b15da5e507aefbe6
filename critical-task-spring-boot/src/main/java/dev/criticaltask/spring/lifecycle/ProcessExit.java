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

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Objects;

import dev.criticaltask.CriticalTaskFailedException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * How the process ends after a task failure: the failure's own exit code, the termination
 * message, and the last step, which ends the JVM with the exit code unless it must not.
 * It must not when {@code critical-task.shutdown.exit-process} is off, when the
 * application context belongs to a test (whose JVM is the test runner's), or when the JVM
 * is already shutting down (a SIGTERM), where {@code System.exit} would block for ever.
 *
 * <p>
 * A context belongs to a test when the JVM runs tests (see {@link TestFrameworks}: a
 * JUnit Platform launcher session has opened in it, or the {@value #TEST_JVM_PROPERTY}
 * system property is {@code true}), when the TestContext framework manages it, or when a
 * test framework was on the stack of the thread that created this.
 *
 * <p>
 * The termination message is one line naming the task and the class of what it threw,
 * never the message, which can carry anything: Kubernetes shows it as the container's
 * last state. By default it goes to {@code /dev/termination-log} where that file exists
 * and is writable, and never inside a test JVM.
 */
public final class ProcessExit {

    /**
     * The system property that says this JVM runs tests, whichever thread starts a
     * context in it. Set on the opening of a JUnit Platform launcher session; set it
     * yourself for another test runner.
     */
    public static final String TEST_JVM_PROPERTY = "dev.criticaltask.test-jvm";

    /**
     * The environment property that says the TestContext framework manages a context: the
     * starter then neither closes it nor exits, and the test that runs fails.
     */
    public static final String TEST_CONTEXT_PROPERTY = "dev.criticaltask.test-context";

    private static final Log logger = LogFactory.getLog(ProcessExit.class);

    /** Where Kubernetes reads a container's termination message by default. */
    static final Path DEFAULT_TERMINATION_MESSAGE_PATH = Path.of("/dev/termination-log");

    private final @Nullable CriticalTaskExitCodeGenerator generator;

    private final int exitCode;

    private final boolean exitProcess;

    private final boolean testOnStack;

    /** Null for the default; empty for none. */
    private final @Nullable String terminationMessagePath;

    /** {@link #DEFAULT_TERMINATION_MESSAGE_PATH}, but for tests of the default. */
    private final Path defaultTerminationMessagePath;

    /**
     * Creates the exit of a context that the calling thread creates, with a fixed exit
     * code and no termination message.
     * @param exitCode the process's exit code after a failure, from 1 to 255
     * @param exitProcess whether to exit the process at all
     */
    public ProcessExit(int exitCode, boolean exitProcess) {
        this(exitCode, exitProcess, TestFrameworks.isOnStack());
    }

    /**
     * Creates the exit of a context that the calling thread creates.
     * @param exitCode the failure's own exit code, which the application's
     * {@code ExitCodeGenerator} beans may override
     * @param exitProcess whether to exit the process at all
     * @param terminationMessagePath where to write the termination message: {@code null}
     * for {@code /dev/termination-log} where it exists and is writable, empty for nowhere
     */
    public ProcessExit(CriticalTaskExitCodeGenerator exitCode, boolean exitProcess,
            @Nullable String terminationMessagePath) {
        this.generator = Objects.requireNonNull(exitCode, "exitCode must not be null");
        this.exitCode = 1;
        this.exitProcess = exitProcess;
        this.testOnStack = TestFrameworks.isOnStack();
        this.terminationMessagePath = terminationMessagePath;
        this.defaultTerminationMessagePath = DEFAULT_TERMINATION_MESSAGE_PATH;
    }

    ProcessExit(int exitCode, boolean exitProcess, boolean testContext) {
        this(exitCode, exitProcess, testContext, "", DEFAULT_TERMINATION_MESSAGE_PATH);
    }

    /**
     * The seam of the tests of the termination message: no test may write the real
     * default file, which only a container has.
     */
    ProcessExit(int exitCode, boolean exitProcess, boolean testContext, @Nullable String terminationMessagePath,
            Path defaultTerminationMessagePath) {
        this.generator = null;
        this.exitCode = exitCode;
        this.exitProcess = exitProcess;
        this.testOnStack = testContext;
        this.terminationMessagePath = terminationMessagePath;
        this.defaultTerminationMessagePath = defaultTerminationMessagePath;
    }

    /**
     * {@return the failure's own code, without the context's other generators}
     */
    int failureExitCode() {
        if (this.generator == null) {
            return this.exitCode;
        }
        int code = this.generator.getExitCode();
        // 0 only when the failure handed over is not the registry's first (none recorded)
        return (code != 0) ? code : 1;
    }

    /**
     * Records the exit code the shutdown worked out, so that the generator returns it
     * from then on.
     * @param code the exit code published and used, not 0
     */
    void recordExitCode(int code) {
        if (this.generator != null) {
            this.generator.record(code);
        }
    }

    /**
     * {@return whether the context belongs to a test, the JVM being the test runner's}
     * @param managedByTestContext whether the TestContext framework manages the context
     */
    boolean isTest(boolean managedByTestContext) {
        return managedByTestContext || this.testOnStack || TestFrameworks.isTestJvm();
    }

    /**
     * Writes the termination message, if there is a place for it. A write that fails is
     * logged and changes nothing else.
     * @param failure the failure that ends the application
     * @param test whether the context belongs to a test
     */
    void writeTerminationMessage(CriticalTaskFailedException failure, boolean test) {
        Path path = terminationMessagePath(test);
        if (path == null) {
            return;
        }
        String line = terminationMessage(failure);
        try {
            Files.writeString(path, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE,
                    StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
            logger.debug("Wrote the termination message to " + path);
        }
        catch (Exception ex) {
            logger.warn("Could not write the termination message to " + path + ": " + ex);
        }
    }

    private @Nullable Path terminationMessagePath(boolean test) {
        if (this.terminationMessagePath == null) {
            // a test must never write its runner's (a CI pod's) termination message
            Path path = this.defaultTerminationMessagePath;
            return (!test && Files.isRegularFile(path) && Files.isWritable(path)) ? path : null;
        }
        return this.terminationMessagePath.isEmpty() ? null : Path.of(this.terminationMessagePath);
    }

    /**
     * {@return the one line of the termination message: the task and the class of its
     * cause, never the cause's message}
     * @param failure the failure
     */
    static String terminationMessage(CriticalTaskFailedException failure) {
        Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
        return "Critical task '" + oneLine(failure.taskDescription()) + "' "
                + (failure.isCrash() ? "crashed" : "failed") + ": " + cause.getClass().getName();
    }

    private static String oneLine(String text) {
        return text.replaceAll("[\\r\\n]+", " ");
    }

    /**
     * Exits the JVM, or logs why not. Call it from a non-daemon thread that no lifecycle
     * callback or shutdown hook runs on, once the context is closed.
     * @param code the exit code
     * @param test whether the context belongs to a test
     */
    void exit(int code, boolean test) {
        if (!this.exitProcess) {
            logger.info(
                    "Not exiting the process: critical-task.shutdown.exit-process is false; the exit code is " + code);
            return;
        }
        if (test) {
            logger.info("Not exiting the process: the application context belongs to a test; the exit code is " + code);
            return;
        }
        if (isJvmShuttingDown()) {
            // System.exit would block for ever while the shutdown hooks run.
            logger.debug("Not exiting the process: the JVM is already shutting down");
            return;
        }
        logger.info("Exiting the process with status " + code + " after a critical task failure");
        System.exit(code);
    }

    /** The JVM refuses new shutdown hooks once it has begun to shut down. */
    static boolean isJvmShuttingDown() {
        Thread probe = new Thread(() -> {
        });
        try {
            Runtime.getRuntime().addShutdownHook(probe);
            Runtime.getRuntime().removeShutdownHook(probe);
            return false;
        }
        catch (IllegalStateException ex) {
            return true;
        }
    }

}
