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

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.Reference;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.locks.LockSupport;

import org.jspecify.annotations.Nullable;

/**
 * A one-shot cancellation signal that forms a tree: cancelling a token cancels all of its
 * descendants, never its ancestors.
 *
 * <h2>Thread-safety</h2> Every method may be called from any thread at any time.
 * {@link #isCancelled()} is a single volatile read. The other methods hold a private lock
 * (one token's at a time) only to link or unlink a record, never while running user code.
 *
 * <h2>Which thread runs the callbacks</h2> {@link #cancel()} runs every registered
 * {@link #onCancel(Runnable) callback} and cancels every descendant on <em>the thread
 * that calls it</em>, before it returns; a callback registered on a token that is already
 * cancelled runs at once on the registering thread. The first {@code cancel()} does all
 * the work: a concurrent or later one returns at once, possibly while the first is still
 * running callbacks. A token's callbacks run in the order they were registered, as soon
 * as the walk marks it and before it marks any of its children; its siblings are marked
 * (and their callbacks run) before its children. The cost of cancelling is proportional
 * to the number of live descendants and callbacks; the tree is walked iteratively, so
 * depth is not limited by the stack.
 *
 * <h2>Failure</h2> A callback that throws is logged at {@code WARNING} through
 * {@link System.Logger} and the remaining callbacks and descendants are still cancelled.
 *
 * <h2>Reasons</h2> {@link #cancel(Throwable)} records why; the first cancellation wins,
 * with or without a reason, and descendants inherit the reason of the ancestor that
 * cancelled them. The critical-task runtime cancels a parent with the
 * {@link CriticalTaskFailedException} of the failing task, so a sibling can tell "a
 * sibling failed" from "shutdown".
 *
 * <h2>Memory: which children are collectable</h2> A child holds its parent strongly; the
 * parent holds a child strongly only while the child has registrations: an
 * {@link #onCancel(Runnable) callback} not yet run or closed, a {@link #whenCancelled()}
 * stage, a thread in {@link #await()}, or a descendant that has one of these. Otherwise
 * the parent refers to the child weakly. So a bare {@code child()} that nothing
 * references is collectable while its parent lives, as tokio frees a dropped child, and
 * its record in the parent is dropped soon after by a daemon thread
 * ({@code dev.criticaltask.token-reaper}, one per JVM, which runs no user code): a
 * long-lived root that hands out a million such children holds no memory for them. A
 * child with registrations stays until they have run or been closed, and may be collected
 * once its last one is closed; none is ever lost, however the collector, registrations
 * and a cancel interleave. A child that is cancelled (by itself or its parent), or whose
 * critical task has ended, leaves its parent at once. Closing a {@link Registration}
 * unlinks its callback at once, and a closed registration refers to nothing: keeping one
 * does not keep its token.
 */
public final class CancellationToken {

    private static final System.Logger LOG = System.getLogger(CancellationToken.class.getName());

    private static final Registration ALREADY_RUN = () -> {
    };

    private static final VarHandle HOLDS;

    static {
        try {
            HOLDS = MethodHandles.lookup().findVarHandle(CancellationToken.class, "holds", int.class);
        }
        catch (ReflectiveOperationException ex) {
            throw new ExceptionInInitializerError(ex);
        }
    }

    private final Object lock = new Object();

    private volatile boolean cancelled;

    private volatile @Nullable Throwable reason;

    /**
     * Callbacks, oldest first; guarded by {@code lock} until cancelled, then the
     * canceller's.
     */
    private @Nullable CallbackLink head;

    private @Nullable CallbackLink tail;

    /** Records of the children, newest first; guarded like {@link #head}. */
    private @Nullable ChildLink children;

    /**
     * The callbacks linked to this token plus the children it holds strongly: while
     * positive, its parent holds it strongly. Written under {@code lock} (release); read
     * by {@link #updateHold} under the parent's lock (acquire). A step that reads it
     * stale is followed by the step of the thread that changed it, which the parent's
     * lock orders after, so the last step reads it right.
     */
    private int holds;

    /**
     * This token's record in its parent's list, until it is unlinked; holds the parent
     * strongly.
     */
    private volatile @Nullable ChildLink parentLink;

    private volatile @Nullable CompletionStage<Void> cancelledStage;

    private CancellationToken() {
    }

    /**
     * Creates a new root token: nothing but an explicit {@link #cancel()} cancels it.
     * @return the new root
     */
    public static CancellationToken create() {
        return new CancellationToken();
    }

    /**
     * Creates a child token: it is cancelled, with this token's reason, when this token
     * is; cancelling the child leaves this token alone. A child of a cancelled token is
     * born cancelled. The child keeps this token reachable; this token keeps the child
     * only while it has registrations (see the class documentation), so a child that is
     * dropped bare costs this token nothing.
     * @return the new child
     */
    public CancellationToken child() {
        ChildLink.reapWithoutThread();
        CancellationToken child = new CancellationToken();
        ChildLink link = new ChildLink(this, child);
        synchronized (lock) {
            if (!cancelled) {
                ChildLink first = children;
                link.next = first;
                if (first != null) {
                    first.prev = link;
                }
                children = link;
                child.parentLink = link;
                return child;
            }
        }
        child.markCancelled(reason);
        return child;
    }

    /**
     * Cancels this token and its descendants, without a reason. Idempotent; see the class
     * documentation for which thread does the work.
     */
    public void cancel() {
        cancelTree(this, null);
    }

    /**
     * Cancels this token and its descendants, recording {@code reason}. When the token is
     * already cancelled, nothing changes: the first cancellation's reason (or the lack of
     * one) stays.
     * @param reason why the token is cancelled
     */
    public void cancel(Throwable reason) {
        cancelTree(this, Objects.requireNonNull(reason, "reason must not be null"));
    }

    /**
     * Why this token was cancelled, when the cancellation that reached it carried a
     * reason.
     * @return the reason, or empty
     */
    public Optional<Throwable> reason() {
        // The reason is written before the flag: read the flag first, so that a reason is
        // never
        // seen on a token that does not yet say it is cancelled.
        return cancelled ? Optional.ofNullable(reason) : Optional.empty();
    }

    /**
     * Whether this token is cancelled: a single volatile read, no lock.
     * @return whether it is cancelled
     */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Runs {@code action} once when this token is cancelled, on the cancelling thread;
     * when it is already cancelled, runs it at once on this thread. An action that throws
     * is logged and swallowed.
     * @param action what to run; should be short and must not block
     * @return a registration whose {@code close()} unregisters the action
     */
    public Registration onCancel(Runnable action) {
        Objects.requireNonNull(action, "action must not be null");
        CallbackLink node = new CallbackLink(this, action);
        if (link(node)) {
            return node;
        }
        runSafely(action);
        return ALREADY_RUN;
    }

    /**
     * A stage that completes normally when this token is cancelled. It is a read-only
     * view: completing or cancelling it, or a future obtained from it, has no effect on
     * this token.
     * @return the stage
     */
    public CompletionStage<Void> whenCancelled() {
        CompletionStage<Void> stage = cancelledStage;
        if (stage != null) {
            return stage;
        }
        CompletableFuture<Void> future;
        synchronized (lock) {
            stage = cancelledStage;
            if (stage != null) {
                return stage;
            }
            future = new CompletableFuture<>();
            stage = future.minimalCompletionStage();
            cancelledStage = stage;
        }
        // a concurrent cancel either takes this record with the list or makes link()
        // refuse it
        if (!link(new CallbackLink(this, () -> future.complete(null)))) {
            future.complete(null);
        }
        return stage;
    }

    /**
     * Blocks until this token is cancelled.
     * @throws InterruptedException when the waiting thread is interrupted first
     */
    public void await() throws InterruptedException {
        awaitNanos(Long.MAX_VALUE, false);
    }

    /**
     * Blocks until this token is cancelled or {@code timeout} has passed.
     * @param timeout how long to wait at most; zero or negative does not block
     * @return {@code true} when the token is cancelled, {@code false} on time-out
     * @throws InterruptedException when the waiting thread is interrupted first
     */
    public boolean await(Duration timeout) throws InterruptedException {
        Objects.requireNonNull(timeout, "timeout must not be null");
        return awaitNanos(saturatedNanos(timeout), true);
    }

    private boolean awaitNanos(long nanos, boolean timed) throws InterruptedException {
        if (cancelled) {
            return true;
        }
        if (Thread.interrupted()) {
            throw new InterruptedException();
        }
        if (timed && nanos <= 0) {
            return false;
        }
        Thread waiter = Thread.currentThread();
        Registration wakeUp = onCancel(() -> LockSupport.unpark(waiter));
        try {
            long deadline = System.nanoTime() + nanos;
            while (!cancelled) {
                if (timed) {
                    long remaining = deadline - System.nanoTime();
                    if (remaining <= 0) {
                        return false;
                    }
                    LockSupport.parkNanos(this, remaining);
                }
                else {
                    LockSupport.park(this);
                }
                if (Thread.interrupted()) {
                    throw new InterruptedException();
                }
            }
            return true;
        }
        finally {
            wakeUp.close();
        }
    }

    /**
     * Unlinks this token from its parent, so that the parent no longer holds it. The
     * token itself is unchanged. Called when the task that owns the token has ended, and
     * when a token is cancelled on its own (it no longer needs its parent's signal).
     */
    void unlinkFromParent() {
        ChildLink link = parentLink;
        if (link != null) {
            parentLink = null;
            link.owner.forget(link);
        }
    }

    /** Whether this token is still linked into its parent (for tests of unlinking). */
    boolean isLinkedToParent() {
        return parentLink != null;
    }

    /**
     * Whether this token's parent holds it strongly, because it has registrations (for
     * tests).
     */
    boolean isHeldByParent() {
        ChildLink link = parentLink;
        return link != null && link.strong == this;
    }

    /**
     * The number of records (callbacks and children, collected or not) linked to this
     * token; for tests.
     */
    int linkedCount() {
        synchronized (lock) {
            if (cancelled) {
                return 0;
            }
            int count = 0;
            for (CallbackLink node = head; node != null; node = node.next) {
                count++;
            }
            for (ChildLink link = children; link != null; link = link.next) {
                count++;
            }
            return count;
        }
    }

    @Override
    public String toString() {
        Throwable why = reason;
        return "CancellationToken[" + (cancelled ? "cancelled" + (why != null ? ": " + why : "") : "active") + "]";
    }

    /**
     * Marks the token and its live descendants cancelled, without recursion: each token's
     * callbacks run as soon as it is marked, before any of its children is marked (so a
     * callback registered on a token runs before the walk reaches any of its children),
     * and its children are walked after its siblings. A parked waiter is thus woken as
     * soon as its own token is marked, not after every sibling of it. A descendant whose
     * record is weak and cleared was collected: nobody can observe it, so it is skipped.
     */
    private static void cancelTree(CancellationToken token, @Nullable Throwable reason) {
        if (!token.markCancelled(reason)) {
            return;
        }
        token.unlinkFromParent();
        token.runCallbacks();
        ArrayDeque<CancellationToken> pending = null;
        CancellationToken current = token;
        while (current != null) {
            // markCancelled froze the lists: nothing links or unlinks records of a
            // cancelled token
            ChildLink link = current.children;
            current.children = null;
            for (; link != null; link = link.next) {
                CancellationToken child = link.removed ? null : link.target();
                if (child != null && child.markCancelled(reason)) {
                    child.parentLink = null;
                    child.runCallbacks();
                    if (child.children != null) {
                        if (pending == null) {
                            pending = new ArrayDeque<>();
                        }
                        pending.add(child);
                    }
                }
            }
            current = pending != null ? pending.poll() : null;
        }
    }

    /**
     * Runs the callbacks of a token this thread has just marked cancelled (and so owns
     * the list of), oldest first, each at most once.
     */
    private void runCallbacks() {
        CallbackLink node = head;
        head = null;
        tail = null;
        for (; node != null; node = node.next) {
            Runnable action = node.claim();
            if (action != null) {
                runSafely(action);
            }
        }
    }

    /**
     * Marks this token cancelled; returns false when it was cancelled before. On true,
     * the caller owns the token's lists.
     */
    private boolean markCancelled(@Nullable Throwable why) {
        synchronized (lock) {
            if (cancelled) {
                return false;
            }
            reason = why;
            cancelled = true;
            return true;
        }
    }

    /**
     * Links a callback record unless this token is cancelled; its first hold makes its
     * parent hold it.
     */
    private boolean link(CallbackLink node) {
        boolean first;
        synchronized (lock) {
            if (cancelled) {
                return false;
            }
            CallbackLink last = tail;
            node.prev = last;
            if (last == null) {
                head = node;
            }
            else {
                last.next = node;
            }
            tail = node;
            first = addHolds(1) == 1;
        }
        if (first && parentLink != null) {
            updateHold(this);
        }
        return true;
    }

    /** Removes a closed callback's record (called by {@link CallbackLink#close()}). */
    void unlink(CallbackLink node) {
        boolean last;
        synchronized (lock) {
            if (cancelled) {
                // The canceller owns the list now and skips closed records.
                return;
            }
            CallbackLink before = node.prev;
            CallbackLink after = node.next;
            if (before == null) {
                head = after;
            }
            else {
                before.next = after;
            }
            if (after == null) {
                tail = before;
            }
            else {
                after.prev = before;
            }
            node.prev = null;
            node.next = null;
            last = addHolds(-1) == 0;
        }
        if (last && parentLink != null) {
            updateHold(this);
        }
    }

    /**
     * Removes a child's record: the child was unlinked, or collected (then its record is
     * weak). Once this token is cancelled, its canceller owns the list: the record stays
     * in it, marked removed.
     */
    void forget(ChildLink link) {
        boolean last;
        synchronized (lock) {
            if (link.removed) {
                return;
            }
            // a canceller that has not reached the record yet skips it, as it skips a
            // closed callback
            link.removed = true;
            if (cancelled) {
                return;
            }
            ChildLink before = link.prev;
            ChildLink after = link.next;
            if (before == null) {
                children = after;
            }
            else {
                before.next = after;
            }
            if (after != null) {
                after.prev = before;
            }
            link.prev = null;
            link.next = null;
            if (link.strong == null) {
                return;
            }
            link.strong = null;
            last = addHolds(-1) == 0;
        }
        if (last && parentLink != null) {
            updateHold(this);
        }
    }

    /** Changes {@link #holds}, holding {@code lock}; returns the new count. */
    private int addHolds(int delta) {
        int now = holds + delta;
        HOLDS.setRelease(this, now);
        return now;
    }

    /**
     * After {@code token}'s holds went from none to some or back, makes its parent's
     * record of it strong or weak to match, and so on up while a parent's holds go the
     * same way: one lock at a time, iteratively, so any depth is fine. Each step reads
     * the token's holds as they are now, so steps of racing threads may come in any
     * order: the last one to take the parent's lock sets the record right. While this
     * runs, the caller keeps {@code token} reachable, and each ancestor is reachable from
     * it.
     */
    private static void updateHold(CancellationToken token) {
        CancellationToken current = token;
        while (true) {
            ChildLink link = current.parentLink;
            if (link == null) {
                break;
            }
            CancellationToken parent = link.owner;
            boolean parentChanged;
            synchronized (parent.lock) {
                boolean wanted = (int) HOLDS.getAcquire(current) > 0 && !current.cancelled;
                if (link.removed) {
                    break;
                }
                if (parent.cancelled) {
                    // The canceller has the list and will reach this record: until it
                    // does, the record
                    // must keep a child with registrations reachable, or the collector
                    // could take it.
                    if (wanted) {
                        link.strong = current;
                    }
                    break;
                }
                if (wanted == (link.strong != null)) {
                    break;
                }
                link.strong = wanted ? current : null;
                int after = parent.addHolds(wanted ? 1 : -1);
                parentChanged = after == (wanted ? 1 : 0);
            }
            if (!parentChanged) {
                break;
            }
            current = parent;
        }
        Reference.reachabilityFence(token);
    }

    private static void runSafely(Runnable action) {
        try {
            action.run();
        }
        catch (Throwable ex) {
            LOG.log(System.Logger.Level.WARNING, "A cancellation callback threw; the other callbacks still run", ex);
        }
    }

    static long saturatedNanos(Duration duration) {
        try {
            return duration.toNanos();
        }
        catch (ArithmeticException overflow) {
            return duration.isNegative() ? Long.MIN_VALUE : Long.MAX_VALUE;
        }
    }

}
