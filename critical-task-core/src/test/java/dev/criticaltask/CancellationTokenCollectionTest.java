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

import java.lang.ref.WeakReference;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Which child tokens a live parent lets the garbage collector take (DESIGN.md: "a bare
 * child() that nothing references ... is collectable"), and that no registration is lost
 * to it. Ported in part from tokio-util's CancellationToken suite, where dropping a child
 * frees it. Every "is not collected" check runs after a collection that is proven to have
 * happened (a sentinel cleared).
 */
@Tag("core")
class CancellationTokenCollectionTest {

    private static final Duration GC_WAIT = Duration.ofSeconds(20);

    @Test
    void droppedBareChildrenAreCollectedWhileTheParentLives() {
        CancellationToken root = CancellationToken.create();
        List<WeakReference<CancellationToken>> dropped = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            dropped.add(new WeakReference<>(root.child()));
        }
        awaitCollected(dropped);
        await().atMost(GC_WAIT).until(() -> root.linkedCount() == 0);

        CancellationToken kept = root.child();
        root.cancel();
        assertThat(kept.isCancelled()).isTrue();
        assertThat(root.isCancelled()).isTrue();
    }

    @Test
    void droppedChildWithACallbackIsKeptAndFires() {
        CancellationToken root = CancellationToken.create();
        AtomicInteger fired = new AtomicInteger();
        WeakReference<CancellationToken> child = new WeakReference<>(withCallback(root.child(), fired));
        provenGc();
        assertThat(child.get()).as("a child with a callback is held by its parent").isNotNull();

        root.cancel();
        assertThat(fired).hasValue(1);
    }

    @Test
    void droppedChildWithAStageIsKeptAndCompletes() {
        CancellationToken root = CancellationToken.create();
        AtomicInteger fired = new AtomicInteger();
        root.child().whenCancelled().thenRun(fired::incrementAndGet);
        provenGc();

        root.cancel();
        assertThat(fired).hasValue(1);
    }

    /**
     * A thread in {@code await} is one of the registrations that make the parent hold a
     * child strongly (DESIGN.md). The waiting frame holds the token as well, so that the
     * wait returning after a collection does not show the parent's hold: it is checked
     * while the thread waits.
     */
    @Test
    void waiterOnADroppedChildIsHeldByTheParentAndReturnsAfterGc() throws Exception {
        CancellationToken root = CancellationToken.create();
        CompletableFuture<WeakReference<CancellationToken>> waitedOn = new CompletableFuture<>();
        CompletableFuture<Boolean> waiter = new CompletableFuture<>();
        Thread thread = new Thread(() -> {
            try {
                CancellationToken child = root.child();
                waitedOn.complete(new WeakReference<>(child));
                waiter.complete(child.await(Duration.ofSeconds(30)));
            }
            catch (Throwable ex) {
                waiter.completeExceptionally(ex);
            }
        });
        thread.start();
        WeakReference<CancellationToken> child = waitedOn.get(10, TimeUnit.SECONDS);
        await().atMost(GC_WAIT).until(() -> thread.getState() == Thread.State.TIMED_WAITING);
        provenGc();
        assertThat(child.get()).isNotNull()
            .satisfies(
                    token -> assertThat(token.isHeldByParent()).as("held by its parent while a thread waits").isTrue());

        root.cancel();
        assertThat(waiter.get(10, TimeUnit.SECONDS)).isTrue();
        thread.join(10_000);
    }

    /** The end of a wait is the end of its registration: the parent lets the child go. */
    @Test
    void childIsCollectableAgainOnceAWaitOnItTimedOut() throws Exception {
        CancellationToken root = CancellationToken.create();
        CancellationToken child = root.child();
        assertThat(child.await(Duration.ofMillis(1))).isFalse();
        assertThat(child.isHeldByParent()).isFalse();
        WeakReference<CancellationToken> weak = new WeakReference<>(child);
        child = null;

        awaitCollected(List.of(weak));
        await().atMost(GC_WAIT).until(() -> root.linkedCount() == 0);
    }

    /** tokio-util: cancel_grandchild_token_through_parent_if_child_was_dropped. */
    @Test
    void grandchildIsCancelledThroughTheRootWhenItsParentWasDropped() {
        CancellationToken root = CancellationToken.create();
        CancellationToken grandchild = root.child().child();
        provenGc();
        assertThat(grandchild.isCancelled()).isFalse();

        root.cancel();
        assertThat(grandchild.isCancelled()).isTrue();
    }

    @Test
    void callbackOnAGrandchildOfDroppedChildrenFiresAfterGc() {
        CancellationToken root = CancellationToken.create();
        AtomicInteger fired = new AtomicInteger();
        WeakReference<CancellationToken> grandchild = new WeakReference<>(withCallback(root.child().child(), fired));
        provenGc();
        assertThat(grandchild.get()).isNotNull();

        RuntimeException reason = new RuntimeException("root");
        root.cancel(reason);
        assertThat(fired).hasValue(1);
        assertThat(grandchild.get()).satisfiesAnyOf(token -> assertThat(token).isNull(),
                token -> assertThat(token.reason()).containsSame(reason));
    }

    @Test
    void grandchildRegisteredAfterItsParentWasDroppedStillFires() {
        CancellationToken root = CancellationToken.create();
        CancellationToken grandchild = root.child().child();
        provenGc();
        AtomicInteger fired = new AtomicInteger();
        grandchild.onCancel(fired::incrementAndGet);
        grandchild = null;
        provenGc();

        root.cancel();
        assertThat(fired).hasValue(1);
    }

    @Test
    void childBecomesCollectableAgainWhenItsLastRegistrationIsClosed() {
        CancellationToken root = CancellationToken.create();
        AtomicInteger fired = new AtomicInteger();
        CancellationToken child = root.child();
        Registration first = child.onCancel(fired::incrementAndGet);
        Registration second = child.child().onCancel(fired::incrementAndGet);
        WeakReference<CancellationToken> weak = new WeakReference<>(child);
        child = null;

        first.close();
        provenGc();
        assertThat(weak.get()).as("still held: its child has a registration").isNotNull();

        second.close();
        awaitCollected(List.of(weak));
        await().atMost(GC_WAIT).until(() -> root.linkedCount() == 0);
        root.cancel();
        assertThat(fired).hasValue(0);
    }

    /** tokio-util: drop_parent_before_child_tokens. */
    @Test
    void droppingTheParentLeavesItsChildrenActive() {
        CancellationToken child = CancellationToken.create().child();
        provenGc();
        assertThat(child.isCancelled()).isFalse();
        CancellationToken grandchild = child.child();
        child.cancel();
        assertThat(grandchild.isCancelled()).isTrue();
    }

    /**
     * tokio-util: drop_multiple_child_tokens, in both orders, with a collection after
     * each drop.
     */
    @Test
    void droppingChildrenInEitherOrderLeavesTheParentActive() {
        for (boolean firstFirst : new boolean[] { true, false }) {
            CancellationToken parent = CancellationToken.create();
            CancellationToken[] held = { parent.child(), parent.child(), parent.child() };
            List<WeakReference<CancellationToken>> children = watch(held);
            for (int i = 0; i < held.length; i++) {
                int index = firstFirst ? i : held.length - 1 - i;
                held[index] = null;
                awaitCollected(List.of(children.get(index)));
                assertThat(parent.isCancelled()).isFalse();
            }
            await().atMost(GC_WAIT).until(() -> parent.linkedCount() == 0);
        }
    }

    /**
     * tokio-util: cancel_only_all_descendants, with every token but the cancelled one
     * dropped, each waited on through a {@code whenCancelled()} stage.
     */
    @Test
    void cancellingATokenReachesAllItsDroppedDescendantsAndNothingElse() {
        CancellationToken parent = CancellationToken.create();
        CancellationToken token = parent.child();
        AtomicInteger woken = new AtomicInteger();
        CancellationToken sibling = parent.child();
        CancellationToken child1 = token.child();
        CancellationToken grandchild = child1.child();
        for (CancellationToken each : List.of(parent, token, sibling, child1, token.child(), grandchild, child1.child(),
                grandchild.child())) {
            each.whenCancelled().thenRun(woken::incrementAndGet);
        }
        child1 = null;
        grandchild = null;
        provenGc();

        token.cancel();
        assertThat(woken).hasValue(6);
        assertThat(parent.isCancelled()).isFalse();
        assertThat(sibling.isCancelled()).isFalse();
    }

    @Test
    void deepChainWithACallbackOnItsLeafIsKeptAndCancelsOnASmallStack() throws Exception {
        CancellationToken root = CancellationToken.create();
        AtomicInteger fired = new AtomicInteger();
        CompletableFuture<Void> built = onSmallStack(() -> {
            CancellationToken leaf = root;
            for (int i = 0; i < 100_000; i++) {
                leaf = leaf.child();
            }
            leaf.onCancel(fired::incrementAndGet); // links all 100,000 ancestors,
                                                   // iteratively
        });
        built.get(30, TimeUnit.SECONDS);
        provenGc();

        onSmallStack(root::cancel).get(30, TimeUnit.SECONDS);
        assertThat(fired).hasValue(1);
    }

    /**
     * Weak references to the tokens, made in a frame of their own that keeps none of
     * them.
     */
    private static List<WeakReference<CancellationToken>> watch(CancellationToken[] tokens) {
        List<WeakReference<CancellationToken>> references = new ArrayList<>();
        for (CancellationToken token : tokens) {
            references.add(new WeakReference<>(token));
        }
        return references;
    }

    private static CancellationToken withCallback(CancellationToken token, AtomicInteger fired) {
        token.onCancel(fired::incrementAndGet);
        return token;
    }

    private static CompletableFuture<Void> onSmallStack(Runnable action) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        new Thread(null, () -> {
            try {
                action.run();
                done.complete(null);
            }
            catch (Throwable ex) {
                done.completeExceptionally(ex);
            }
        }, "small-stack", 256 * 1024).start();
        return done;
    }

    /**
     * Waits until a collection has cleared a fresh sentinel, then collects twice more.
     */
    static void provenGc() {
        WeakReference<Object> sentinel = new WeakReference<>(new Object());
        await().atMost(GC_WAIT).until(() -> {
            System.gc();
            return sentinel.get() == null;
        });
        System.gc();
        System.gc();
    }

    static void awaitCollected(List<? extends WeakReference<?>> references) {
        await().atMost(GC_WAIT).until(() -> {
            System.gc();
            return references.stream().allMatch(reference -> reference.get() == null);
        });
    }

}
