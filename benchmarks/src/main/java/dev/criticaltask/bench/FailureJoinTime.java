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

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * {@link JvmFloorBenchmark#failureFanOut}'s second library figure, {@code joinUs}: once
 * every sibling has returned from {@code token.await()}, how long the benchmark thread
 * then takes to {@code join()} the N handles (their tasks' own ends, observed from a
 * platform thread).
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
