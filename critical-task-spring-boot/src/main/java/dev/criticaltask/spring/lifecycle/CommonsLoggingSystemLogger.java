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

import java.text.MessageFormat;
import java.util.ResourceBundle;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * A {@link System.Logger} that writes to Spring's commons-logging, so the core library
 * logs through the application's logging system.
 *
 * <p>
 * Without it, the core logs through {@code java.util.logging}, which the JDK resets in
 * its own shutdown hook: a task failure or a stop report logged during a SIGTERM shutdown
 * could vanish.
 */
public final class CommonsLoggingSystemLogger implements System.Logger {

    private final String name;

    private final Log log;

    /**
     * Creates a logger.
     * @param name the name of the commons-logging log to write to
     */
    public CommonsLoggingSystemLogger(String name) {
        this.name = name;
        this.log = LogFactory.getLog(name);
    }

    @Override
    public String getName() {
        return this.name;
    }

    @Override
    public boolean isLoggable(Level level) {
        return switch (level) {
            case ALL, TRACE -> this.log.isTraceEnabled();
            case DEBUG -> this.log.isDebugEnabled();
            case INFO -> this.log.isInfoEnabled();
            case WARNING -> this.log.isWarnEnabled();
            case ERROR -> this.log.isErrorEnabled();
            case OFF -> false;
        };
    }

    @Override
    public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String msg, @Nullable Throwable thrown) {
        write(level, localized(bundle, msg), thrown);
    }

    @Override
    public void log(Level level, @Nullable ResourceBundle bundle, @Nullable String format,
            @Nullable Object @Nullable ... params) {
        String message = localized(bundle, format);
        if (message != null && params != null && params.length > 0) {
            message = MessageFormat.format(message, params);
        }
        write(level, message, null);
    }

    private void write(Level level, @Nullable String message, @Nullable Throwable thrown) {
        switch (level) {
            case ALL, TRACE -> this.log.trace(message, thrown);
            case DEBUG -> this.log.debug(message, thrown);
            case INFO -> this.log.info(message, thrown);
            case WARNING -> this.log.warn(message, thrown);
            case ERROR -> this.log.error(message, thrown);
            case OFF -> {
            }
        }
    }

    private static @Nullable String localized(@Nullable ResourceBundle bundle, @Nullable String key) {
        if (bundle != null && key != null && bundle.containsKey(key)) {
            return bundle.getString(key);
        }
        return key;
    }

}
