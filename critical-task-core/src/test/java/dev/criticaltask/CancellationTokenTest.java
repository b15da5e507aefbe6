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
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.logging.Level;

import dev.criticaltask.testsupport.CapturedLogs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

@Tag("core")
class CancellationTokenTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    @Test
    void newTokenIsNotCancelled() {
        CancellationToken token = CancellationToken.create();
        assertThat(token.isCancelled()).isFalse();
        assertThat(token.reason()).isEmpty();
        assertThat(token).hasToString("CancellationToken[active]");
    }

    @Test
    void cancellingParentCancelsChildrenButNotTheOtherWayRound() {
        CancellationToken parent = CancellationToken.create();
        CancellationToken child = parent.child();
        CancellationToken sibling = parent.child();
        CancellationToken grandchild = child.child();

        child.cancel();
        assertThat(child.isCancelled()).isTrue();
        assertThat(grandchild.isCancelled()).isTrue();
        assertThat(parent.isCancelled()).isFalse();
        assertThat(sibling.isCancelled()).isFalse();

        parent.cancel();
        assertThat(sibling.isCancelled()).isTrue();
    }

    @Test
    void firstReasonWinsAndChildrenInheritIt() {
        CancellationToken parent = CancellationToken.create();
        CancellationToken child = parent.child();
        IllegalStateException first = new IllegalStateException("first");

        parent.cancel(first);
        parent.cancel(new IllegalStateException("second"));
        parent.cancel();

        assertThat(parent.reason()).containsSame(first);
        assertThat(child.reason()).containsSame(first);
        assertThat(parent.child().reason()).containsSame(first);
        assertThat(parent.child().isCancelled()).isTrue();
    }

    @Test
    void cancelWithoutReasonWinsOverALaterReason() {
        CancellationToken token = CancellationToken.create();
        token.cancel();
        token.cancel(new IllegalStateException("late"));
        assertThat(token.reason()).isEmpty();
    }

    @Test
    void childCancelledOnItsOwnKeepsItsReason() {
        CancellationToken parent = CancellationToken.create();
        CancellationToken child = parent.child();
        RuntimeException own = new RuntimeException("own");
        child.cancel(own);
        parent.cancel(new RuntimeException("parent"));
        assertThat(child.reason()).containsSame(own);
    }

    @Test
    void nullArgumentsAreRefusedWithTheirName() {
        CancellationToken token = CancellationToken.create();
        assertThatThrownBy(() -> token.cancel(null)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("reason");
        assertThatThrownBy(() -> token.onCancel(null)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("action");
        assertThatThrownBy(() -> token.await(null)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("timeout");
        assertThat(token.isCancelled()).isFalse();
    }

    @Test
    void callbacksRunOnceOnTheCancellingThreadBeforeCancelReturns() {
        CancellationToken token = CancellationToken.create();
        List<String> ran = new ArrayList<>();
        Thread canceller = Thread.currentThread();
        token.onCancel(() -> ran.add("first on " + (Thread.currentThread() == canceller)));
        token.child().onCancel(() -> ran.add("child on " + (Thread.currentThread() == canceller)));
        token.onCancel(() -> ran.add("second on " + (Thread.currentThread() == canceller)));

        token.cancel();
        token.cancel();

        assertThat(ran).containsExactly("first on true", "second on true", "child on true");
    }

    @Test
    void callbackOnCancelledTokenRunsAtOnce() {
        CancellationToken token = CancellationToken.create();
        token.cancel();
        AtomicInteger runs = new AtomicInteger();
        Registration registration = token.onCancel(runs::incrementAndGet);
        assertThat(runs).hasValue(1);
        registration.close();
        registration.close();
    }

    @Test
    void closedRegistrationNeverRuns() {
        CancellationToken token = CancellationToken.create();
        AtomicInteger runs = new AtomicInteger();
        Registration registration = token.onCancel(runs::incrementAndGet);
        registration.close();
        registration.close();
        token.cancel();
        assertThat(runs).hasValue(0);
        assertThat(token.linkedCount()).isZero();
    }

    @Test
    void throwingCallbackIsLoggedAndTheOthersStillRun() {
        CancellationToken token = CancellationToken.create();
        CancellationToken child = token.child();
        AtomicInteger runs = new AtomicInteger();
        try (CapturedLogs logs = CapturedLogs.of(CancellationToken.class)) {
            token.onCancel(() -> {
                throw new IllegalStateException("boom");
            });
            token.onCancel(runs::incrementAndGet);

            token.cancel();

            assertThat(runs).hasValue(1);
            assertThat(child.isCancelled()).isTrue();
            assertThat(logs.atLevel(Level.WARNING)).singleElement()
                .satisfies(record -> assertThat(record.getThrown()).hasMessage("boom"));
        }
    }

    @Test
    void whenCancelledCompletesAndIsReadOnly() {
        CancellationToken token = CancellationToken.create();
        CompletableFuture<Void> view = token.whenCancelled().toCompletableFuture();
        assertThat((Object) token.whenCancelled()).isSameAs(token.whenCancelled());

        view.complete(null);
        view.cancel(true);
        assertThatThrownBy(() -> ((CompletableFuture<Void>) token.whenCancelled()).complete(null))
            .isInstanceOf(UnsupportedOperationException.class);
        assertThat(token.isCancelled()).isFalse();
        assertThat(token.whenCancelled().toCompletableFuture()).isNotDone();

        token.cancel();
        assertThat(token.whenCancelled().toCompletableFuture()).isCompleted();
    }

    @Test
    void whenCancelledOnCancelledTokenIsComplete() {
        CancellationToken token = CancellationToken.create();
        token.cancel();
        assertThat(token.whenCancelled().toCompletableFuture()).isCompleted();
    }

    @Test
    void awaitReturnsWhenCancelledFromAnotherThread() throws Exception {
        CancellationToken token = CancellationToken.create();
        CancellationToken child = token.child();
        CompletableFuture<Boolean> waiter = CompletableFuture.supplyAsync(() -> {
            try {
                child.await();
                return true;
            }
            catch (InterruptedException ex) {
                return false;
            }
        }, CancellationTokenTest::newThread);
        token.cancel();
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
        assertThat(child.linkedCount()).isZero();
    }

    @Test
    void awaitWithTimeout() throws Exception {
        CancellationToken token = CancellationToken.create();
        assertThat(token.await(Duration.ZERO)).isFalse();
        assertThat(token.await(Duration.ofMillis(-5))).isFalse();
        assertThat(token.await(Duration.ofMillis(20))).isFalse();
        assertThat(token.linkedCount()).as("the waiter's record is unlinked after a time-out").isZero();
        token.cancel();
        assertThat(token.await(Duration.ZERO)).isTrue();
        assertThat(token.await(Duration.ofDays(365_000_000L))).isTrue();
    }

    @Test
    void awaitIsInterruptible() throws Exception {
        CancellationToken token = CancellationToken.create();
        CountDownLatch waiting = new CountDownLatch(1);
        AtomicReference<Throwable> thrown = new AtomicReference<>();
        Thread waiter = new Thread(() -> {
            waiting.countDown();
            try {
                token.await();
            }
            catch (Throwable ex) {
                thrown.set(ex);
            }
        });
        waiter.start();
        waiting.await();
        waiter.interrupt();
        waiter.join(10_000);
        assertThat(thrown.get()).isInstanceOf(InterruptedException.class);
        assertThat(token.linkedCount()).isZero();
        assertThat(token.isCancelled()).isFalse();
    }

    @Test
    void awaitWithPendingInterruptThrowsAtOnce() {
        CancellationToken token = CancellationToken.create();
        Thread.currentThread().interrupt();
        assertThatThrownBy(() -> token.await(LONG)).isInstanceOf(InterruptedException.class);
        assertThat(Thread.interrupted()).isFalse();
    }

    @Test
    void childCancelledOnItsOwnIsUnlinkedFromItsParent() {
        CancellationToken parent = CancellationToken.create();
        CancellationToken child = parent.child();
        assertThat(parent.linkedCount()).isEqualTo(1);
        assertThat(child.isLinkedToParent()).isTrue();
        child.cancel();
        assertThat(parent.linkedCount()).isZero();
        assertThat(child.isLinkedToParent()).isFalse();
    }

    @Test
    void childUnlinkedBeforeTheParentsWalkReachesItIsLeftOut() {
        CancellationToken parent = CancellationToken.create();
        CancellationToken[] child = new CancellationToken[1];
        // a token's callbacks run before the walk goes on to its children
        parent.onCancel(() -> child[0].unlinkFromParent());
        child[0] = parent.child();
        parent.cancel();
        assertThat(child[0].isCancelled()).isFalse();
        assertThat(child[0].isLinkedToParent()).isFalse();
    }

    /**
     * Issue 18: a child's callbacks (a parked waiter's wake-up) run as soon as the walk
     * marks that child, not after every sibling is marked; and still before any of its
     * own children is marked.
     */
    @Test
    void cancelShouldRunEachChildsCallbacksAsSoonAsItIsMarkedAndBeforeItsChildren() {
        CancellationToken root = CancellationToken.create();
        List<CancellationToken> children = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            children.add(root.child());
        }
        List<CancellationToken> grandchildren = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (CancellationToken child : children) {
            CancellationToken grandchild = child.child();
            grandchildren.add(grandchild);
            child.onCancel(() -> {
                long siblingsMarked = children.stream().filter(CancellationToken::isCancelled).count();
                seen.add(siblingsMarked + " of 3 siblings marked, grandchild "
                        + (grandchild.isCancelled() ? "marked" : "not marked"));
            });
        }
        root.cancel();
        assertThat(seen).containsExactly("1 of 3 siblings marked, grandchild not marked",
                "2 of 3 siblings marked, grandchild not marked", "3 of 3 siblings marked, grandchild not marked");
        assertThat(grandchildren).allMatch(CancellationToken::isCancelled);
    }

    @Test
    void deepChainIsCancelledWithoutOverflowingTheStack() {
        CancellationToken root = CancellationToken.create();
        CancellationToken leaf = root;
        for (int i = 0; i < 200_000; i++) {
            leaf = leaf.child();
        }
        RuntimeException reason = new RuntimeException("deep");
        root.cancel(reason);
        assertThat(leaf.isCancelled()).isTrue();
        assertThat(leaf.reason()).containsSame(reason);
    }

    @Test
    void concurrentSecondCancelReturnsWhileTheFirstRunsCallbacks() throws Exception {
        CancellationToken token = CancellationToken.create();
        CountDownLatch inCallback = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        token.onCancel(() -> {
            inCallback.countDown();
            try {
                release.await();
            }
            catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
            }
        });
        CompletableFuture<Void> first = CompletableFuture.runAsync(token::cancel, CancellationTokenTest::newThread);
        inCallback.await();

        CompletableFuture<Void> second = CompletableFuture.runAsync(token::cancel, CancellationTokenTest::newThread);
        second.get(10, TimeUnit.SECONDS);
        assertThat(first).isNotDone();
        assertThat(token.isCancelled()).isTrue();

        release.countDown();
        first.get(10, TimeUnit.SECONDS);
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10 })
    void noCallbackIsLostWhileRegisteringConcurrentlyWithCancel(long seed) throws Exception {
        Random random = new Random(seed);
        int threads = 4;
        int perThread = 500 + random.nextInt(500);
        int cancelAfter = random.nextInt(perThread * threads);
        CancellationToken root = CancellationToken.create();
        AtomicReferenceArray<int[]> counts = new AtomicReferenceArray<>(threads);
        AtomicInteger registered = new AtomicInteger();
        CyclicBarrier start = new CyclicBarrier(threads + 1);
        List<CompletableFuture<Void>> registrars = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int index = t;
            counts.set(index, new int[perThread]);
            long threadSeed = random.nextLong();
            registrars.add(CompletableFuture.runAsync(() -> {
                Random local = new Random(threadSeed);
                int[] mine = counts.get(index);
                await(start);
                for (int i = 0; i < perThread; i++) {
                    int slot = i;
                    CancellationToken target = local.nextBoolean() ? root : root.child();
                    Registration registration = target.onCancel(() -> {
                        synchronized (mine) {
                            mine[slot]++;
                        }
                    });
                    registered.incrementAndGet();
                    if (local.nextInt(10) == 0) {
                        registration.close();
                        synchronized (mine) {
                            // a closed registration may have run already, or never will
                            mine[slot] = mine[slot] == 0 ? -1 : mine[slot];
                        }
                    }
                }
            }, CancellationTokenTest::newThread));
        }
        await(start);
        while (registered.get() < cancelAfter) {
            Thread.onSpinWait();
        }
        root.cancel();
        CompletableFuture.allOf(registrars.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);

        for (int t = 0; t < threads; t++) {
            int[] mine = counts.get(t);
            synchronized (mine) {
                for (int i = 0; i < perThread; i++) {
                    assertThat(mine[i]).as("seed %d, thread %d, callback %d ran once (or was closed first)", seed, t, i)
                        .isIn(1, -1);
                }
            }
        }
        assertThat(root.linkedCount()).isZero();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = { 11, 12, 13, 14, 15 })
    void everyChildCreatedConcurrentlyWithCancelEndsCancelled(long seed) throws Exception {
        Random random = new Random(seed);
        CancellationToken root = CancellationToken.create();
        RuntimeException reason = new RuntimeException("seed " + seed);
        int perThread = 2_000;
        List<CancellationToken> created = java.util.Collections.synchronizedList(new ArrayList<>());
        CyclicBarrier start = new CyclicBarrier(3);
        List<CompletableFuture<Void>> creators = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            creators.add(CompletableFuture.runAsync(() -> {
                await(start);
                for (int i = 0; i < perThread; i++) {
                    created.add(root.child().child());
                }
            }, CancellationTokenTest::newThread));
        }
        await(start);
        for (int spins = random.nextInt(5_000); spins > 0; spins--) {
            Thread.onSpinWait();
        }
        root.cancel(reason);
        CompletableFuture.allOf(creators.toArray(new CompletableFuture[0])).get(30, TimeUnit.SECONDS);

        assertThat(created).hasSize(2 * perThread).allSatisfy(token -> {
            assertThat(token.isCancelled()).isTrue();
            assertThat(token.reason()).containsSame(reason);
        });
    }

    /**
     * A thread of its own for each async step: the common pool may have a single thread
     * here.
     */
    private static void newThread(Runnable runnable) {
        new Thread(runnable).start();
    }

    private static void await(CyclicBarrier barrier) {
        try {
            barrier.await(30, TimeUnit.SECONDS);
        }
        catch (Exception ex) {
            throw new IllegalStateException(ex);
        }
    }

}
