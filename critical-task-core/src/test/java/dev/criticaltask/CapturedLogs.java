package dev.criticaltask;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.stream.Collectors;

/**
 * Captures what the core logs through {@link System.Logger}, which the JDK backs with
 * java.util.logging by default. Close it to detach.
 */
final class CapturedLogs extends Handler implements AutoCloseable {

    private final Logger logger;

    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    private CapturedLogs(String loggerName) {
        this.logger = Logger.getLogger(loggerName);
        setLevel(Level.ALL);
        logger.addHandler(this);
    }

    static CapturedLogs of(Class<?> source) {
        return new CapturedLogs(source.getName());
    }

    List<LogRecord> records() {
        return List.copyOf(records);
    }

    List<LogRecord> atLevel(Level level) {
        return records.stream().filter(record -> record.getLevel().equals(level)).collect(Collectors.toList());
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
    }
}
