package dev.criticaltask;

import java.time.Clock;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.jspecify.annotations.Nullable;

/**
 * The running side of a critical task: what the executor runs, and the state the handle reads. It
 * holds no reference to its {@link CriticalTaskHandle}, so a handle can become unreachable (and be
 * reported as forgotten) while its task is still running.
 */
final class TaskRun implements Runnable {

    private static final Clock CLOCK = Clock.systemUTC();

    private final String description;

    private final CriticalTask task;

    private final CancellationToken parent;

    private final CancellationToken token;

    private final System.Logger logger;

    private final CompletableFuture<Void> done = new CompletableFuture<>();

    private final CompletionStage<Void> completionView = done.minimalCompletionStage();

    private volatile @Nullable TaskObserver observer;

    private volatile TaskState state = TaskState.RUNNING;

    private volatile @Nullable CriticalTaskFailedException failure;

    private volatile @Nullable Instant startedAt;

    private volatile @Nullable Instant finishedAt;

    /** The thread running the task while it runs; guarded by {@code this}. */
    private @Nullable Thread thread;

    TaskRun(String description, CriticalTask task, CancellationToken parent, System.Logger logger) {
        this.description = description;
        this.task = task;
        this.parent = parent;
        this.logger = logger;
        this.token = parent.child();
    }

    void observeWith(TaskObserver observer) {
        this.observer = observer;
    }

    @Override
    public void run() {
        synchronized (this) {
            if (state != TaskState.RUNNING || thread != null) {
                throw new IllegalStateException("Critical task '" + description + "' was already run");
            }
            thread = Thread.currentThread();
        }
        startedAt = CLOCK.instant();
        TaskObserver watcher = observer;
        if (watcher != null) {
            watcher.started(this);
        }
        Throwable thrown = null;
        try {
            task.run(token);
        }
        catch (Throwable ex) {
            thrown = ex;
        }
        finish(thrown);
    }

    private void finish(@Nullable Throwable thrown) {
        TaskState outcome;
        CriticalTaskFailedException failed = null;
        if (thrown == null) {
            outcome = token.isCancelled() ? TaskState.CANCELLED : TaskState.COMPLETED;
        }
        else if (thrown instanceof InterruptedException && token.isCancelled()) {
            outcome = TaskState.CANCELLED;
        }
        else {
            outcome = TaskState.FAILED;
            failed = fail(thrown);
        }
        finishedAt = CLOCK.instant();
        synchronized (this) {
            thread = null;
            state = outcome;
        }
        token.unlinkFromParent();
        TaskObserver watcher = observer;
        try {
            if (watcher != null) {
                watcher.finished(this);
            }
        }
        finally {
            if (failed != null) {
                done.completeExceptionally(failed);
            }
            else {
                done.complete(null);
            }
        }
    }

    private CriticalTaskFailedException fail(Throwable thrown) {
        CriticalTaskFailedException failed;
        try {
            failed = new CriticalTaskFailedException(description, thrown);
            failure = failed;
            TaskObserver watcher = observer;
            if (watcher != null) {
                watcher.failing(this, failed);
            }
        }
        catch (Throwable cannotRecord) {
            // Even out of memory, the siblings must hear of the failure.
            parent.cancel();
            throw cannotRecord;
        }
        parent.cancel(failed);
        try {
            logger.log(System.Logger.Level.ERROR, failed.getMessage(), thrown);
        }
        catch (RuntimeException loggerFailed) {
            // a broken logger must not keep the task from reaching its terminal state
        }
        return failed;
    }

    /** Interrupts the task's thread if the task is still running on it; true when it did. */
    synchronized boolean interruptIfRunning() {
        Thread running = thread;
        if (running != null && state == TaskState.RUNNING) {
            running.interrupt();
            return true;
        }
        return false;
    }

    /** Where the task's thread is now; empty when it is not running on a thread. */
    synchronized StackTraceElement[] stackTrace() {
        Thread running = thread;
        return running != null ? running.getStackTrace() : new StackTraceElement[0];
    }

    /** Waits for the terminal state; a failure is not thrown. Returns false on time-out. */
    boolean awaitDone(long nanos) throws InterruptedException {
        try {
            done.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
        }
        catch (ExecutionException failed) {
            // ended with a failure: join() throws it, awaitDone() only waits
        }
        catch (TimeoutException timedOut) {
            return false;
        }
        return true;
    }

    /** Waits for the terminal state and throws the failure, if any; false on time-out. */
    boolean join(long nanos) throws InterruptedException {
        if (!awaitDone(nanos)) {
            return false;
        }
        CriticalTaskFailedException failed = failure();
        if (failed != null) {
            throw failed;
        }
        return true;
    }

    /** Undoes a spawn whose executor refused the task: the parent no longer holds its token. */
    void abandonUnstarted() {
        token.unlinkFromParent();
    }

    String description() {
        return description;
    }

    CancellationToken token() {
        return token;
    }

    TaskState state() {
        return state;
    }

    @Nullable CriticalTaskFailedException failure() {
        return state == TaskState.FAILED ? failure : null;
    }

    @Nullable Instant startedAt() {
        return startedAt;
    }

    @Nullable Instant finishedAt() {
        return finishedAt;
    }

    CompletionStage<Void> completion() {
        return completionView;
    }
}
