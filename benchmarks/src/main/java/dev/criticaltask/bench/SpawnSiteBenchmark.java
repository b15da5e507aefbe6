package dev.criticaltask.bench;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.CriticalTaskHandle;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Evidence for item 1: what {@code CriticalTaskHandle.spawn} pays to record where it was called
 * (for the "neither joined nor detached" log). {@code currentCoreExpression} is a copy of the core's
 * {@code spawnSite()} (a {@code StackWalker} walk to the first frame outside the handle class, turned
 * into a {@code StackTraceElement}); the others are the cheaper alternatives considered for a patch.
 * The frames are walked from this benchmark's depth (JMH's stub plus the benchmark method), about the
 * depth of a real caller.
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

    /** The core's expression today, verbatim. */
    @Benchmark
    public StackTraceElement currentCoreExpression() {
        return StackWalker.getInstance()
            .walk(frames -> frames.filter(frame -> !frame.getClassName().equals(HANDLE_CLASS))
                .findFirst()
                .map(StackWalker.StackFrame::toStackTraceElement)
                .orElse(null));
    }

    /** The same walk with a cached walker sized for a shallow walk (estimateDepth 4). */
    @Benchmark
    public StackTraceElement shallowWalker() {
        return SHALLOW.walk(frames -> frames.filter(frame -> !frame.getClassName().equals(HANDLE_CLASS))
            .findFirst()
            .map(StackWalker.StackFrame::toStackTraceElement)
            .orElse(null));
    }

    /** Keeping the frame, turning it into a StackTraceElement only when the log is written. */
    @Benchmark
    public StackWalker.StackFrame shallowWalkerFrameOnly() {
        return SHALLOW.walk(frames -> frames.filter(frame -> !frame.getClassName().equals(HANDLE_CLASS))
            .findFirst()
            .orElse(null));
    }

    /** A Throwable created for its stack trace (filled, not yet turned into elements). */
    @Benchmark
    public Throwable throwable() {
        return new Throwable();
    }
}
