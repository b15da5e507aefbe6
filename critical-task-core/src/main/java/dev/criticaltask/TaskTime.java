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

import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * The times a task publishes (started, ready, finished), as a snapshot keeps them: whole
 * microseconds since the epoch in a {@code long}, made an {@link Instant} only when read.
 * A clock read is not free (40 to 60 ns on the benchmark machine, more under load), and
 * against a raw virtual thread's start and join (issue 18's spawn+join row) the reads of
 * a task that returns at once were a tenth of its cost: so a task reads the clock when it
 * starts and when it ends, and its first attempt, when nothing held it up, is ready from
 * the task's start.
 */
final class TaskTime {

    /** No time: the task has not got there. */
    static final long NONE = Long.MIN_VALUE;

    private static final Clock CLOCK = Clock.systemUTC();

    private static final long MICROS_PER_SECOND = 1_000_000L;

    private TaskTime() {
    }

    /**
     * {@return now, to the microsecond}
     */
    static long now() {
        // the instant does not escape: the compiler removes it
        Instant now = CLOCK.instant();
        return now.getEpochSecond() * MICROS_PER_SECOND + now.getNano() / 1_000;
    }

    /**
     * {@return {@code time} as an instant; empty for {@link #NONE}}
     */
    static Optional<Instant> instant(long time) {
        return (time != NONE) ? Optional.of(toInstant(time)) : Optional.empty();
    }

    /**
     * {@return {@code prefix} and the time, or nothing for {@link #NONE}}
     */
    static String describe(String prefix, long time) {
        return (time != NONE) ? prefix + toInstant(time) : "";
    }

    private static Instant toInstant(long time) {
        return Instant.ofEpochSecond(Math.floorDiv(time, MICROS_PER_SECOND),
                Math.floorMod(time, MICROS_PER_SECOND) * 1_000);
    }

}
