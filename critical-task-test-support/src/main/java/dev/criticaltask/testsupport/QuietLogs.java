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

import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps the thousands of expected failure logs of a stress suite off the console and,
 * while {@link #capturing} is set, captures the records of the {@code dev.criticaltask}
 * loggers, which the core reaches through {@link System.Logger} backed by
 * java.util.logging.
 */
public final class QuietLogs {

    /** Held strongly: java.util.logging keeps loggers weakly. */
    private static final Logger CORE = Logger.getLogger("dev.criticaltask");

    private static final CapturedLogs CAPTURE;

    /**
     * Records are kept only while this is set (a stress runner); otherwise they are
     * dropped.
     */
    public static volatile boolean capturing;

    static {
        CORE.setUseParentHandlers(false);
        CORE.setLevel(Level.ALL);
        CAPTURE = new CapturedLogs(CORE, () -> capturing);
    }

    private QuietLogs() {
    }

    /** Silences the core's loggers; the class initializer does the work, once. */
    public static void install() {
        // the static initializer does the work
    }

    /**
     * The records captured since the last call, forgotten.
     * @return the records
     */
    public static List<LogRecord> drain() {
        return CAPTURE.drain();
    }

}
