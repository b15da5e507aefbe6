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

import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Item 1, joined from a virtual thread: the same four spawn+join shapes as
 * {@link SpawnJoinBenchmark}, but {@value #BATCH} of them run in a loop on one thread of
 * the parameter's kind (virtual by default), so that {@code join()} parks a virtual
 * thread, as a tokio task awaiting a {@code JoinHandle} does, instead of a JMH platform
 * thread. The score is per spawn+join ({@code @OperationsPerInvocation}); the loop
 * thread's own start is amortised over the batch. {@code -p threads=platform} runs the
 * loop on a platform thread (then the same as {@link SpawnJoinBenchmark}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SpawnJoinBatchBenchmark {

    private static final CriticalTask RETURN_AT_ONCE = token -> {
    };

    private static final Runnable NOTHING = () -> {
    };

    @Param({ Threads.VIRTUAL })
    public String threads;

    private CancellationToken root;

    private Executor perTask;

    private ExecutorService executorService;

    private CriticalTaskRegistry registry;

    @Setup(Level.Trial)
    public void setUp() {
        Threads.requireKnown(threads);
        root = CancellationToken.create();
        perTask = Threads.perTask(threads);
        executorService = Threads.executorService(threads);
        registry = Threads.registry(threads);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        executorService.shutdownNow();
        registry.stop(Duration.ofSeconds(5));
        if (root.isCancelled()) {
            throw new IllegalStateException("a task failed during the benchmark");
        }
    }

    static final int BATCH = 1_000;

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Thread handleSpawnJoin() throws InterruptedException {
        return onJoiner(() -> {
            for (int i = 0; i < BATCH; i++) {
                CriticalTaskHandle.spawn("bench", RETURN_AT_ONCE, root, perTask).join();
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Thread registrySpawnJoin() throws InterruptedException {
        return onJoiner(() -> {
            for (int i = 0; i < BATCH; i++) {
                registry.spawn("bench", RETURN_AT_ONCE).join();
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Thread threadStartJoin() throws InterruptedException {
        return onJoiner(() -> {
            for (int i = 0; i < BATCH; i++) {
                Threads.start(threads, NOTHING).join();
            }
        });
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Thread executorSubmitGet() throws InterruptedException {
        return onJoiner(() -> {
            for (int i = 0; i < BATCH; i++) {
                executorService.submit(NOTHING).get();
            }
        });
    }

    @FunctionalInterface
    interface Loop {

        void run() throws Exception;

    }

    private Thread onJoiner(Loop loop) throws InterruptedException {
        Throwable[] failed = new Throwable[1];
        Thread joiner = Threads.start(threads, () -> {
            try {
                loop.run();
            }
            catch (Throwable ex) {
                failed[0] = ex;
            }
        });
        joiner.join();
        if (failed[0] != null) {
            throw new IllegalStateException(failed[0]);
        }
        return joiner;
    }

}
