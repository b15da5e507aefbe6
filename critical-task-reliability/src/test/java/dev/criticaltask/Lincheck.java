package dev.criticaltask;

/** Bounds for the Lincheck runs, scaled by -Dreliability.lincheck.scale (default 1). */
final class Lincheck {

    private static final double SCALE = Double.parseDouble(System.getProperty("reliability.lincheck.scale", "1"));

    private Lincheck() {
    }

    static int iterations(int base) {
        return Math.max(1, (int) Math.round(base * SCALE));
    }

    static int invocations(int base) {
        return Math.max(1, (int) Math.round(base * SCALE));
    }
}
