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
