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

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTaskFailedException;
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
 * Item 2: failure propagation. Before each measured invocation (single shot), N siblings
 * are spawned and parked on their token, and one more task is parked on a trigger latch;
 * the set-up waits until all have started. The measured time runs from releasing that
 * latch (the task then throws at once) until every sibling has been joined by the
 * benchmark thread: the wake-up of the failing thread, the throw, the cancellation of the
 * parent, N wake-ups, returns and task ends. (Each sibling also counts down a latch as it
 * returns from {@code token.await()}: issue 18's row, {@link JvmFloorBenchmark}, stops
 * the clock there.)
 *
 * <p>
 * Baselines in the same run: {@code completableFutureFanOut}, the same shape hand-rolled
 * (the failing thread throws, catches and completes a shared {@link CompletableFuture}
 * exceptionally with it; the siblings parked in {@code get()} return and count down a
 * latch); {@code latchFanOut}, the same with one {@link CountDownLatch} that the failing
 * thread counts down (issue 18's floor); and, in the {@code jdk25} build,
 * {@code StructuredTaskScopeBenchmark} (JDK 25 preview). Rust targets: 37 µs for 100
 * siblings, 4.1 ms for 10,000.
 *
 * <p>
 * The library's failure log is turned off ({@link Threads#silenceLibraryLogging()});
 * building the failure and its stack trace is measured.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 30, batchSize = 1)
@Measurement(iterations = 50, batchSize = 1)
@Fork(2)
public class FailurePropagationBenchmark {

    @State(Scope.Thread)
    public static class Shape {

        @Param({ "1", "100", "10000" })
        public int siblings;

        @Param({ Threads.VIRTUAL })
        public String threads;

        Executor perTask;

        @Setup(Level.Trial)
        public void setUp() {
            Threads.silenceLibraryLogging();
            perTask = Threads.perTask(threads);
        }

    }

    /**
     * N critical tasks spawned with CriticalTaskHandle.spawn under one parent, plus the
     * failing one.
     */
    @State(Scope.Thread)
    public static class Critical {

        CriticalTaskHandle[] siblings;

        CriticalTaskHandle failing;

        CountDownLatch trigger;

        CancellationToken parent;

        /** Counted down by each sibling as it returns from {@code token.await()}. */
        CountDownLatch returned;

        @Setup(Level.Iteration)
        public void setUp(Shape shape) throws InterruptedException {
            CountDownLatch started = new CountDownLatch(shape.siblings + 1);
            CountDownLatch release = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(shape.siblings);
            trigger = release;
            returned = done;
            parent = CancellationToken.create();
            siblings = new CriticalTaskHandle[shape.siblings];
            for (int i = 0; i < siblings.length; i++) {
                siblings[i] = CriticalTaskHandle.spawn("sibling", token -> {
                    started.countDown();
                    token.await();
                    done.countDown();
                }, parent, shape.perTask);
            }
            failing = CriticalTaskHandle.spawn("failing", token -> {
                started.countDown();
                release.await();
                throw new IllegalStateException("boom");
            }, parent, shape.perTask);
            started.await();
        }

        /**
         * Measured by issue 18's row: from the trigger until every sibling has returned
         * from await.
         */
        void triggerAndAwaitReturns() throws InterruptedException {
            trigger.countDown();
            returned.await();
        }

        /** Joins every sibling (their tasks have ended). */
        void joinSiblings() throws InterruptedException {
            for (CriticalTaskHandle sibling : siblings) {
                sibling.join();
            }
        }

        @TearDown(Level.Iteration)
        public void tearDown() throws InterruptedException {
            trigger.countDown();
            try {
                failing.join();
                throw new IllegalStateException("the failing task did not fail");
            }
            catch (CriticalTaskFailedException expected) {
                // as planned
            }
            joinSiblings();
        }

    }

    /**
     * The baselines' shape without the library: N threads parked on a gate, and one more
     * parked on the trigger that, once released, throws and catches an exception (as the
     * failing task does) and opens the gate with it; each sibling counts down
     * {@code returned} when the gate lets it go.
     */
    static final class ParkedSiblings {

        /** What the siblings park on until the failing thread opens it. */
        interface Gate {

            void await() throws InterruptedException;

            void open(Throwable failure);

        }

        final CountDownLatch trigger = new CountDownLatch(1);

        final CountDownLatch returned;

        final Thread failingThread;

        /** When the failing thread was about to throw (System.nanoTime). */
        volatile long thrownAt;

        ParkedSiblings(Shape shape, Gate gate) throws InterruptedException {
            this(shape.siblings, shape.threads, gate, index -> {
            });
        }

        /**
         * {@code onReturn} gets each sibling's index as it returns from the gate, before
         * it counts down.
         */
        ParkedSiblings(int n, String threads, Gate gate, IntConsumer onReturn) throws InterruptedException {
            CountDownLatch started = new CountDownLatch(n + 1);
            CountDownLatch done = new CountDownLatch(n);
            returned = done;
            for (int i = 0; i < n; i++) {
                int index = i;
                Threads.start(threads, () -> {
                    started.countDown();
                    try {
                        gate.await();
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    finally {
                        onReturn.accept(index);
                        done.countDown();
                    }
                });
            }
            CountDownLatch release = trigger;
            failingThread = Threads.start(threads, () -> {
                started.countDown();
                try {
                    release.await();
                    thrownAt = System.nanoTime();
                    throw new IllegalStateException("boom");
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                catch (IllegalStateException boom) {
                    gate.open(boom);
                }
            });
            started.await();
        }

        /** Measured: from the trigger until every sibling has returned. */
        void triggerAndAwaitReturns() throws InterruptedException {
            trigger.countDown();
            returned.await();
        }

        void finish() throws InterruptedException {
            triggerAndAwaitReturns();
            failingThread.join();
        }

    }

    /**
     * The hand-rolled baseline: one CompletableFuture as the failure signal, a latch for
     * the returns.
     */
    @State(Scope.Thread)
    public static class FanOut {

        CompletableFuture<Void> failure;

        ParkedSiblings parked;

        @Setup(Level.Iteration)
        public void setUp(Shape shape) throws InterruptedException {
            CompletableFuture<Void> signal = new CompletableFuture<>();
            failure = signal;
            parked = new ParkedSiblings(shape, new ParkedSiblings.Gate() {
                @Override
                public void await() throws InterruptedException {
                    try {
                        signal.get();
                    }
                    catch (ExecutionException expected) {
                        // a sibling failed: return
                    }
                }

                @Override
                public void open(Throwable boom) {
                    signal.completeExceptionally(boom);
                }
            });
        }

        @TearDown(Level.Iteration)
        public void tearDown() throws InterruptedException {
            parked.finish();
            if (!failure.isCompletedExceptionally()) {
                throw new IllegalStateException("the failure was not signalled");
            }
        }

    }

    /**
     * The JVM's floor for issue 18's failure row: the siblings park on one
     * {@link CountDownLatch}, which the failing thread counts down once (after throwing
     * and catching its exception).
     */
    @State(Scope.Thread)
    public static class LatchFanOut {

        volatile Throwable failure;

        ParkedSiblings parked;

        @Setup(Level.Iteration)
        public void setUp(Shape shape) throws InterruptedException {
            CountDownLatch gate = new CountDownLatch(1);
            failure = null;
            parked = new ParkedSiblings(shape, new ParkedSiblings.Gate() {
                @Override
                public void await() throws InterruptedException {
                    gate.await();
                }

                @Override
                public void open(Throwable boom) {
                    failure = boom; // escapes, so that the exception is really made
                    gate.countDown();
                }
            });
        }

        @TearDown(Level.Iteration)
        public void tearDown() throws InterruptedException {
            parked.finish();
            if (failure == null) {
                throw new IllegalStateException("the failure was not signalled");
            }
        }

    }

    @Benchmark
    public CancellationToken criticalTask(Critical state) throws InterruptedException {
        state.trigger.countDown();
        state.joinSiblings();
        return state.parent;
    }

    /**
     * Issue 18's floor alone (JvmFloorBenchmark.failureFanOut times it beside the
     * library), for profiles.
     */
    @Benchmark
    public CountDownLatch latchFanOut(LatchFanOut state) throws InterruptedException {
        state.parked.triggerAndAwaitReturns();
        return state.parked.returned;
    }

    @Benchmark
    public CompletableFuture<Void> completableFutureFanOut(FanOut state) throws InterruptedException {
        state.parked.triggerAndAwaitReturns();
        return state.failure;
    }

}
