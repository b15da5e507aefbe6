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

import java.util.ResourceBundle;
import java.util.concurrent.atomic.AtomicInteger;

import org.jspecify.annotations.Nullable;

/**
 * A {@link System.Logger} that writes nothing and only counts its errors, for tests that
 * fail many tasks on purpose.
 */
public final class SilentLogger implements System.Logger {

    private static final System.Logger DISCARDING = new SilentLogger(false);

    /** How many records were logged at {@link Level#ERROR}. */
    public final AtomicInteger errors = new AtomicInteger();

    private final boolean loggable;

    /** Creates a logger that counts its errors. */
    public SilentLogger() {
        this(true);
    }

    private SilentLogger(boolean loggable) {
        this.loggable = loggable;
    }

    /**
     * A logger that is loggable at no level and so does no work at all, for model checks
     * that should explore the code under test and not a logger's state.
     * @return the shared instance
     */
    public static System.Logger discarding() {
        return DISCARDING;
    }

    @Override
    public String getName() {
        return "silent";
    }

    @Override
    public boolean isLoggable(Level level) {
        return this.loggable;
    }

    @Override
    public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String message,
            @Nullable Throwable thrown) {
        count(level);
    }

    @Override
    public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String format, @Nullable Object... params) {
        count(level);
    }

    private void count(Level level) {
        if (this.loggable && level == Level.ERROR) {
            this.errors.incrementAndGet();
        }
    }

}
