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

import org.jetbrains.lincheck.datastructures.ModelCheckingOptions;
import org.jetbrains.lincheck.datastructures.StressOptions;

/**
 * The bounds of every Lincheck run: 10 iterations of 200 invocations, scaled by
 * {@code -Dreliability.lincheck.scale} (default 1). A test adds its threads, actors and
 * specification.
 */
public final class LincheckOptions {

    private static final double SCALE = Double.parseDouble(System.getProperty("reliability.lincheck.scale", "1"));

    private static final int ITERATIONS = 10;

    private static final int INVOCATIONS = 200;

    private LincheckOptions() {
    }

    /**
     * Model checking with the scaled bounds.
     * @return new options
     */
    public static ModelCheckingOptions modelChecking() {
        return new ModelCheckingOptions().iterations(scaled(ITERATIONS)).invocationsPerIteration(scaled(INVOCATIONS));
    }

    /**
     * Stress testing with the scaled bounds.
     * @return new options
     */
    public static StressOptions stress() {
        return new StressOptions().iterations(scaled(ITERATIONS)).invocationsPerIteration(scaled(INVOCATIONS));
    }

    /**
     * A number of invocations scaled as the default bounds are, for options built by
     * hand.
     * @param base the number at scale 1
     * @return the scaled number, at least 1
     */
    public static int invocations(int base) {
        return scaled(base);
    }

    private static int scaled(int base) {
        return Math.max(1, (int) Math.round(base * SCALE));
    }

}
