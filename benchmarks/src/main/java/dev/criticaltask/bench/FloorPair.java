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

package dev.criticaltask.bench;

import java.lang.management.ManagementFactory;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The two sides of one {@link JvmFloorBenchmark} row, timed in the same invocation of the
 * same fork: the library ({@code libraryUs}) and the JVM's own floor for the same work
 * ({@code floorUs}), in microseconds per operation, and their ratio. JMH reports them as
 * secondary results of the row (one value per iteration, so single-shot rows get one pair
 * per measured invocation).
 *
 * <p>
 * Why in one invocation: on a shared 2-core machine the load changes from one fork to the
 * next, so two benchmarks run minutes apart compare two loads. Here both sides see the
 * same load, and their order alternates from one invocation to the next so that neither
 * always runs second (after the other's garbage and wake-ups). {@code ratio} is the
 * iteration's library time ÷ floor time.
 *
 * <p>
 * {@code libraryCpuUs}, {@code floorCpuUs} and {@code cpuRatio} are the same for the CPU
 * time the whole JVM used meanwhile (every thread: the caller, the carriers, the tasks'
 * threads; also the JIT and GC threads, which is why the rows warm up first). Under
 * another process's load the wall times grow with the wait for a core, the CPU times much
 * less: they say how much work each side is, the wall times how long it took on this
 * machine at that moment. The process CPU clock
 * ({@code OperatingSystemMXBean.getProcessCpuTime()}) ticks in 10 ms on Linux and costs
 * about 20 µs a read (outside the timed section): it means something for an iteration of
 * many invocations, or for a single shot of 100 ms or more, not for a 100 µs one.
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class FloorPair {

    @FunctionalInterface
    interface Side {

        void run() throws Exception;

    }

    private long libraryNanos;

    private long floorNanos;

    private long libraryCpuNanos;

    private long floorCpuNanos;

    private long libraryOps;

    private long floorOps;

    /** Counts invocations across iterations: the order alternates with it. */
    private long invocations;

    @Setup(Level.Iteration)
    public void reset() {
        libraryNanos = 0;
        floorNanos = 0;
        libraryCpuNanos = 0;
        floorCpuNanos = 0;
        libraryOps = 0;
        floorOps = 0;
    }

    private static final Side NOTHING = () -> {
    };

    /** Runs both sides once, in alternating order, each timed on its own. */
    void measure(Side library, Side floor, int operations) throws Exception {
        measure(library, NOTHING, floor, operations);
    }

    /**
     * As {@link #measure(Side, Side, int)}; {@code afterLibrary} runs, untimed here,
     * right after the library side, before the floor side can start.
     */
    void measure(Side library, Side afterLibrary, Side floor, int operations) throws Exception {
        if ((invocations++ & 1) == 0) {
            library(library, operations);
            afterLibrary.run();
            floor(floor, operations);
        }
        else {
            floor(floor, operations);
            library(library, operations);
            afterLibrary.run();
        }
    }

    private void library(Side side, int operations) throws Exception {
        long cpu = processCpuNanos();
        libraryNanos += timed(side);
        libraryCpuNanos += processCpuNanos() - cpu;
        libraryOps += operations;
    }

    private void floor(Side side, int operations) throws Exception {
        long cpu = processCpuNanos();
        floorNanos += timed(side);
        floorCpuNanos += processCpuNanos() - cpu;
        floorOps += operations;
    }

    private static final com.sun.management.OperatingSystemMXBean OS = (com.sun.management.OperatingSystemMXBean) ManagementFactory
        .getOperatingSystemMXBean();

    private static long processCpuNanos() {
        return OS.getProcessCpuTime();
    }

    static long timed(Side side) throws Exception {
        long start = System.nanoTime();
        side.run();
        return System.nanoTime() - start;
    }

    /** The library's time per operation in this iteration, µs. */
    public double libraryUs() {
        return libraryOps == 0 ? 0 : libraryNanos / 1e3 / libraryOps;
    }

    /** The floor's time per operation in this iteration, µs. */
    public double floorUs() {
        return floorOps == 0 ? 0 : floorNanos / 1e3 / floorOps;
    }

    /** The JVM's CPU time per operation while the library side ran, µs. */
    public double libraryCpuUs() {
        return libraryOps == 0 ? 0 : libraryCpuNanos / 1e3 / libraryOps;
    }

    /** The JVM's CPU time per operation while the floor side ran, µs. */
    public double floorCpuUs() {
        return floorOps == 0 ? 0 : floorCpuNanos / 1e3 / floorOps;
    }

    /** Library CPU time ÷ floor CPU time in this iteration. */
    public double cpuRatio() {
        double floor = floorCpuUs();
        return floor == 0 ? 0 : libraryCpuUs() / floor;
    }

    /** Library ÷ floor in this iteration. */
    public double ratio() {
        double floor = floorUs();
        return floor == 0 ? 0 : libraryUs() / floor;
    }

}
