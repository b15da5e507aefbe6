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

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The last step of the shutdown after a task failure: ends the JVM with the failure's
 * exit code, unless it must not. It must not when
 * {@code critical-task.shutdown.exit-process} is off, when the application context
 * belongs to a test (whose JVM is the test runner's), or when the JVM is already shutting
 * down (a SIGTERM), where {@code System.exit} would block for ever.
 *
 * <p>
 * Whether the context belongs to a test is decided when this is created, on the thread
 * that creates the context: see {@link TestFrameworks}.
 */
public final class ProcessExit {

    private static final Log logger = LogFactory.getLog(ProcessExit.class);

    private final int exitCode;

    private final boolean exitProcess;

    private final boolean testContext;

    /**
     * Creates the exit of a context that the calling thread creates.
     * @param exitCode the process's exit code after a failure, from 1 to 255
     * @param exitProcess whether to exit the process at all
     */
    public ProcessExit(int exitCode, boolean exitProcess) {
        this(exitCode, exitProcess, TestFrameworks.isOnStack());
    }

    ProcessExit(int exitCode, boolean exitProcess, boolean testContext) {
        this.exitCode = exitCode;
        this.exitProcess = exitProcess;
        this.testContext = testContext;
    }

    /**
     * Exits the JVM, or logs why not. Call it from a non-daemon thread that no lifecycle
     * callback or shutdown hook runs on, once the context is closed.
     */
    void exit() {
        if (!this.exitProcess) {
            logger.info("Not exiting the process: critical-task.shutdown.exit-process is false");
            return;
        }
        if (this.testContext) {
            logger.info("Not exiting the process: the application context belongs to a test");
            return;
        }
        if (isJvmShuttingDown()) {
            // System.exit would block for ever while the shutdown hooks run.
            logger.debug("Not exiting the process: the JVM is already shutting down");
            return;
        }
        logger.info("Exiting the process with status " + this.exitCode + " after a critical task failure");
        System.exit(this.exitCode);
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
