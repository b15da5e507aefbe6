package dev.criticaltask.testsupport;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Captures what a class logs through {@link System.Logger}, which the JDK backs with
 * java.util.logging by default. Close it to detach.
 */
public final class CapturedLogs extends Handler implements AutoCloseable {

    private final Logger logger;

    private final BooleanSupplier keep;

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    CapturedLogs(Logger logger, BooleanSupplier keep) {
        this.logger = logger;
        this.keep = keep;
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    /**
     * Starts capturing what a class logs.
     * @param source the class whose logger to listen to
     * @return the capture, to close when done
     */
    public static CapturedLogs of(Class<?> source) {
        return new CapturedLogs(Logger.getLogger(source.getName()), () -> true);
    }

    /**
     * Every record so far.
     * @return a copy
     */
    public List<LogRecord> records() {
        return List.copyOf(this.records);
    }

    /**
     * The records so far at one level.
     * @param level the level
     * @return a copy
     */
    public List<LogRecord> atLevel(Level level) {
        return this.records.stream().filter((record) -> record.getLevel().equals(level)).collect(Collectors.toList());
    }

    /**
     * The records so far, forgotten.
     * @return what was captured since the last drain
     */
    public List<LogRecord> drain() {
        List<LogRecord> copy = List.copyOf(this.records);
        this.records.removeAll(copy);
        return copy;
    }

    @Override
    public void publish(LogRecord record) {
        if (this.keep.getAsBoolean()) {
            this.records.add(record);
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        this.logger.removeHandler(this);
    }

}
