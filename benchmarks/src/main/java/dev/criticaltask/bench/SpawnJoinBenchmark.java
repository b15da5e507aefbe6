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
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Item 1: spawn and join of one task that returns at once, in microseconds per task, side
 * by side with a raw thread start+join, and {@code ExecutorService.submit().get()}, on
 * platform or virtual threads. Rust target (tokio, 2 workers): 0.89 µs per spawn+join.
 *
 * <ul>
 * <li>{@code handleSpawnJoin}:
 * {@link CriticalTaskHandle#spawn(String, CriticalTask, CancellationToken, Executor)}
 * with a new thread per task, then {@code join()}: the Rust original's API.
 * <li>{@code registrySpawnJoin}: {@link CriticalTaskRegistry#spawn(String, CriticalTask)}
 * on a registry built with its own platform or virtual threads, then {@code join()}.
 * <li>{@code threadStartJoin}: {@code Thread.start(); join()} of a raw thread (the 1.5×
 * target).
 * <li>{@code executorSubmitGet}: {@code submit(task).get()}; virtual: one virtual thread
 * per task; platform: a cached pool, which re-uses its thread (so no thread start is
 * paid).
 * </ul>
 * JMH's threads are platform threads, so each {@code join()} here parks and wakes a
 * platform thread; {@link SpawnJoinBatchBenchmark} joins from a virtual thread instead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class SpawnJoinBenchmark {

    private static final CriticalTask RETURN_AT_ONCE = token -> {
    };

    private static final Runnable NOTHING = () -> {
    };

    @Param({ Threads.PLATFORM, Threads.VIRTUAL })
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
        registry.stop(java.time.Duration.ofSeconds(5));
        if (root.isCancelled()) {
            throw new IllegalStateException("a task failed during the benchmark");
        }
    }

    @Benchmark
    public CriticalTaskHandle handleSpawnJoin() throws InterruptedException {
        CriticalTaskHandle handle = CriticalTaskHandle.spawn("bench", RETURN_AT_ONCE, root, perTask);
        handle.join();
        return handle;
    }

    @Benchmark
    public CriticalTaskHandle registrySpawnJoin() throws InterruptedException {
        CriticalTaskHandle handle = registry.spawn("bench", RETURN_AT_ONCE);
        handle.join();
        return handle;
    }

    @Benchmark
    public Thread threadStartJoin() throws InterruptedException {
        Thread thread = Threads.start(threads, NOTHING);
        thread.join();
        return thread;
    }

    @Benchmark
    public Object executorSubmitGet() throws Exception {
        return executorService.submit(NOTHING).get();
    }

}
