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

import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.CriticalTaskHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Evidence for item 1: what {@code CriticalTaskHandle.spawn} pays to record where it was
 * called (for the "neither joined nor detached" log). {@code currentCoreExpression} is a
 * copy of the core's {@code spawnSite()} (a {@code StackWalker} walk to the first frame
 * outside the handle class, turned into a {@code StackTraceElement}); the others are the
 * cheaper alternatives considered for a patch (issue 18: {@code callerClass}, and
 * {@code sampledShallowWalker}, the capture of one spawn in 128). The frames are walked
 * from this benchmark's depth (JMH's stub plus the benchmark method), about the depth of
 * a real caller.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SpawnSiteBenchmark {

    private static final String HANDLE_CLASS = CriticalTaskHandle.class.getName();

    private static final StackWalker SHALLOW = StackWalker.getInstance(Set.of(), 4);

    private static final StackWalker CLASSES = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** Netty's ResourceLeakDetector default: one object in 128 is tracked. */
    private static final int SAMPLING_INTERVAL = 128;

    private static final int BATCH = 1_000;

    /**
     * The thread kind of {@link #afterYield}; the other benchmarks run on JMH's platform
     * thread.
     */
    @Param({ Threads.VIRTUAL })
    public String threads;

    private volatile Object sink;

    /** The core's expression before issue 1's patch (a new default walker per call). */
    @Benchmark
    public StackTraceElement currentCoreExpression() {
        return StackWalker.getInstance()
            .walk(frames -> frames.filter(frame -> !frame.getClassName().equals(HANDLE_CLASS))
                .findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement)
                .orElse(null));
    }

    /**
     * The core's expression now: a cached walker sized for a shallow walk (estimateDepth
     * 4).
     */
    @Benchmark
    public StackTraceElement shallowWalker() {
        return SHALLOW.walk(frames -> frames.filter(frame -> !frame.getClassName().equals(HANDLE_CLASS))
            .findFirst()
            .map(StackWalker.StackFrame::toStackTraceElement)
            .orElse(null));
    }

    /**
     * Keeping the frame, turning it into a StackTraceElement only when the log is
     * written.
     */
    @Benchmark
    public StackWalker.StackFrame shallowWalkerFrameOnly() {
        return SHALLOW.walk(
                frames -> frames.filter(frame -> !frame.getClassName().equals(HANDLE_CLASS)).findFirst().orElse(null));
    }

    /** The caller's class only (no method, no line): the walker's cheapest question. */
    @Benchmark
    public Class<?> callerClass() {
        return CLASSES.getCallerClass();
    }

    /**
     * A sampled capture, as Netty's leak detector samples: the draw every spawn pays, and
     * the core's walk for one spawn in {@value #SAMPLING_INTERVAL}.
     */
    @Benchmark
    public StackTraceElement sampledShallowWalker() {
        if (ThreadLocalRandom.current().nextInt(SAMPLING_INTERVAL) != 0) {
            return null;
        }
        return shallowWalker();
    }

    /**
     * The core's walk where {@code spawn} really runs: on a thread of the parameter's
     * kind that has parked before (a virtual thread that joined an earlier task: its
     * frames were frozen into a heap stack chunk, and the walk goes through the chunk's
     * return barrier). Per operation: {@code Thread.yield()} then the walk
     * ({@code libraryUs}), against the yield alone ({@code floorUs}), both on one thread,
     * {@value #BATCH} per invocation; the difference is the walk's cost there.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void afterYield(FloorPair pair) throws Exception {
        pair.measure(() -> onNewThread(() -> {
            for (int i = 0; i < BATCH; i++) {
                Thread.yield();
                sink = shallowWalker();
            }
        }), () -> onNewThread(() -> {
            for (int i = 0; i < BATCH; i++) {
                Thread.yield();
                sink = this;
            }
        }), BATCH);
    }

    private void onNewThread(Runnable loop) throws InterruptedException {
        Threads.start(threads, loop).join();
    }

    /** A Throwable created for its stack trace (filled, not yet turned into elements). */
    @Benchmark
    public Throwable throwable() {
        return new Throwable();
    }

}
