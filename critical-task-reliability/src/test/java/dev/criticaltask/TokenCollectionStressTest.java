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

import dev.criticaltask.testsupport.QuietLogs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.LongStream;

import org.jspecify.annotations.Nullable;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Seeded stress of which child tokens the collector may take (issue #13, item 2), the
 * part that Lincheck cannot model. Three threads grow a random tree under one root: they
 * make children of tokens they hold, register callbacks (a third kept to be closed later,
 * the rest dropped at once, so that only the tree holds their token),
 * {@code whenCancelled()} stages and short waits, drop tokens, and call
 * {@code System.gc()} at seeded points.
 *
 * <ul>
 * <li>{@link #aLiveRootKeepsExactlyTheRegisteredTokens}: once the threads end and nothing
 * else holds a token, a token is collected iff no registration that may still run is left
 * in its subtree, and the root then links only the kept children. Its cancel then runs
 * every open registration exactly once, and no closed one.
 * <li>{@link #noRegistrationIsLostWhenTheCollectorRunsDuringTheCancel}: the root is
 * cancelled while the threads go on. A callback on the root, which the walk runs before
 * it reaches any child, waits for more registrations on tokens not reached yet (and
 * dropped at once), then collects. Every registration that was not closed runs exactly
 * once.
 * </ul>
 *
 * <p>
 * {@code -Dreliability.tokenRounds=N} sets the number of seeds per test (default 8); a
 * failure names its seed, and {@code -Dreliability.tokenSeed=S} replays it.
 */
@Tag("core")
class TokenCollectionStressTest {

    private static final int THREADS = 3;

    private static final int OPERATIONS = 1_500;

    private static final int COLLECT_ONE_IN = 300;

    private static final Duration BOUND = Duration.ofSeconds(20);

    static {
        QuietLogs.install();
    }

    static LongStream seeds() {
        Long only = Long.getLong("reliability.tokenSeed");
        return only != null ? LongStream.of(only)
                : LongStream.range(0, Integer.getInteger("reliability.tokenRounds", 8)).map(i -> 8_263_410_977L + i);
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void aLiveRootKeepsExactlyTheRegisteredTokens(long seed) throws Exception {
        Tree tree = new Tree();
        grow(tree, seed, () -> {
        });

        Set<Probe> kept = new HashSet<>();
        for (Registered registration : tree.registrations) {
            if (registration.open) {
                for (Probe probe = registration.probe; probe != null && kept.add(probe); probe = probe.parent) {
                    // a registration that may still run keeps its token and every
                    // ancestor
                }
            }
        }
        List<Probe> collectable = tree.probes.stream()
            .filter(probe -> !kept.contains(probe))
            .collect(Collectors.toList());
        long keptChildrenOfRoot = kept.stream().filter(probe -> probe.parent == null).count();
        await().atMost(BOUND).until(() -> {
            System.gc();
            return collectable.stream().allMatch(probe -> probe.token.get() == null)
                    && tree.root.linkedCount() == keptChildrenOfRoot;
        });
        assertThat(kept).as("seed %d: a token with a registration below it was collected", seed)
            .allSatisfy(probe -> assertThat(probe.token.get()).isNotNull());

        tree.root.cancel();
        for (Registered registration : tree.registrations) {
            assertThat(registration.fired).as("seed %d: a registration ran a wrong number of times", seed)
                .hasValue(registration.open ? 1 : 0);
        }
        System.out.printf("Token collection, seed %d: %,d tokens, %,d kept, %,d collected, %,d registrations%n", seed,
                tree.probes.size(), kept.size(), collectable.size(), tree.registrations.size());
    }

    @ParameterizedTest(name = "seed {0}")
    @MethodSource("seeds")
    void noRegistrationIsLostWhenTheCollectorRunsDuringTheCancel(long seed) throws Exception {
        Tree tree = new Tree();
        int[] during = new int[1];
        tree.root.onCancel(() -> {
            // The walk is under way and has reached no child yet: let the threads
            // register on tokens it
            // has not reached (and drop them), then collect before it goes on.
            int marked = tree.registered.get();
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(200);
            while (tree.registered.get() < marked + 30 && tree.working.get() > 0 && System.nanoTime() < deadline) {
                Thread.onSpinWait();
            }
            during[0] = tree.registered.get() - marked;
            System.gc();
        });
        SplittableRandom random = new SplittableRandom(seed ^ 0x5DEECE66DL);
        int cancelAfter = random.nextInt(THREADS * OPERATIONS / 20, THREADS * OPERATIONS / 5);
        grow(tree, seed, () -> {
            while (tree.registered.get() < cancelAfter && tree.working.get() > 0) {
                Thread.onSpinWait();
            }
            tree.root.cancel();
        });

        System.gc();
        for (Registered registration : tree.registrations) {
            int fired = registration.fired.get();
            if (registration.open) {
                assertThat(fired).as("seed %d: a registration that was never closed ran %d times", seed, fired)
                    .isEqualTo(1);
            }
            else {
                assertThat(fired).as("seed %d: a closed registration ran %d times", seed, fired).isBetween(0, 1);
            }
        }
        assertThat(tree.probes).as("seed %d: a live token under the cancelled root is not cancelled", seed)
            .allSatisfy(probe -> {
                CancellationToken token = probe.token.get();
                assertThat(token == null || token.isCancelled()).isTrue();
            });
        System.out.printf("Token collection during the cancel, seed %d: %,d tokens, %,d registrations, %,d of them "
                + "while the walk waited%n", seed, tree.probes.size(), tree.registrations.size(), during[0]);
    }

    /**
     * Runs the threads' random operations to the end; {@code driver} runs on this thread
     * meanwhile.
     */
    private static void grow(Tree tree, long seed, Runnable driver) throws Exception {
        SplittableRandom random = new SplittableRandom(seed);
        CyclicBarrier start = new CyclicBarrier(THREADS + 1);
        List<CompletableFuture<Void>> workers = new ArrayList<>();
        tree.working.set(THREADS);
        for (int t = 0; t < THREADS; t++) {
            SplittableRandom local = random.split();
            workers.add(CompletableFuture.runAsync(() -> {
                try {
                    arrive(start);
                    new Worker(tree, local).run();
                }
                finally {
                    tree.working.decrementAndGet();
                }
            }, TokenCollectionStressTest::newThread));
        }
        arrive(start);
        try {
            driver.run();
        }
        finally {
            CompletableFuture.allOf(workers.toArray(new CompletableFuture[0])).get(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
    }

    /**
     * One thread's tokens and registrations; only it touches them, and they go when it
     * ends.
     */
    private static final class Worker {

        private final Tree tree;

        private final SplittableRandom random;

        private final List<CancellationToken> held = new ArrayList<>();

        private final List<Probe> heldProbes = new ArrayList<>();

        private final List<Registered> closable = new ArrayList<>();

        Worker(Tree tree, SplittableRandom random) {
            this.tree = tree;
            this.random = random;
        }

        void run() {
            for (int i = 0; i < OPERATIONS; i++) {
                if (random.nextInt(COLLECT_ONE_IN) == 0) {
                    System.gc(); // at seeded points, between any two steps of the other
                                 // threads
                }
                int draw = random.nextInt(100);
                if (held.isEmpty() || draw < 30) {
                    int parent = held.isEmpty() || random.nextInt(4) == 0 ? -1 : random.nextInt(held.size());
                    CancellationToken token = parent < 0 ? tree.root.child() : held.get(parent).child();
                    Probe probe = new Probe(parent < 0 ? null : heldProbes.get(parent), token);
                    tree.probes.add(probe);
                    held.add(token);
                    heldProbes.add(probe);
                    continue;
                }
                int pick = random.nextInt(held.size());
                CancellationToken token = held.get(pick);
                Probe probe = heldProbes.get(pick);
                if (draw < 55) {
                    Registered registered = tree.register(probe);
                    Registration registration = token.onCancel(registered.fired::incrementAndGet);
                    if (random.nextInt(3) == 0) {
                        registered.registration = registration;
                        closable.add(registered);
                    }
                }
                else if (draw < 62) {
                    Registered registered = tree.register(probe);
                    token.whenCancelled().thenRun(registered.fired::incrementAndGet);
                }
                else if (draw < 72 && !closable.isEmpty()) {
                    Registered registered = closable.remove(random.nextInt(closable.size()));
                    registered.open = false; // before close(): an open registration at
                                             // the end was never closed
                    Registration registration = Objects.requireNonNull(registered.registration);
                    registered.registration = null;
                    registration.close();
                }
                else if (draw < 75) {
                    try {
                        token.await(Duration.ofNanos(1_000));
                    }
                    catch (InterruptedException ex) {
                        Thread.currentThread().interrupt();
                        return;
                    }
                }
                else {
                    held.remove(pick);
                    heldProbes.remove(pick);
                }
            }
        }

    }

    /** The root, and what the threads did under it. */
    private static final class Tree {

        final CancellationToken root = CancellationToken.create();

        final ConcurrentLinkedQueue<Probe> probes = new ConcurrentLinkedQueue<>();

        final ConcurrentLinkedQueue<Registered> registrations = new ConcurrentLinkedQueue<>();

        final AtomicInteger registered = new AtomicInteger();

        final AtomicInteger working = new AtomicInteger();

        Registered register(Probe probe) {
            Registered registration = new Registered(probe);
            registrations.add(registration);
            registered.incrementAndGet();
            return registration;
        }

    }

    /** A token seen weakly, with its parent's probe (null under the root). */
    private static final class Probe {

        final @Nullable Probe parent;

        final WeakReference<CancellationToken> token;

        Probe(@Nullable Probe parent, CancellationToken token) {
            this.parent = parent;
            this.token = new WeakReference<>(token);
        }

    }

    /**
     * One registration's count of runs, and whether it may still run (it was not closed).
     */
    private static final class Registered {

        final Probe probe;

        final AtomicInteger fired = new AtomicInteger();

        volatile boolean open = true;

        @Nullable Registration registration;

        Registered(Probe probe) {
            this.probe = probe;
        }

    }

    private static void newThread(Runnable runnable) {
        new Thread(runnable).start();
    }

    private static void arrive(CyclicBarrier barrier) {
        try {
            barrier.await(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

}
