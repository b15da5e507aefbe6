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

package dev.criticaltask;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.testsupport.QuietLogs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A million spawn/join cycles under one live root: the heap retained afterwards is
 * bounded. The tasks run on the calling thread ({@code Runnable::run}): the point is the
 * token tree, the handles and the registry, not thread creation. Heap figures are "used
 * heap after System.gc()" from the {@link MemoryMXBean}, before and after, and are
 * printed for RELIABILITY.md.
 */
@Tag("core")
class RootRetentionLeakTest {

    static final int CYCLES = Integer.getInteger("reliability.leak.cycles", 1_000_000);

    /**
     * Generous: a retained record per cycle (at least ~32 bytes each) would be 30+ MB.
     */
    static final long BOUND_BYTES = 8L * 1024 * 1024;

    static final Executor CALLER_RUNS = Runnable::run;

    static {
        QuietLogs.install();
    }

    @Test
    void handlesUnderOneRoot() throws Exception {
        CancellationToken root = CancellationToken.create();
        long before = usedHeapAfterGc();
        long started = System.nanoTime();
        long sum = 0;
        for (int i = 0; i < CYCLES; i++) {
            int value = i;
            CriticalTaskHandle handle = CriticalTaskHandle.spawn("cycle", token -> {
                if (token.isCancelled()) {
                    throw new IllegalStateException("cancelled " + value);
                }
            }, root, CALLER_RUNS);
            handle.join();
            sum += handle.state().ordinal();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long after = usedHeapAfterGc();
        report("CriticalTaskHandle.spawn/join", before, after, millis);
        assertThat(sum).isEqualTo((long) CYCLES * TaskState.COMPLETED.ordinal());
        assertThat(root.isCancelled()).isFalse();
        assertThat(root.linkedCount()).isZero();
        assertThat(after - before).isLessThan(BOUND_BYTES);
    }

    @Test
    void registryTasksUnderOneRoot() throws Exception {
        CriticalTaskRegistry registry = CriticalTaskRegistry.builder().executor(CALLER_RUNS).build();
        CancellationToken root = registry.rootToken();
        long before = usedHeapAfterGc();
        long started = System.nanoTime();
        for (int i = 0; i < CYCLES; i++) {
            registry.spawn("cycle-" + (i % 1000), token -> {
            }).join();
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long after = usedHeapAfterGc();
        report("CriticalTaskRegistry.spawn/join (finished history 100)", before, after, millis);
        assertThat(root.isCancelled()).isFalse();
        assertThat(root.linkedCount()).isZero();
        assertThat(registry.tasks()).hasSize(CriticalTaskRegistry.DEFAULT_FINISHED_TASK_HISTORY);
        assertThat(after - before).isLessThan(BOUND_BYTES);
        assertThat(registry.stop(java.time.Duration.ofSeconds(1)).isClean()).isTrue();
    }

    @Test
    void childTokensAndCallbacksUnderOneRoot() {
        CancellationToken root = CancellationToken.create();
        long before = usedHeapAfterGc();
        long started = System.nanoTime();
        for (int i = 0; i < CYCLES; i++) {
            CancellationToken child = root.child();
            Registration registration = child.onCancel(() -> {
            });
            registration.close();
            child.cancel(); // a token cancelled on its own unlinks from its parent
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long after = usedHeapAfterGc();
        report("CancellationToken child/onCancel/close/cancel", before, after, millis);
        assertThat(root.linkedCount()).isZero();
        assertThat(after - before).isLessThan(BOUND_BYTES);
    }

    /**
     * Issue #13, item 2: a million {@code root.child()} tokens that nobody references,
     * under a root that stays live, then a bounded wait for the collector. Every 1,000th
     * child is watched through a weak reference; the root's own records must go too
     * (their link records are freed off the caller's thread once the children are
     * collected).
     */
    @Test
    void droppedBareChildrenUnderOneRoot() {
        CancellationToken root = CancellationToken.create();
        long before = usedHeapAfterGc();
        long started = System.nanoTime();
        List<WeakReference<CancellationToken>> watched = new ArrayList<>(CYCLES / 1000 + 1);
        for (int i = 0; i < CYCLES; i++) {
            CancellationToken child = root.child();
            if (i % 1000 == 0) {
                watched.add(new WeakReference<>(child));
            }
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        long[] after = { Long.MAX_VALUE };
        try {
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
                after[0] = usedHeapAfterGc();
                return watched.stream().allMatch(reference -> reference.get() == null) && root.linkedCount() == 0
                        && after[0] - before < BOUND_BYTES;
            });
        }
        finally {
            report("root.child() dropped, root live", before, after[0], millis);
            System.out.printf("  watched children collected: %,d of %,d; records the root still links: %,d%n",
                    watched.stream().filter(reference -> reference.get() == null).count(), watched.size(),
                    root.linkedCount());
        }
        assertThat(root.isCancelled()).isFalse();
        CancellationToken live = root.child();
        root.cancel();
        assertThat(live.isCancelled()).isTrue();
    }

    private static void report(String what, long before, long after, long millis) {
        System.out.printf("Leak check, %s: %,d cycles in %,d ms; used heap after GC %,d -> %,d bytes (%+,d)%n", what,
                CYCLES, millis, before, after, after - before);
    }

    static long usedHeapAfterGc() {
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        // a few rounds, so that the cleaner and reference processing settle; the lowest
        // figure counts
        for (int i = 0; i < 5; i++) {
            System.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

}
