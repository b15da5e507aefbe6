package dev.criticaltask.bench;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

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
 * Item 2: failure propagation. Before each measured invocation (single shot), N siblings are spawned
 * and parked on their token, and one more task is parked on a trigger latch; the set-up waits until
 * all have started. The measured time runs from releasing that latch (the task then throws at once)
 * until every sibling has returned: the wake-up of the failing thread, the throw, the cancellation of
 * the parent, and N wake-ups and returns, observed by the benchmark thread.
 *
 * <p>Baselines in the same run: {@code completableFutureFanOut}, the same shape hand-rolled (the
 * failing thread completes a shared {@link CompletableFuture} exceptionally; the siblings parked in
 * {@code get()} return and count down a latch), and, in the {@code jdk25} build,
 * {@code StructuredTaskScopeBenchmark} (JDK 25 preview). Rust targets: 37 µs for 100 siblings,
 * 4.1 ms for 10,000.
 *
 * <p>The library's failure log is turned off ({@link Threads#silenceLibraryLogging()}); building the
 * failure and its stack trace is measured.
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

    /** N critical tasks spawned with CriticalTaskHandle.spawn under one parent, plus the failing one. */
    @State(Scope.Thread)
    public static class Critical {

        CriticalTaskHandle[] siblings;

        CriticalTaskHandle failing;

        CountDownLatch trigger;

        CancellationToken parent;

        @Setup(Level.Iteration)
        public void setUp(Shape shape) throws InterruptedException {
            CountDownLatch started = new CountDownLatch(shape.siblings + 1);
            CountDownLatch release = new CountDownLatch(1);
            trigger = release;
            parent = CancellationToken.create();
            siblings = new CriticalTaskHandle[shape.siblings];
            for (int i = 0; i < siblings.length; i++) {
                siblings[i] = CriticalTaskHandle.spawn("sibling", token -> {
                    started.countDown();
                    token.await();
                }, parent, shape.perTask);
            }
            failing = CriticalTaskHandle.spawn("failing", token -> {
                started.countDown();
                release.await();
                throw new IllegalStateException("boom");
            }, parent, shape.perTask);
            started.await();
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
            for (CriticalTaskHandle sibling : siblings) {
                sibling.join();
            }
        }
    }

    /** The hand-rolled baseline: one CompletableFuture as the failure signal, a latch for the returns. */
    @State(Scope.Thread)
    public static class FanOut {

        CompletableFuture<Void> failure;

        CountDownLatch returned;

        CountDownLatch trigger;

        Thread failingThread;

        @Setup(Level.Iteration)
        public void setUp(Shape shape) throws InterruptedException {
            int n = shape.siblings;
            CountDownLatch started = new CountDownLatch(n + 1);
            CountDownLatch release = new CountDownLatch(1);
            trigger = release;
            CompletableFuture<Void> signal = new CompletableFuture<>();
            failure = signal;
            CountDownLatch done = new CountDownLatch(n);
            returned = done;
            for (int i = 0; i < n; i++) {
                Threads.start(shape.threads, () -> {
                    started.countDown();
                    try {
                        signal.get();
                    }
                    catch (ExecutionException expected) {
                        // a sibling failed: return
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                    }
                    finally {
                        done.countDown();
                    }
                });
            }
            failingThread = Threads.start(shape.threads, () -> {
                started.countDown();
                try {
                    release.await();
                }
                catch (InterruptedException ex) {
                    return;
                }
                signal.completeExceptionally(new IllegalStateException("boom"));
            });
            started.await();
        }

        @TearDown(Level.Iteration)
        public void tearDown() throws InterruptedException {
            trigger.countDown();
            returned.await();
            failingThread.join();
            if (!failure.isCompletedExceptionally()) {
                throw new IllegalStateException("the failure was not signalled");
            }
        }
    }

    @Benchmark
    public CancellationToken criticalTask(Critical state) throws InterruptedException {
        state.trigger.countDown();
        for (CriticalTaskHandle sibling : state.siblings) {
            sibling.join();
        }
        return state.parent;
    }

    @Benchmark
    public CompletableFuture<Void> completableFutureFanOut(FanOut state) throws InterruptedException {
        state.trigger.countDown();
        state.returned.await();
        return state.failure;
    }
}
