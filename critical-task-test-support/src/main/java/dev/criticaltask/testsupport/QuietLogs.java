package dev.criticaltask.testsupport;

import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps the thousands of expected failure logs of a stress suite off the console and, while
 * {@link #capturing} is set, captures the records of the {@code dev.criticaltask} loggers, which the
 * core reaches through {@link System.Logger} backed by java.util.logging.
 */
public final class QuietLogs {

    /** Held strongly: java.util.logging keeps loggers weakly. */
    private static final Logger CORE = Logger.getLogger("dev.criticaltask");

    private static final CapturedLogs CAPTURE;

    /** Records are kept only while this is set (a stress runner); otherwise they are dropped. */
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
