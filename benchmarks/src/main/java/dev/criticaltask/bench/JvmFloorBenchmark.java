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

import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Issue 18's rows, each against the JVM's own floor for the same work, both sides timed
 * in the same invocation ({@link FloorPair}: secondary results {@code libraryUs},
 * {@code floorUs}, {@code ratio}). The primary score of a row is the two sides together
 * and is not a figure of its own. The set-up of each side is that of the item's own
 * benchmark class, whose states these rows take.
 *
 * <ul>
 * <li>{@code spawnJoin}: {@code CriticalTaskHandle.spawn(...).join()} of a task that
 * returns at once, against a raw {@code Thread.startVirtualThread(r).join()};
 * {@value SpawnJoinBatchBenchmark#BATCH} of each per invocation, joined from a virtual
 * thread ({@link SpawnJoinBatchBenchmark}). Target: ≤ 1.3×.
 * <li>{@code failureFanOut}: one task throws; from its release until its N siblings
 * parked in {@code token.await()} have returned from it, against one {@code countDown} of
 * a latch that N threads park on, by a thread that threw and caught the same exception
 * ({@link FailurePropagationBenchmark}; {@code -p siblings=100,10000}). Target: ≤ 1.1×.
 * {@link FailureJoinTime} adds how long joining the N ended tasks took after that.
 * <li>{@code cancelParked}: {@code root.cancel()} of a root whose 100,000 children each
 * have a thread parked in {@code child.await()}, until every thread has returned, against
 * the same threads released by one {@code countDown} ({@link CancelTreeBenchmark}), both
 * called from the benchmark's (platform) thread. Target: ≤ 1.1×.
 * {@code cancelParkedFromVirtualThread}: the same, with {@code cancel()} and
 * {@code countDown()} called from a new thread of the parameter's kind (virtual by
 * default).
 * <li>Cancel of 100,000 children without waiters has no floor of its own: {@code
 *       CancelTreeBenchmark.cancelNoWaiters} (a met target).
 * </ul>
 * On Java 17 to 20 run them with {@code -p threads=platform} (and fewer children:
 * {@code -p
 * children=1000}); the floor is then a platform thread's. The class's annotations are the
 * wake rows'; the other rows set their own.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, batchSize = 1)
@Measurement(iterations = 10, batchSize = 1)
@Fork(3)
public class JvmFloorBenchmark {

    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 4, time = 1)
    @Measurement(iterations = 5, time = 1)
    @Fork(3)
    @OperationsPerInvocation(SpawnJoinBatchBenchmark.BATCH)
    public void spawnJoin(SpawnJoinBatchBenchmark batch, FloorPair pair) throws Exception {
        pair.measure(batch::handleSpawnJoin, batch::threadStartJoin, SpawnJoinBatchBenchmark.BATCH);
    }

    @Benchmark
    @BenchmarkMode(Mode.SingleShotTime)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Warmup(iterations = 30, batchSize = 1)
    @Measurement(iterations = 50, batchSize = 1)
    @Fork(3)
    public void failureFanOut(FailurePropagationBenchmark.Critical critical,
            FailurePropagationBenchmark.LatchFanOut latch, FloorPair pair, FailureJoinTime joins) throws Exception {
        pair.measure(critical::triggerAndAwaitReturns, () -> joins.time(critical::joinSiblings),
                latch.parked::triggerAndAwaitReturns, 1);
    }

    @Benchmark
    public void cancelParked(CancelTreeBenchmark.ParkedThreads tokens, CancelTreeBenchmark.LatchParked latch,
            FloorPair pair) throws Exception {
        wakeAll(tokens, latch, pair, Runnable::run);
    }

    @Benchmark
    public void cancelParkedFromVirtualThread(CancelTreeBenchmark.ParkedThreads tokens,
            CancelTreeBenchmark.LatchParked latch, CancelTreeBenchmark.Shape shape, FloorPair pair) throws Exception {
        wakeAll(tokens, latch, pair, wake -> Threads.start(shape.threads, wake));
    }

    /**
     * Cancels the root, or counts the latch down, through {@code caller}; then waits for
     * every return.
     */
    private static void wakeAll(CancelTreeBenchmark.ParkedThreads tokens, CancelTreeBenchmark.LatchParked latch,
            FloorPair pair, Consumer<Runnable> caller) throws Exception {
        pair.measure(() -> {
            caller.accept(tokens.root::cancel);
            tokens.returned.await();
        }, () -> {
            caller.accept(latch.gate::countDown);
            latch.returned.await();
        }, 1);
    }

}
