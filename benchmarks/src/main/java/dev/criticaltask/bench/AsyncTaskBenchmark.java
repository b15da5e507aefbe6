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
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.AsyncCriticalTask;
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
 * Asynchronous tasks ({@link AsyncCriticalTask}): {@value #BATCH} tasks are spawned, each
 * with a pending stage, and then completed and joined, so that the registry's bookkeeping
 * of a stage that ends on another thread is measured, not only its start. Side by side in
 * the same run: the same {@value #BATCH} as blocking registry tasks parked until released
 * (each holds its thread while pending), and the JDK baseline of {@value #BATCH}
 * {@code CompletableFuture}s started on the same kind of per-task thread and completed
 * the same way, without any supervision. The score is per task
 * ({@code @OperationsPerInvocation}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
@State(Scope.Thread)
public class AsyncTaskBenchmark {

    static final int BATCH = 1_000;

    @Param({ Threads.VIRTUAL })
    public String threads;

    private CriticalTaskRegistry registry;

    private Executor perTask;

    private final CompletableFuture<?>[] stages = new CompletableFuture<?>[BATCH];

    private final CriticalTaskHandle[] handles = new CriticalTaskHandle[BATCH];

    private final String[] names = new String[BATCH];

    @Setup(Level.Trial)
    public void setUp() {
        Threads.requireKnown(threads);
        registry = Threads.registry(threads);
        perTask = Threads.perTask(threads);
        for (int i = 0; i < BATCH; i++) {
            names[i] = "bench-" + i;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException {
        registry.stop(Duration.ofSeconds(5));
        if (registry.firstFailure().isPresent()) {
            throw new IllegalStateException("a task failed during the benchmark", registry.firstFailure().get());
        }
    }

    /**
     * Spawned async tasks with pending stages, completed from this thread, then joined.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void registrySpawnAsync() throws InterruptedException {
        for (int i = 0; i < BATCH; i++) {
            CompletableFuture<Void> stage = new CompletableFuture<>();
            stages[i] = stage;
            AsyncCriticalTask task = token -> stage;
            handles[i] = registry.spawnAsync(names[i], task);
        }
        for (int i = 0; i < BATCH; i++) {
            stages[i].complete(null);
        }
        joinAll();
    }

    /**
     * Blocking tasks, each parked on its thread until its future is completed, then
     * joined.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void registrySpawnBlocking() throws InterruptedException {
        for (int i = 0; i < BATCH; i++) {
            CompletableFuture<Void> stage = new CompletableFuture<>();
            stages[i] = stage;
            CriticalTask task = token -> stage.join();
            handles[i] = registry.spawn(names[i], task);
        }
        for (int i = 0; i < BATCH; i++) {
            stages[i].complete(null);
        }
        joinAll();
    }

    /**
     * Baseline: a per-task thread starts each piece of work and returns a pending future,
     * as {@code start} does; completed from this thread, then joined. No names, no
     * tokens, no registry.
     */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void completableFutureBaseline() {
        CompletableFuture<?>[] started = new CompletableFuture<?>[BATCH];
        for (int i = 0; i < BATCH; i++) {
            CompletableFuture<Void> stage = new CompletableFuture<>();
            stages[i] = stage;
            started[i] = CompletableFuture.supplyAsync(() -> stage, perTask).thenCompose(pending -> pending);
        }
        for (int i = 0; i < BATCH; i++) {
            stages[i].complete(null);
        }
        for (CompletableFuture<?> future : started) {
            future.join();
        }
    }

    private void joinAll() throws InterruptedException {
        for (CriticalTaskHandle handle : handles) {
            handle.join();
        }
    }

}
