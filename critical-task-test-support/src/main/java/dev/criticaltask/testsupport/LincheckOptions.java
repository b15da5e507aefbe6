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

    private static int scaled(int base) {
        return Math.max(1, (int) Math.round(base * SCALE));
    }

}
