package dev.criticaltask;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
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
 * <h2>Thread-safety</h2>
 * Every method may be called from any thread at any time. {@link #isCancelled()} is a single
 * volatile read. The other methods hold a private lock only to link or unlink a record, never while
 * running user code.
 *
 * <h2>Which thread runs the callbacks</h2>
 * {@link #cancel()} runs every registered {@link #onCancel(Runnable) callback} and cancels every
 * descendant on <em>the thread that calls it</em>, before it returns; a callback registered on a
 * token that is already cancelled runs at once on the registering thread. The first
 * {@code cancel()} does all the work: a concurrent or later one returns at once, possibly while the
 * first is still running callbacks. The cost of cancelling is proportional to the number of live
 * descendants and callbacks; the tree is walked iteratively, so depth is not limited by the stack.
 *
 * <h2>Failure</h2>
 * A callback that throws is logged at {@code WARNING} through {@link System.Logger} and the
 * remaining callbacks and descendants are still cancelled.
 *
 * <h2>Reasons</h2>
 * {@link #cancel(Throwable)} records why; the first cancellation wins, with or without a reason, and
 * descendants inherit the reason of the ancestor that cancelled them. The critical-task runtime
 * cancels a parent with the {@link CriticalTaskFailedException} of the failing task, so a sibling
 * can tell "a sibling failed" from "shutdown".
 *
 * <h2>Memory</h2>
 * A child stays linked to its parent until it is cancelled (by itself or its parent); a critical
 * task's own child token is unlinked when the task ends. Closing a {@link Registration} unlinks its
 * callback at once.
 */
public final class CancellationToken {

    private static final System.Logger LOG = System.getLogger(CancellationToken.class.getName());

    /** Returned by {@link #markCancelled} when another cancel got there first. */
    private static final Node ALREADY_CANCELLED = new Node(null, null, null);

    private static final Registration ALREADY_RUN = () -> { };

    private final Object lock = new Object();

    private volatile boolean cancelled;

    private volatile @Nullable Throwable reason;

    /** Callbacks and children, oldest first; guarded by {@code lock}, null once cancelled. */
    private @Nullable Node head;

    private @Nullable Node tail;

    /** This token's record in its parent's list, until it is unlinked. */
    private volatile @Nullable Node parentLink;

    private volatile @Nullable CompletionStage<Void> cancelledStage;

    private CancellationToken() {
    }

    /** Creates a new root token: nothing but an explicit {@link #cancel()} cancels it. */
    public static CancellationToken create() {
        return new CancellationToken();
    }

    /**
     * Creates a child token: it is cancelled, with this token's reason, when this token is; cancelling
     * the child leaves this token alone. A child of a cancelled token is born cancelled.
     */
    public CancellationToken child() {
        CancellationToken child = new CancellationToken();
        synchronized (lock) {
            if (!cancelled) {
                Node link = new Node(this, null, child);
                append(link);
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
     * Cancels this token and its descendants, recording {@code reason}. When the token is already
     * cancelled, nothing changes: the first cancellation's reason (or the lack of one) stays.
     *
     * @param reason why the token is cancelled
     */
    public void cancel(Throwable reason) {
        cancelTree(this, Objects.requireNonNull(reason, "reason must not be null"));
    }

    /** Why this token was cancelled, when the cancellation that reached it carried a reason. */
    public Optional<Throwable> reason() {
        // The reason is written before the flag: read the flag first, so that a reason is never
        // seen on a token that does not yet say it is cancelled.
        return cancelled ? Optional.ofNullable(reason) : Optional.empty();
    }

    /** Whether this token is cancelled: a single volatile read, no lock. */
    public boolean isCancelled() {
        return cancelled;
    }

    /**
     * Runs {@code action} once when this token is cancelled, on the cancelling thread; when it is
     * already cancelled, runs it at once on this thread. An action that throws is logged and
     * swallowed.
     *
     * @param action what to run; should be short and must not block
     * @return a registration whose {@code close()} unregisters the action
     */
    public Registration onCancel(Runnable action) {
        Objects.requireNonNull(action, "action must not be null");
        synchronized (lock) {
            if (!cancelled) {
                Node node = new Node(this, action, null);
                append(node);
                return node;
            }
        }
        runSafely(action);
        return ALREADY_RUN;
    }

    /**
     * A stage that completes normally when this token is cancelled. It is a read-only view:
     * completing or cancelling it, or a future obtained from it, has no effect on this token.
     */
    public CompletionStage<Void> whenCancelled() {
        CompletionStage<Void> stage = cancelledStage;
        if (stage != null) {
            return stage;
        }
        synchronized (lock) {
            stage = cancelledStage;
            if (stage == null) {
                CompletableFuture<Void> future = new CompletableFuture<>();
                stage = future.minimalCompletionStage();
                cancelledStage = stage;
                if (cancelled) {
                    future.complete(null);
                }
                else {
                    append(new Node(this, () -> future.complete(null), null));
                }
            }
            return stage;
        }
    }

    /**
     * Blocks until this token is cancelled.
     *
     * @throws InterruptedException when the waiting thread is interrupted first
     */
    public void await() throws InterruptedException {
        awaitNanos(Long.MAX_VALUE, false);
    }

    /**
     * Blocks until this token is cancelled or {@code timeout} has passed.
     *
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
     * Unlinks this token from its parent, so that the parent no longer holds it. The token itself is
     * unchanged. Called when the task that owns the token has ended, and when a token is cancelled on
     * its own (it no longer needs its parent's signal).
     */
    void unlinkFromParent() {
        Node link = parentLink;
        if (link != null) {
            parentLink = null;
            link.close();
        }
    }

    /** Whether this token is still linked into its parent (for tests of unlinking). */
    boolean isLinkedToParent() {
        Node link = parentLink;
        return link != null && link.isActive();
    }

    /** The number of live records (callbacks and children) linked to this token; for tests. */
    int linkedCount() {
        synchronized (lock) {
            int count = 0;
            for (Node node = head; node != null; node = node.next) {
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

    private static void cancelTree(CancellationToken token, @Nullable Throwable reason) {
        Node node = token.markCancelled(reason);
        if (node == ALREADY_CANCELLED) {
            return;
        }
        token.unlinkFromParent();
        ArrayDeque<Node> pendingLists = null;
        while (true) {
            for (; node != null; node = node.next) {
                if (!node.claim()) {
                    continue;
                }
                CancellationToken child = node.child;
                if (child != null) {
                    Node childList = child.markCancelled(reason);
                    if (childList != ALREADY_CANCELLED && childList != null) {
                        if (pendingLists == null) {
                            pendingLists = new ArrayDeque<>();
                        }
                        pendingLists.add(childList);
                    }
                    if (childList != ALREADY_CANCELLED) {
                        child.parentLink = null;
                    }
                }
                else {
                    runSafely(node.action);
                }
            }
            if (pendingLists == null || pendingLists.isEmpty()) {
                return;
            }
            node = pendingLists.poll();
        }
    }

    /**
     * Marks this token cancelled and takes its list of records; returns {@link #ALREADY_CANCELLED}
     * when it was cancelled before. The list then belongs to the caller: nothing links or unlinks
     * records of a cancelled token.
     */
    private @Nullable Node markCancelled(@Nullable Throwable why) {
        synchronized (lock) {
            if (cancelled) {
                return ALREADY_CANCELLED;
            }
            reason = why;
            cancelled = true;
            Node list = head;
            head = null;
            tail = null;
            return list;
        }
    }

    private void append(Node node) {
        Node last = tail;
        node.prev = last;
        if (last == null) {
            head = node;
        }
        else {
            last.next = node;
        }
        tail = node;
    }

    private void unlink(Node node) {
        synchronized (lock) {
            if (cancelled) {
                // The canceller owns the list now and skips closed records.
                return;
            }
            Node before = node.prev;
            Node after = node.next;
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
        }
    }

    private static void runSafely(@Nullable Runnable action) {
        if (action == null) {
            return;
        }
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

    /**
     * One record in a token's list: a callback, or the link to a child. Its state moves once, from
     * active to either fired (the canceller claimed it) or closed (its registration was closed), so
     * a closed callback never starts and a fired one is never unlinked.
     */
    private static final class Node implements Registration {

        private static final VarHandle STATE;

        static {
            try {
                STATE = MethodHandles.lookup().findVarHandle(Node.class, "state", int.class);
            }
            catch (ReflectiveOperationException ex) {
                throw new ExceptionInInitializerError(ex);
            }
        }

        private static final int ACTIVE = 0;

        private static final int FIRED = 1;

        private static final int CLOSED = 2;

        private final @Nullable CancellationToken owner;

        private final @Nullable Runnable action;

        private final @Nullable CancellationToken child;

        @Nullable Node prev;

        @Nullable Node next;

        @SuppressWarnings("unused") // accessed through STATE
        private volatile int state;

        Node(@Nullable CancellationToken owner, @Nullable Runnable action, @Nullable CancellationToken child) {
            this.owner = owner;
            this.action = action;
            this.child = child;
        }

        boolean claim() {
            return STATE.compareAndSet(this, ACTIVE, FIRED);
        }

        boolean isActive() {
            return state == ACTIVE;
        }

        @Override
        public void close() {
            if (STATE.compareAndSet(this, ACTIVE, CLOSED) && owner != null) {
                owner.unlink(this);
            }
        }
    }
}
