package dev.criticaltask;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Keeps the thousands of expected failure logs of this suite off the console (they stay visible to
 * handlers attached here) and captures the records of the {@code dev.criticaltask} loggers, which
 * the core reaches through {@link System.Logger} backed by java.util.logging.
 */
final class QuietLogs extends Handler {

    /** Held strongly: java.util.logging keeps loggers weakly. */
    static final Logger CORE = Logger.getLogger("dev.criticaltask");

    static final QuietLogs CAPTURE = new QuietLogs();

    static {
        CORE.setUseParentHandlers(false);
        CORE.setLevel(Level.ALL);
        CAPTURE.setLevel(Level.ALL);
        CORE.addHandler(CAPTURE);
    }

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    /** Records are kept only while this is set (the stress runner); otherwise they are dropped. */
    static volatile boolean capturing;

    private QuietLogs() {
    }

    static void install() {
        // the static initializer does the work
    }

    /** The records since the last call, and forgets them. */
    static List<LogRecord> drain() {
        List<LogRecord> copy = List.copyOf(CAPTURE.records);
        CAPTURE.records.removeAll(copy);
        return copy;
    }

    @Override
    public void publish(LogRecord record) {
        if (capturing) {
            records.add(record);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
    }
}
