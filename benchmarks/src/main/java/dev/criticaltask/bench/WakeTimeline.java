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

import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTaskHandle;

/**
 * Evidence for issue 18's failure and wake rows (a main class, not JMH): when each step
 * of one fan-out happens, as medians over many rounds, in microseconds after the trigger.
 *
 * <p>
 * {@code failure}: N siblings spawned with {@code CriticalTaskHandle.spawn} park in
 * {@code token.await()}; a failing task is released and throws. Timestamps: the throw
 * (taken by the task just before it throws); the start of the parent's cancel walk (a
 * callback registered on the parent before the siblings, so the walk reaches it first);
 * the end of the walk over the parent's own records (a callback registered after them:
 * every child is marked cancelled by then, none yet woken); each sibling's unpark (a
 * callback on its own token, registered just before it parks, so it runs right before the
 * wake-up); each sibling's return from {@code await()}; the failing task's end (its
 * completion, after its {@code cancel} returned). {@code latch}: the floor, the same
 * threads parked on one {@link CountDownLatch}, counted down once by a thread that threw
 * and caught the same exception; timestamps: the throw, the {@code countDown()}'s return,
 * each return from {@code await()}.
 *
 * <p>
 * The extra callbacks are a few per cent of the walk's work; they are the probe, not the
 * figure.
 *
 * <pre>
 * java -cp benchmarks.jar dev.criticaltask.bench.WakeTimeline [N] [rounds] [threads]
 * </pre>
 */
public final class WakeTimeline {

    private WakeTimeline() {
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        String threads = args.length > 2 ? args[2] : (Threads.virtualAvailable() ? Threads.VIRTUAL : Threads.PLATFORM);
        Threads.requireKnown(threads);
        Threads.silenceLibraryLogging();
        System.out.printf(Locale.ROOT, "# %s %s, %d siblings on %s threads, %d rounds after as many warm-up rounds%n",
                System.getProperty("java.vm.name"), Runtime.version(), n, threads, rounds);
        String[] steps = { "throw", "walk start", "walk over the parent's records done", "first unpark",
                "median unpark", "last unpark", "failing task ended (its cancel returned)", "first return",
                "median return", "last return" };
        double[][] failure = new double[steps.length][rounds];
        String[] latchSteps = { "throw", "countDown returned", "first return", "median return", "last return" };
        double[][] latch = new double[latchSteps.length][rounds];
        for (int round = -rounds; round < rounds; round++) {
            double[] f = failureRound(n, threads);
            double[] l = latchRound(n, threads);
            if (round >= 0) {
                for (int s = 0; s < steps.length; s++) {
                    failure[s][round] = f[s];
                }
                for (int s = 0; s < latchSteps.length; s++) {
                    latch[s][round] = l[s];
                }
            }
        }
        print("critical-task: a task throws, its parent's cancel wakes the siblings", steps, failure);
        print("floor: a thread throws, one countDown wakes the same threads", latchSteps, latch);
    }

    private static void print(String title, String[] steps, double[][] values) {
        System.out.println();
        System.out.println("| " + title + " | µs after the trigger (median) | p10 | p90 |");
        System.out.println("|---|---:|---:|---:|");
        for (int s = 0; s < steps.length; s++) {
            double[] v = values[s].clone();
            Arrays.sort(v);
            System.out.printf(Locale.ROOT, "| %s | %.1f | %.1f | %.1f |%n", steps[s], v[v.length / 2], v[v.length / 10],
                    v[v.length * 9 / 10]);
        }
    }

    private static double[] failureRound(int n, String threads) throws InterruptedException {
        long[] unparked = new long[n];
        long[] returned = new long[n];
        long[] walk = new long[4];
        CancellationToken parent = CancellationToken.create();
        parent.onCancel(() -> walk[0] = System.nanoTime());
        CountDownLatch started = new CountDownLatch(n + 1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        CriticalTaskHandle[] siblings = new CriticalTaskHandle[n];
        for (int i = 0; i < n; i++) {
            int index = i;
            siblings[i] = CriticalTaskHandle.spawn("sibling", token -> {
                token.onCancel(() -> unparked[index] = System.nanoTime());
                started.countDown();
                token.await();
                returned[index] = System.nanoTime();
                done.countDown();
            }, parent, Threads.perTask(threads));
        }
        parent.onCancel(() -> walk[1] = System.nanoTime());
        CriticalTaskHandle failing = CriticalTaskHandle.spawn("failing", token -> {
            started.countDown();
            release.await();
            walk[2] = System.nanoTime();
            throw new IllegalStateException("boom");
        }, parent, Threads.perTask(threads));
        // taking the completion settles the handle; it completes on the failing thread
        // once its
        // cancel has returned (and the failure was logged: off here)
        java.util.concurrent.CompletableFuture<Void> ended = failing.completion()
            .whenComplete((ignored, failure) -> walk[3] = System.nanoTime())
            .toCompletableFuture();
        started.await();
        long t0 = System.nanoTime();
        release.countDown();
        done.await();
        for (CriticalTaskHandle sibling : siblings) {
            sibling.join();
        }
        try {
            ended.join();
        }
        catch (java.util.concurrent.CompletionException expected) {
            // the failing task failed, as planned
        }
        long cancelReturned = walk[3];
        Arrays.sort(unparked);
        Arrays.sort(returned);
        return new double[] { us(walk[2], t0), us(walk[0], t0), us(walk[1], t0), us(unparked[0], t0),
                us(unparked[n / 2], t0), us(unparked[n - 1], t0), us(cancelReturned, t0), us(returned[0], t0),
                us(returned[n / 2], t0), us(returned[n - 1], t0) };
    }

    private static double[] latchRound(int n, String threads) throws InterruptedException {
        long[] returned = new long[n];
        long[] countedDown = new long[1];
        CountDownLatch gate = new CountDownLatch(1);
        FailurePropagationBenchmark.ParkedSiblings parked = new FailurePropagationBenchmark.ParkedSiblings(n, threads,
                new FailurePropagationBenchmark.ParkedSiblings.Gate() {
                    @Override
                    public void await() throws InterruptedException {
                        gate.await();
                    }

                    @Override
                    public void open(Throwable failure) {
                        gate.countDown();
                        countedDown[0] = System.nanoTime();
                    }
                }, index -> returned[index] = System.nanoTime());
        long t0 = System.nanoTime();
        parked.finish();
        Arrays.sort(returned);
        return new double[] { us(parked.thrownAt, t0), us(countedDown[0], t0), us(returned[0], t0),
                us(returned[n / 2], t0), us(returned[n - 1], t0) };
    }

    private static double us(long at, long t0) {
        return (at - t0) / 1e3;
    }

}
