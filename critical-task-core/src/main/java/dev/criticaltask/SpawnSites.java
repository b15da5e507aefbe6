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

import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * How many spawns record where they happened, for the report of a forgotten handle.
 * <p>
 * Every handle from {@code spawn} is tracked, so every forgotten one is reported and
 * counted; what this policy decides is only whether the report can name the spawn site,
 * which costs a stack walk, the largest part of a spawn after the thread itself. As
 * Netty's {@code ResourceLeakDetector} does for buffers, the default records one spawn in
 * {@value #DEFAULT_INTERVAL} (Netty's interval is 128; see {@link #DEFAULT_INTERVAL}): a
 * handle forgotten in a loop, the common leak, is soon reported with its site, while a
 * spawn pays for the walk only rarely.
 * <ul>
 * <li>{@code -Ddev.criticaltask.spawnSites=all}: every spawn records its site.
 * <li>{@code sampled} (the default): one spawn in
 * {@code -Ddev.criticaltask.spawnSites.interval} (default {@value #DEFAULT_INTERVAL}),
 * chosen at random.
 * <li>{@code off}: none; reports name the task only.
 * </ul>
 * The properties are read once, when the first handle is spawned. Immutable and
 * thread-safe; {@link #record()} runs on the spawning thread.
 */
final class SpawnSites {

    static final String LEVEL_PROPERTY = "dev.criticaltask.spawnSites";

    static final String INTERVAL_PROPERTY = "dev.criticaltask.spawnSites.interval";

    /**
     * Netty samples one buffer in 128; a walk here costs more: on a virtual thread that
     * has parked before, its frames are frozen and the walk thaws them (about 20 µs a
     * walk, against the 3 µs of a spawn+join), so one in 128 was 4 % of every spawn, one
     * in 1,024 half a per cent.
     */
    static final int DEFAULT_INTERVAL = 1024;

    /** Sized for the few frames walked: the first one outside the spawning classes. */
    private static final StackWalker WALKER = StackWalker.getInstance(Set.of(), 6);

    private final Level level;

    private final int interval;

    private SpawnSites(Level level, int interval) {
        this.level = level;
        this.interval = interval;
    }

    /**
     * The policy the system properties give.
     * @throws IllegalArgumentException naming the property, when a value is invalid
     */
    static SpawnSites configured() {
        return Holder.CONFIGURED;
    }

    /**
     * Parses a policy.
     * @param level {@code off}, {@code sampled} or {@code all}, in any case; null for the
     * default
     * @param interval a positive whole number; null for the default
     * @throws IllegalArgumentException naming the property and the value, when one is
     * invalid
     */
    static SpawnSites of(@Nullable String level, @Nullable String interval) {
        return new SpawnSites(parseLevel(level), parseInterval(interval));
    }

    /**
     * {@return where the caller of {@code spawn} is, when this spawn is one that records
     * it; null otherwise}
     */
    @Nullable StackTraceElement record() {
        if (level == Level.OFF || (level == Level.SAMPLED && ThreadLocalRandom.current().nextInt(interval) != 0)) {
            return null;
        }
        return WALKER.walk(frames -> frames.filter(SpawnSites::outsideSpawn)
            .findFirst()
            .map(StackWalker.StackFrame::toStackTraceElement)
            .orElse(null));
    }

    /**
     * {@return what a report says in place of a spawn site it did not record}
     */
    String unrecorded() {
        return switch (level) {
            case OFF ->
                "an unrecorded place (spawn sites are not recorded; set -D" + LEVEL_PROPERTY + "=all to record them)";
            case SAMPLED -> "an unrecorded place (one spawn in " + interval + " records its site; set -D"
                    + LEVEL_PROPERTY + "=all to record every one)";
            case ALL -> "an unknown place";
        };
    }

    @Override
    public String toString() {
        return (level == Level.SAMPLED) ? "sampled, 1 in " + interval : level.name().toLowerCase(Locale.ROOT);
    }

    private static boolean outsideSpawn(StackWalker.StackFrame frame) {
        String name = frame.getClassName();
        return !name.equals(SpawnSites.class.getName()) && !name.equals(CriticalTaskHandle.class.getName());
    }

    private static Level parseLevel(@Nullable String value) {
        if (value == null) {
            return Level.SAMPLED;
        }
        try {
            return Level.valueOf(value.trim().toUpperCase(Locale.ROOT));
        }
        catch (IllegalArgumentException ex) {
            throw new IllegalArgumentException(
                    "Invalid value '" + value + "' for " + LEVEL_PROPERTY + ": expected off, sampled or all", ex);
        }
    }

    private static int parseInterval(@Nullable String value) {
        if (value == null) {
            return DEFAULT_INTERVAL;
        }
        try {
            int interval = Integer.parseInt(value.trim());
            if (interval > 0) {
                return interval;
            }
        }
        catch (NumberFormatException ex) {
            // reported below, with the property's name
        }
        throw new IllegalArgumentException(
                "Invalid value '" + value + "' for " + INTERVAL_PROPERTY + ": expected a positive whole number");
    }

    private enum Level {

        OFF, SAMPLED, ALL

    }

    /** Reads the properties on first use, not when the class is loaded for a test. */
    private static final class Holder {

        static final SpawnSites CONFIGURED = of(System.getProperty(LEVEL_PROPERTY),
                System.getProperty(INTERVAL_PROPERTY));

    }

}
