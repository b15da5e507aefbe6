package dev.criticaltask;

import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicInteger;

/** A {@link System.Logger} that only counts, for tests that fail many tasks on purpose. */
final class SilentLogger implements System.Logger {

    final AtomicInteger errors = new AtomicInteger();

    @Override
    public String getName() {
        return "silent";
    }

    @Override
    public boolean isLoggable(Level level) {
        return true;
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String message, Throwable thrown) {
        count(level);
    }

    @Override
    public void log(Level level, ResourceBundle bundle, String format, Object... params) {
        count(level);
    }

    private void count(Level level) {
        if (level == Level.ERROR) {
            errors.incrementAndGet();
        }
    }
}
