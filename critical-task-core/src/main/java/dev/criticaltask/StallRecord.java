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

package dev.criticaltask;

import org.jspecify.annotations.Nullable;

/**
 * The stalls of one run as the handle sees them: the latest found, kept after the task
 * recovers or restarts, and the news of each new one.
 *
 * <p>
 * Thread-safety: written on the supervision timer's thread, read by any thread through a
 * volatile; the stall's place in the run's state is the snapshot's, not this.
 */
final class StallRecord {

    private final TaskRun run;

    private final System.Logger logger;

    /** The latest stall found, kept after the task recovers or restarts. */
    private volatile @Nullable StallReport last;

    StallRecord(TaskRun run, System.Logger logger) {
        this.run = run;
        this.logger = logger;
    }

    /**
     * A stall is news: kept for the handle, logged with the stack, committed as a JFR
     * event, then told to the observer. Runs on the supervision timer's thread.
     */
    void report(StallReport stall, @Nullable Thread stalledThread) {
        last = stall;
        try {
            if (logger.isLoggable(System.Logger.Level.WARNING)) {
                logger.log(System.Logger.Level.WARNING, stall.describe());
            }
        }
        catch (RuntimeException loggerFailed) {
            // a broken logger must not keep the listeners from hearing of the stall
        }
        TaskEvents.stalled(stall, stalledThread);
        TaskObserver watcher = run.observer();
        if (watcher != null) {
            watcher.stalled(run, stall);
        }
    }

    /** A stall still under way, captured again: only the handle's view changes. */
    void recapture(StallReport stall) {
        last = stall;
    }

    @Nullable StallReport last() {
        return last;
    }

}
