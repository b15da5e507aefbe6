package dev.criticaltask;

import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import dev.criticaltask.testsupport.LincheckOptions;
import dev.criticaltask.testsupport.QuietLogs;
import org.jetbrains.lincheck.datastructures.IntGen;
import org.jetbrains.lincheck.datastructures.Operation;
import org.jetbrains.lincheck.datastructures.Param;
import org.jetbrains.lincheck.datastructures.Validate;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Model-checks a child token against {@link Spec} while its parent is cancelled concurrently.
 *
 * <p>Cancelling a parent is not atomic across the tree (by design, the first {@code cancel()} walks
 * the descendants after marking the parent), so the object under test is the <em>child</em>: its own
 * operations, plus the parent's {@code cancel}/{@code cancel(reason)} whose linearization point is
 * the moment the walk reaches the child. The parent's cancels run on one thread (a non-parallel
 * group): a concurrent second cancel of the parent returns at once by design, before the walk of the
 * first reaches the child.
 */
@Tag("core")
@Param(name = "reason", gen = IntGen.class, conf = "1:2")
@Param(name = "slot", gen = IntGen.class, conf = "0:1")
public class TokenTreeLincheckTest {

    static {
        QuietLogs.install();
    }

    private final CancellationToken parent = CancellationToken.create();

    private final CancellationToken child = parent.child();

    private final AtomicInteger[] slotFired = { new AtomicInteger(), new AtomicInteger() };

    private final Registration[] slots = new Registration[2];

    private final boolean[] slotClosed = new boolean[2];

    private final ConcurrentLinkedQueue<AtomicInteger> dynamicFired = new ConcurrentLinkedQueue<>();

    private final ConcurrentLinkedQueue<CancellationToken> grandchildren = new ConcurrentLinkedQueue<>();

    public TokenTreeLincheckTest() {
        for (int i = 0; i < slots.length; i++) {
            slots[i] = child.onCancel(slotFired[i]::incrementAndGet);
        }
    }

    @Operation(nonParallelGroup = "parent")
    public void parentCancel() {
        parent.cancel();
    }

    @Operation(nonParallelGroup = "parent")
    public void parentCancel(@Param(name = "reason") int reason) {
        parent.cancel(TokenLincheckTest.REASONS[reason]);
    }

    @Operation
    public void childCancel() {
        child.cancel();
    }

    @Operation
    public void childCancel(@Param(name = "reason") int reason) {
        child.cancel(TokenLincheckTest.REASONS[reason]);
    }

    @Operation
    public boolean childIsCancelled() {
        return child.isCancelled();
    }

    @Operation
    public String childReason() {
        if (!child.isCancelled()) {
            return "none"; // reason() alone may run ahead of isCancelled(): RELIABILITY.md, bug 1
        }
        return child.reason().map(Throwable::getMessage).orElse("none");
    }

    @Operation
    public boolean childOnCancel() {
        Thread me = Thread.currentThread();
        AtomicInteger fired = new AtomicInteger();
        AtomicReference<Thread> ranOn = new AtomicReference<>();
        dynamicFired.add(fired);
        child.onCancel(() -> {
            fired.incrementAndGet();
            ranOn.compareAndSet(null, Thread.currentThread());
        });
        return ranOn.get() == me;
    }

    @Operation
    public void childClose(@Param(name = "slot") int slot) {
        slotClosed[slot] = true;
        slots[slot].close();
    }

    @Operation
    public boolean childAwaitZero() throws InterruptedException {
        return child.await(Duration.ZERO);
    }

    @Operation
    public boolean grandchild() {
        CancellationToken grandchild = child.child();
        grandchildren.add(grandchild);
        return grandchild.isCancelled();
    }

    @Validate
    public void treeIsConsistent() {
        boolean cancelled = child.isCancelled();
        check(!parent.isCancelled() || cancelled, "the parent is cancelled but its child is not");
        for (int i = 0; i < slots.length; i++) {
            int fired = slotFired[i].get();
            check(fired <= 1, "slot " + i + " fired " + fired + " times");
            if (!cancelled) {
                check(fired == 0, "slot " + i + " fired without a cancel");
            }
            else if (!slotClosed[i]) {
                check(fired == 1, "slot " + i + " (never closed) did not fire");
            }
        }
        for (AtomicInteger fired : dynamicFired) {
            check(fired.get() == (cancelled ? 1 : 0), "a dynamic callback fired " + fired.get() + " times");
        }
        for (CancellationToken grandchild : grandchildren) {
            check(grandchild.isCancelled() == cancelled, "a grandchild's state differs from its parent's");
            check(grandchild.reason().equals(child.reason()), "a grandchild did not inherit the reason");
        }
        // a child cancelled on its own, or by its parent, is unlinked from the parent
        check(parent.linkedCount() == (cancelled ? 0 : 1), "parent links " + parent.linkedCount());
        check(child.isLinkedToParent() == !cancelled, "child link state is wrong");
        if (cancelled) {
            check(child.linkedCount() == 0, "a cancelled child still links records");
        }
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new IllegalStateException(message);
        }
    }

    @Test
    void modelChecking() {
        LincheckOptions.modelChecking()
            .threads(3)
            .actorsPerThread(3)
            .actorsBefore(1)
            .actorsAfter(2)
            .sequentialSpecification(Spec.class)
            .check(TokenTreeLincheckTest.class);
    }

    @Test
    void stress() {
        LincheckOptions.stress()
            .threads(3)
            .actorsPerThread(3)
            .actorsBefore(1)
            .actorsAfter(2)
            .sequentialSpecification(Spec.class)
            .check(TokenTreeLincheckTest.class);
    }

    /** A parent flag and the child's flag and first reason; the parent's cancel reaches the child. */
    public static class Spec {

        private boolean parentCancelled;

        private boolean childCancelled;

        private String childReason = "none";

        public void parentCancel() {
            if (!parentCancelled) {
                parentCancelled = true;
                cancelChild("none");
            }
        }

        public void parentCancel(int reason) {
            if (!parentCancelled) {
                parentCancelled = true;
                cancelChild(TokenLincheckTest.REASONS[reason].getMessage());
            }
        }

        public void childCancel() {
            cancelChild("none");
        }

        public void childCancel(int reason) {
            cancelChild(TokenLincheckTest.REASONS[reason].getMessage());
        }

        private void cancelChild(String why) {
            if (!childCancelled) {
                childCancelled = true;
                childReason = why;
            }
        }

        public boolean childIsCancelled() {
            return childCancelled;
        }

        public String childReason() {
            return childReason;
        }

        public boolean childOnCancel() {
            return childCancelled;
        }

        public void childClose(int slot) {
        }

        public boolean childAwaitZero() {
            return childCancelled;
        }

        public boolean grandchild() {
            return childCancelled;
        }
    }
}
