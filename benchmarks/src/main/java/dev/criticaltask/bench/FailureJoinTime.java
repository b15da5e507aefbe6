package dev.criticaltask.bench;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link JvmFloorBenchmark#failureFanOut}'s second library figure, {@code joinUs}: once every
 * sibling has returned from {@code token.await()}, how long the benchmark thread then takes to
 * {@code join()} the N handles (their tasks' own ends, observed from a platform thread).
 */
@State(Scope.Thread)
@AuxCounters(AuxCounters.Type.EVENTS)
public class FailureJoinTime {

    private long nanos;

    private long invocations;

    @Setup(Level.Iteration)
    public void reset() {
        nanos = 0;
        invocations = 0;
    }

    void time(FloorPair.Side joins) throws Exception {
        nanos += FloorPair.timed(joins);
        invocations++;
    }

    /** The joins' time per invocation in this iteration, µs. */
    public double joinUs() {
        return invocations == 0 ? 0 : nanos / 1e3 / invocations;
    }
}
