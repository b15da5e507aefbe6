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

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;

import javax.management.ObjectName;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;

/**
 * Item 5: retained heap per parked task, for 100,000 tasks, beyond the thread itself. A
 * one-shot measurement, not JMH.
 *
 * <p>
 * Method: for each way of parking N tasks, measure the heap in use after a full
 * collection ({@code System.gc()} three times, {@link MemoryMXBean#getHeapMemoryUsage()})
 * before spawning, and again once all N have started and parked; (after − before) / N is
 * the retained heap per task. A virtual thread's stack lives on the heap (its stack
 * chunk), so for virtual threads the figure includes the thread. "Beyond the thread" is
 * then the difference to the baseline {@code rawThread}: the same kind of thread parked
 * in {@code LockSupport.park()} (the shallowest park; a thread parked in
 * {@code CountDownLatch.await()} is shown too, as its stack is deeper). Each mode runs
 * {@code rounds} times; the median is reported. The live-object class histogram (the
 * {@code GC.class_histogram} diagnostic command) before and after shows which classes the
 * bytes are, as evidence.
 *
 * <p>
 * Usage:
 * {@code java -Xmx4g -cp benchmarks.jar dev.criticaltask.bench.MemoryFootprint [tasks]
 * [rounds] [platform|virtual]}; defaults 100000 3 virtual (platform on Java 17 to 20).
 */
public final class MemoryFootprint {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();

    private MemoryFootprint() {
    }

    interface Mode {

        /**
         * Spawns n parked tasks, waits until all have started; returns what releases and
         * joins them.
         */
        AutoCloseable park(int n, String threads) throws Exception;

    }

    public static void main(String[] args) throws Exception {
        int tasks = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 3;
        String threads = args.length > 2 ? args[2] : (Threads.virtualAvailable() ? Threads.VIRTUAL : Threads.PLATFORM);
        Threads.requireKnown(threads);
        Threads.silenceLibraryLogging();

        Map<String, Mode> modes = new LinkedHashMap<>();
        modes.put("rawThread (baseline: parked in LockSupport.park)", MemoryFootprint::rawThreads);
        modes.put("rawThread parked on a shared CountDownLatch", MemoryFootprint::latchThreads);
        modes.put("rawThread + child token (parked in child.await())", MemoryFootprint::rawThreadsOnTokens);
        modes.put("CriticalTaskHandle.spawn (parked in token.await())", MemoryFootprint::handles);
        modes.put("CriticalTaskRegistry.spawn (parked in token.await())", MemoryFootprint::registry);
        modes.put("pending CompletableFuture + child token onCancel (baseline, no thread)",
                MemoryFootprint::futuresOnTokens);
        modes.put("CriticalTaskRegistry.spawnAsync (pending stage, no thread)", MemoryFootprint::registryAsync);

        System.out.printf(Locale.ROOT, "# %s %s, %d tasks on %s threads, %d rounds, max heap %d MiB%n",
                System.getProperty("java.vm.name"), Runtime.version(), tasks, threads, rounds,
                Runtime.getRuntime().maxMemory() >> 20);
        // warm the code paths, so that class loading and interpreted frames (bigger stack
        // chunks) are
        // not attributed to the first mode
        for (int warm = 0; warm < 3; warm++) {
            for (Mode mode : modes.values()) {
                try (AutoCloseable parked = mode.park(Math.min(tasks, 20_000), threads)) {
                    // nothing
                }
            }
        }
        Map<String, double[]> medians = new LinkedHashMap<>();
        Map<String, Map<String, long[]>> histograms = new LinkedHashMap<>();
        for (Map.Entry<String, Mode> entry : modes.entrySet()) {
            List<Double> totals = new ArrayList<>();
            List<Double> threadParts = new ArrayList<>();
            List<Double> beyond = new ArrayList<>();
            for (int round = 0; round < rounds; round++) {
                long before = usedAfterGc();
                Map<String, long[]> histBefore = histogram();
                AutoCloseable parked = entry.getValue().park(tasks, threads);
                long during = usedAfterGc();
                Map<String, long[]> growth = diff(histBefore, histogram());
                histograms.put(entry.getKey(), growth);
                parked.close();
                parked = null;
                long afterwards = usedAfterGc();
                long threadBytes = 0;
                long otherBytes = 0;
                for (Map.Entry<String, long[]> cls : growth.entrySet()) {
                    if (isThreadItself(cls.getKey())) {
                        threadBytes += cls.getValue()[1];
                    }
                    else {
                        otherBytes += cls.getValue()[1];
                    }
                }
                double total = (double) (during - before) / tasks;
                totals.add(total);
                threadParts.add((double) threadBytes / tasks);
                beyond.add((double) otherBytes / tasks);
                System.out.printf(Locale.ROOT,
                        "%-55s round %d: heap %8.1f B/task; live objects: thread %7.1f B/task,"
                                + " beyond the thread %6.1f B/task (heap %d -> %d -> %d KiB after release)%n",
                        entry.getKey(), round + 1, total, (double) threadBytes / tasks, (double) otherBytes / tasks,
                        before >> 10, during >> 10, afterwards >> 10);
            }
            medians.put(entry.getKey(), new double[] { median(totals), median(threadParts), median(beyond) });
        }
        System.out.println();
        System.out.println(
                "| mode | heap after GC, B/task | thread's own objects (incl. stack chunk), B/task | beyond the thread, B/task |");
        System.out.println("|---|---:|---:|---:|");
        for (Map.Entry<String, double[]> entry : medians.entrySet()) {
            System.out.printf(Locale.ROOT, "| %s | %.0f | %.0f | %.0f |%n", entry.getKey(), entry.getValue()[0],
                    entry.getValue()[1], entry.getValue()[2]);
        }
        for (Map.Entry<String, Map<String, long[]>> entry : histograms.entrySet()) {
            System.out.println();
            System.out.println("## live-object growth, last round: " + entry.getKey());
            System.out.println("| class | thread's own | instances/task | bytes/task |");
            System.out.println("|---|---|---:|---:|");
            entry.getValue()
                .entrySet()
                .stream()
                .filter(e -> Math.abs(e.getValue()[1]) >= tasks / 2)
                .sorted((a, b) -> Long.compare(b.getValue()[1], a.getValue()[1]))
                .limit(20)
                .forEach(e -> System.out.printf(Locale.ROOT, "| %s | %s | %.2f | %.1f |%n", e.getKey(),
                        isThreadItself(e.getKey()) ? "yes" : "", (double) e.getValue()[0] / tasks,
                        (double) e.getValue()[1] / tasks));
        }
    }

    /**
     * The objects that any parked thread of the kind has, whatever it runs: the thread,
     * its continuation and stack chunk (virtual), the JDK's thread-container entry.
     * Everything else is what the task (or baseline) holds beyond the thread.
     */
    static boolean isThreadItself(String className) {
        return className.equals("jdk.internal.vm.StackChunk") || className.startsWith("java.lang.VirtualThread")
                || className.startsWith("java.lang.Thread") || className.startsWith("[Ljdk.internal.vm.FillerElement")
                || className.equals("java.util.concurrent.ConcurrentHashMap$Node")
                || className.equals("[Ljava.util.concurrent.ConcurrentHashMap$Node;");
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return sorted.get(sorted.size() / 2);
    }

    private static AutoCloseable rawThreads(int n, String threads) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(n);
        CountDownLatch done = new CountDownLatch(n);
        AtomicBoolean released = new AtomicBoolean();
        Thread[] parked = new Thread[n];
        for (int i = 0; i < n; i++) {
            parked[i] = Threads.start(threads, () -> {
                started.countDown();
                while (!released.get()) {
                    LockSupport.park();
                }
                done.countDown();
            });
        }
        started.await();
        return () -> {
            released.set(true);
            for (Thread thread : parked) {
                LockSupport.unpark(thread);
            }
            done.await();
        };
    }

    private static AutoCloseable latchThreads(int n, String threads) throws InterruptedException {
        CountDownLatch started = new CountDownLatch(n);
        CountDownLatch gate = new CountDownLatch(1);
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            Threads.start(threads, () -> {
                started.countDown();
                try {
                    gate.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            });
        }
        started.await();
        return () -> {
            gate.countDown();
            done.await();
        };
    }

    private static AutoCloseable rawThreadsOnTokens(int n, String threads) throws InterruptedException {
        CancellationToken root = CancellationToken.create();
        CountDownLatch started = new CountDownLatch(n);
        CountDownLatch done = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            CancellationToken child = root.child();
            Threads.start(threads, () -> {
                started.countDown();
                try {
                    child.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
                done.countDown();
            });
        }
        started.await();
        return () -> {
            root.cancel();
            done.await();
        };
    }

    private static AutoCloseable handles(int n, String threads) throws InterruptedException {
        CancellationToken root = CancellationToken.create();
        Executor perTask = Threads.perTask(threads);
        CountDownLatch started = new CountDownLatch(n);
        CriticalTaskHandle[] handles = new CriticalTaskHandle[n];
        for (int i = 0; i < n; i++) {
            handles[i] = CriticalTaskHandle.spawn("parked", token -> {
                started.countDown();
                token.await();
            }, root, perTask);
        }
        started.await();
        return () -> {
            root.cancel();
            for (CriticalTaskHandle handle : handles) {
                handle.join();
            }
        };
    }

    private static AutoCloseable registry(int n, String threads) throws InterruptedException {
        CriticalTaskRegistry registry = Threads.registry(threads);
        CountDownLatch started = new CountDownLatch(n);
        for (int i = 0; i < n; i++) {
            registry.spawn("parked-" + i, token -> {
                started.countDown();
                token.await();
            });
        }
        started.await();
        return () -> registry.stop(java.time.Duration.ofSeconds(30));
    }

    private static AutoCloseable futuresOnTokens(int n, String threads) {
        CancellationToken root = CancellationToken.create();
        CompletableFuture<?>[] pending = new CompletableFuture<?>[n];
        for (int i = 0; i < n; i++) {
            CompletableFuture<Void> stage = new CompletableFuture<>();
            pending[i] = stage;
            root.child().onCancel(() -> stage.cancel(false));
        }
        return () -> {
            root.cancel();
            CompletableFuture.allOf(pending).exceptionally(cancelled -> null).join();
        };
    }

    private static AutoCloseable registryAsync(int n, String threads) throws InterruptedException {
        CriticalTaskRegistry registry = Threads.registry(threads);
        CountDownLatch started = new CountDownLatch(n);
        CriticalTaskHandle[] handles = new CriticalTaskHandle[n];
        for (int i = 0; i < n; i++) {
            handles[i] = registry.spawnAsync("pending-" + i, token -> {
                started.countDown();
                return new CompletableFuture<Void>();
            });
        }
        started.await();
        // each start's thread ends right after start returns, long before the full
        // collections that
        // precede the measurement are done
        return () -> registry.stop(java.time.Duration.ofSeconds(30));
    }

    private static long usedAfterGc() throws InterruptedException {
        for (int i = 0; i < 3; i++) {
            System.gc();
            Thread.sleep(100);
        }
        return MEMORY.getHeapMemoryUsage().getUsed();
    }

    /**
     * class name -> {instances, bytes} of live objects (the histogram runs a full
     * collection first).
     */
    private static Map<String, long[]> histogram() {
        Map<String, long[]> result = new HashMap<>();
        try {
            String text = (String) ManagementFactory.getPlatformMBeanServer()
                .invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "gcClassHistogram",
                        new Object[] { new String[0] }, new String[] { String[].class.getName() });
            for (String line : text.split("\n")) {
                String[] cols = line.trim().split("\\s+");
                if (cols.length >= 4 && cols[0].endsWith(":")) {
                    result.put(cols[3], new long[] { Long.parseLong(cols[1]), Long.parseLong(cols[2]) });
                }
            }
        }
        catch (Exception unavailable) {
            System.out.println("# no class histogram: " + unavailable);
        }
        return result;
    }

    private static Map<String, long[]> diff(Map<String, long[]> before, Map<String, long[]> after) {
        Map<String, long[]> result = new HashMap<>();
        for (Map.Entry<String, long[]> entry : after.entrySet()) {
            long[] was = before.getOrDefault(entry.getKey(), new long[2]);
            result.put(entry.getKey(), new long[] { entry.getValue()[0] - was[0], entry.getValue()[1] - was[1] });
        }
        return result;
    }

}
