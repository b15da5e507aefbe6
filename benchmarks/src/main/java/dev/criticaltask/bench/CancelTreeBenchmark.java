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

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTaskHandle;
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
 * Item 3: cancelling a root with 100,000 children (single shot; the tree is built again
 * before each measured invocation).
 *
 * <ul>
 * <li>{@code cancelNoWaiters}: 100,000 {@code root.child()} tokens (held), nobody
 * waiting; measured: {@code root.cancel()}. Rust target: 3.65 ms.
 * <li>{@code cancelParkedThreads}: one thread per child parked in {@code child.await()};
 * measured: {@code root.cancel()} until every thread has returned (a latch). Rust target:
 * 30.5 ms.
 * <li>{@code cancelParkedThreadsFromTask}: the same, {@code cancel()} called from a new
 * thread of the parameter's kind.
 * <li>{@code cancelParkedTasks}: the same with 100,000 critical tasks
 * ({@code CriticalTaskHandle.spawn}, each parked in {@code token.await()}), until every
 * handle has joined.
 * <li>{@code latchParkedThreads} (baseline): the same threads parked on one
 * {@code CountDownLatch(1)}; measured: {@code countDown()} until every thread has
 * returned.
 * </ul>
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, batchSize = 1)
@Measurement(iterations = 10, batchSize = 1)
@Fork(1)
public class CancelTreeBenchmark {

    @State(Scope.Thread)
    public static class Shape {

        @Param({ "100000" })
        public int children;

        @Param({ Threads.VIRTUAL })
        public String threads;

        Executor perTask;

        @Setup(Level.Trial)
        public void setUp() {
            Threads.silenceLibraryLogging();
            perTask = Threads.perTask(threads);
        }

    }

    @State(Scope.Thread)
    public static class Tokens {

        CancellationToken root;

        /**
         * Held, so that all of them are live when the root is cancelled: a dropped bare
         * child may be collected before (issue #13), which would shrink the tree under
         * measurement.
         */
        CancellationToken[] children;

        @Setup(Level.Iteration)
        public void setUp(Shape shape) {
            root = CancellationToken.create();
            children = new CancellationToken[shape.children];
            for (int i = 0; i < shape.children; i++) {
                children[i] = root.child();
            }
        }

    }

    @State(Scope.Thread)
    public static class ParkedThreads {

        CancellationToken root;

        CountDownLatch returned;

        @Setup(Level.Iteration)
        public void setUp(Shape shape) throws InterruptedException {
            CancellationToken parent = CancellationToken.create();
            root = parent;
            CountDownLatch started = new CountDownLatch(shape.children);
            CountDownLatch done = new CountDownLatch(shape.children);
            returned = done;
            for (int i = 0; i < shape.children; i++) {
                CancellationToken child = parent.child();
                Threads.start(shape.threads, () -> {
                    started.countDown();
                    try {
                        child.await();
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    finally {
                        done.countDown();
                    }
                });
            }
            started.await();
        }

        @TearDown(Level.Iteration)
        public void tearDown() throws InterruptedException {
            root.cancel();
            returned.await();
        }

    }

    @State(Scope.Thread)
    public static class ParkedTasks {

        CancellationToken root;

        CriticalTaskHandle[] handles;

        @Setup(Level.Iteration)
        public void setUp(Shape shape) throws InterruptedException {
            CancellationToken parent = CancellationToken.create();
            root = parent;
            CountDownLatch started = new CountDownLatch(shape.children);
            handles = new CriticalTaskHandle[shape.children];
            for (int i = 0; i < shape.children; i++) {
                handles[i] = CriticalTaskHandle.spawn("parked", token -> {
                    started.countDown();
                    token.await();
                }, parent, shape.perTask);
            }
            started.await();
        }

        @TearDown(Level.Iteration)
        public void tearDown() throws InterruptedException {
            root.cancel();
            for (CriticalTaskHandle handle : handles) {
                handle.join();
            }
            handles = null;
        }

    }

    @State(Scope.Thread)
    public static class LatchParked {

        CountDownLatch gate;

        CountDownLatch returned;

        @Setup(Level.Iteration)
        public void setUp(Shape shape) throws InterruptedException {
            CountDownLatch open = new CountDownLatch(1);
            gate = open;
            CountDownLatch started = new CountDownLatch(shape.children);
            CountDownLatch done = new CountDownLatch(shape.children);
            returned = done;
            for (int i = 0; i < shape.children; i++) {
                Threads.start(shape.threads, () -> {
                    started.countDown();
                    try {
                        open.await();
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    finally {
                        done.countDown();
                    }
                });
            }
            started.await();
        }

        @TearDown(Level.Iteration)
        public void tearDown() throws InterruptedException {
            gate.countDown();
            returned.await();
        }

    }

    @Benchmark
    public CancellationToken cancelNoWaiters(Tokens state) {
        state.root.cancel();
        return state.root;
    }

    @Benchmark
    public CancellationToken cancelParkedThreads(ParkedThreads state) throws InterruptedException {
        state.root.cancel();
        state.returned.await();
        return state.root;
    }

    /**
     * As {@link #cancelParkedThreads}, but {@code cancel()} is called from a thread of
     * the parameter's kind (a virtual thread by default), as in tokio, where the
     * canceller is itself a task on a worker: a virtual thread's unparks go to its
     * carrier's local queue rather than the scheduler's external submission queue. The
     * new thread's start is included.
     */
    @Benchmark
    public CancellationToken cancelParkedThreadsFromTask(ParkedThreads state, Shape shape) throws InterruptedException {
        Threads.start(shape.threads, state.root::cancel);
        state.returned.await();
        return state.root;
    }

    @Benchmark
    public CancellationToken cancelParkedTasks(ParkedTasks state) throws InterruptedException {
        state.root.cancel();
        for (CriticalTaskHandle handle : state.handles) {
            handle.join();
        }
        return state.root;
    }

    @Benchmark
    public CountDownLatch latchParkedThreads(LatchParked state) throws InterruptedException {
        state.gate.countDown();
        state.returned.await();
        return state.returned;
    }

}
