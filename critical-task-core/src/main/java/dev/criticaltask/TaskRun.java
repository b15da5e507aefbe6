package dev.criticaltask;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.jspecify.annotations.Nullable;

/**
 * The running side of a critical task: what the executor runs, the supervision of its attempts
 * (restarts, heartbeats), and the state the handle reads. It holds no reference to its
 * {@link CriticalTaskHandle}, so a handle can become unreachable (and be reported as forgotten)
 * while its task is still running.
 *
 * <p>A blocking task runs all its attempts on the one thread the executor gave it, backoffs
 * included. An {@link AsyncCriticalTask} holds a thread only while {@code start} runs: its attempt
 * ends on whichever thread completes the stage (or cancels the token), a restart waits out its
 * backoff on the {@link SupervisionTimer}, and each new attempt is handed to the executor again.
 */
final class TaskRun implements Runnable {

    private static final Clock CLOCK = Clock.systemUTC();

    private final String description;

    private final @Nullable CriticalTask plainTask;

    private final @Nullable SupervisedTask supervisedTask;

    private final @Nullable AsyncCriticalTask asyncTask;

    /** Runs the restarted attempts of an asynchronous task; null for the others. */
    private final @Nullable Executor relaunchExecutor;

    private final CancellationToken parent;

    /** The task's own token: a child of the parent; each restarted attempt runs under a child of it. */
    private final CancellationToken token;

    private final System.Logger logger;

    private final @Nullable RestartBudget budget;

    private final long heartbeatTimeoutNanos;

    private final StallAction stallAction;

    private final @Nullable SupervisionTimer monitor;

    /** Times the restart backoffs of an asynchronous task; null for the others. */
    private final @Nullable SupervisionTimer restartTimer;

    private final CompletableFuture<Void> done = new CompletableFuture<>();

    /** Made on first use: most tasks are joined, never asked for their stage (64 bytes each). */
    private volatile @Nullable CompletionStage<Void> completionView;

    private volatile @Nullable TaskObserver observer;

    private volatile TaskState state = TaskState.RUNNING;

    private volatile @Nullable CriticalTaskFailedException failure;

    private volatile @Nullable Instant startedAt;

    private volatile @Nullable Instant finishedAt;

    private volatile int attempt;

    private volatile int restarts;

    private volatile @Nullable Throwable lastRestartCause;

    private volatile long lastHeartbeat;

    /** The thread running the task while it runs; guarded by {@code this}. */
    private @Nullable Thread thread;

    /** Whether the executor has run this task; guarded by {@code this}. */
    private boolean launched;

    /** Whether an asynchronous task's restart was handed to the executor; guarded by {@code this}. */
    private boolean relaunching;

    /** The running attempt's token; guarded by {@code this}. */
    private @Nullable CancellationToken attemptToken;

    /** A stall treated as a failure of the running attempt; guarded by {@code this}. */
    private @Nullable TaskStalledException pendingStall;

    /** Set once the failure has escalated (cancelled the parent); guarded by {@code this}. */
    private @Nullable CriticalTaskFailedException escalated;

    /** The scheduled heartbeat check of the running attempt; guarded by {@code this}. */
    private @Nullable ScheduledFuture<?> heartbeatCheck;

    TaskRun(String description, CriticalTask task, CancellationToken parent, System.Logger logger) {
        this(description, task, null, null, parent, logger, RestartPolicy.never(), null, StallAction.REPORT, null,
                null);
    }

    /**
     * A run of a spec. {@code timer} watches the heartbeats and times the restarts of an
     * asynchronous task; {@code executor} runs the restarted attempts of an asynchronous task.
     */
    TaskRun(CriticalTaskSpec spec, CancellationToken parent, System.Logger logger, @Nullable SupervisionTimer timer,
            Executor executor) {
        this(spec.name(), spec.plainTask(), spec.plainTask() == null && !spec.isAsync() ? spec.task() : null,
                spec.asyncTask(), parent, logger, spec.restartPolicy(), spec.heartbeatTimeout().orElse(null),
                spec.stallAction(), timer, executor);
    }

    private TaskRun(String description, @Nullable CriticalTask plainTask, @Nullable SupervisedTask supervisedTask,
            @Nullable AsyncCriticalTask asyncTask, CancellationToken parent, System.Logger logger, RestartPolicy policy,
            @Nullable Duration heartbeatTimeout, StallAction stallAction, @Nullable SupervisionTimer timer,
            @Nullable Executor executor) {
        this.description = description;
        this.plainTask = plainTask;
        this.supervisedTask = supervisedTask;
        this.asyncTask = asyncTask;
        this.relaunchExecutor = asyncTask != null ? executor : null;
        this.parent = parent;
        this.logger = logger;
        this.budget = RestartBudget.of(policy);
        this.heartbeatTimeoutNanos = heartbeatTimeout != null ? CancellationToken.saturatedNanos(heartbeatTimeout) : 0;
        this.stallAction = stallAction;
        this.monitor = heartbeatTimeout != null ? timer : null;
        this.restartTimer = asyncTask != null ? timer : null;
        this.token = parent.child();
    }

    void observeWith(TaskObserver observer) {
        this.observer = observer;
    }

    @Override
    public void run() {
        boolean first;
        synchronized (this) {
            if (state.isTerminal() || thread != null || (launched && !relaunching)) {
                throw new IllegalStateException("Critical task '" + description + "' was already run");
            }
            first = !launched;
            launched = true;
            relaunching = false;
            thread = Thread.currentThread();
        }
        if (first) {
            startedAt = CLOCK.instant();
            TaskObserver watcher = observer;
            if (watcher != null) {
                watcher.started(this);
            }
        }
        while (runAttempt()) {
            // restarted: the next attempt runs on this thread
        }
    }

    /**
     * Runs one attempt and decides what follows; true when a blocking task is to be run again on
     * this thread. An asynchronous attempt returns false once started: its end decides the rest.
     */
    private boolean runAttempt() {
        CancellationToken current = budget == null ? token : token.child();
        if (current != token && current.isCancelled() && attempt > 0) {
            // The restart's linearization point is the creation of its token: born cancelled, it
            // came after the cancel, and so never runs.
            finish(TaskState.CANCELLED, null);
            return false;
        }
        int number = ++attempt;
        synchronized (this) {
            attemptToken = current;
        }
        if (asyncTask != null) {
            startAsync(asyncTask, current, number);
            return false;
        }
        watchHeartbeat();
        Throwable thrown = null;
        try {
            if (plainTask != null) {
                plainTask.run(current);
            }
            else if (supervisedTask != null) {
                supervisedTask.run(new Attempt(current, number));
            }
        }
        catch (Throwable ex) {
            thrown = ex;
        }
        long backoff = endAttempt(current, number, thrown);
        return backoff >= 0 && awaitBackoff(backoff);
    }

    /**
     * Decides what follows an attempt that ended, normally or with {@code thrown}: finishes the
     * task and returns -1, or announces a restart and returns its backoff in nanoseconds.
     */
    private long endAttempt(CancellationToken current, int number, @Nullable Throwable thrown) {
        CriticalTaskFailedException alreadyEscalated;
        TaskStalledException stall;
        synchronized (this) {
            unwatchHeartbeat();
            alreadyEscalated = escalated;
            stall = pendingStall;
            pendingStall = null;
            attemptToken = null;
            if (state == TaskState.STALLED) {
                state = TaskState.RUNNING;
            }
        }
        if (current != token) {
            current.unlinkFromParent();
        }
        if (alreadyEscalated != null) {
            finish(TaskState.FAILED, alreadyEscalated);
            return -1;
        }
        if (stall != null) {
            if (thrown != null && thrown != stall) {
                stall.addSuppressed(thrown);
            }
            thrown = stall;
        }
        else if (thrown == null || (thrown instanceof InterruptedException && current.isCancelled())) {
            finish(current.isCancelled() ? TaskState.CANCELLED : TaskState.COMPLETED, null);
            return -1;
        }
        return restartOrEscalate(thrown, number);
    }

    private long restartOrEscalate(Throwable thrown, int number) {
        long backoff;
        synchronized (this) {
            backoff = budget == null || token.isCancelled() ? -1 : budget.onFailure(System.nanoTime(), thrown);
        }
        if (backoff < 0) {
            finish(TaskState.FAILED, escalate(thrown));
            return -1;
        }
        restarts++;
        lastRestartCause = thrown;
        log(System.Logger.Level.WARNING, "Critical task '" + description + "' failed on attempt " + number
                + "; restarting in " + TimeUnit.NANOSECONDS.toMillis(backoff) + " ms (restart " + restarts + ")", thrown);
        TaskObserver watcher = observer;
        if (watcher != null) {
            watcher.restarting(this, thrown, Duration.ofNanos(backoff));
        }
        return backoff;
    }

    /** Waits out a blocking task's backoff on its thread; true when the next attempt is to run. */
    private boolean awaitBackoff(long backoff) {
        // an interrupt meant for the failed attempt (a stall) must neither cut the backoff short nor
        // hit the next attempt; a stop cancels the token before it interrupts, so none is lost
        Thread.interrupted();
        boolean cancelled;
        try {
            cancelled = token.await(Duration.ofNanos(backoff));
        }
        catch (InterruptedException interrupted) {
            cancelled = token.isCancelled();
            if (!cancelled) {
                finish(TaskState.FAILED, escalate(Objects.requireNonNull(lastRestartCause)));
                return false;
            }
        }
        if (cancelled) {
            // shutdown during the backoff: no restart after the parent was cancelled
            finish(TaskState.CANCELLED, null);
            return false;
        }
        return true;
    }

    // --- asynchronous attempts ----------------------------------------------------------------

    /**
     * Starts an asynchronous attempt on the current thread, then lets the thread go: the stage's
     * completion ends the attempt, and a cancel of its token cancels the stage.
     */
    private void startAsync(AsyncCriticalTask task, CancellationToken current, int number) {
        AtomicBoolean ended = new AtomicBoolean();
        CompletionStage<?> stage;
        try {
            stage = AsyncStages.start(task, current);
        }
        catch (Throwable thrown) {
            releaseThread();
            endAsync(ended, current, number, thrown);
            return;
        }
        // released before the stage can end: a restart hands this run to the executor again
        releaseThread();
        try {
            Registration cancelStage = current.onCancel(() -> AsyncStages.cancel(stage));
            stage.whenComplete((result, outcome) -> {
                cancelStage.close();
                endAsync(ended, current, number, AsyncStages.failureOf(outcome, current));
            });
        }
        catch (Throwable brokenStage) {
            endAsync(ended, current, number, brokenStage);
        }
    }

    /** Ends an asynchronous attempt once, whoever reports its end first. */
    private void endAsync(AtomicBoolean ended, CancellationToken current, int number, @Nullable Throwable thrown) {
        if (!ended.compareAndSet(false, true)) {
            return;
        }
        long backoff = endAttempt(current, number, thrown);
        if (backoff >= 0) {
            scheduleRestart(backoff);
        }
    }

    private void releaseThread() {
        synchronized (this) {
            thread = null;
        }
        // a stop's interrupt was meant for start(): it must not reach the executor's next job
        Thread.interrupted();
    }

    /**
     * Restarts an asynchronous task after its backoff, unless its token is cancelled first: exactly
     * one of the two happens, without a thread waiting.
     */
    private void scheduleRestart(long backoffNanos) {
        AtomicBoolean decided = new AtomicBoolean();
        Registration[] onCancel = new Registration[1];
        AtomicReference<@Nullable ScheduledFuture<?>> pending = new AtomicReference<>();
        Runnable restart = () -> {
            if (decided.compareAndSet(false, true)) {
                onCancel[0].close();
                relaunch();
            }
        };
        onCancel[0] = token.onCancel(() -> {
            if (decided.compareAndSet(false, true)) {
                ScheduledFuture<?> due = pending.get();
                if (due != null) {
                    // out of the timer's queue: it would hold this run until the backoff ran out
                    due.cancel(false);
                }
                // shutdown during the backoff: no restart after the parent was cancelled
                finish(TaskState.CANCELLED, null);
            }
        });
        SupervisionTimer timer = restartTimer;
        if (backoffNanos == 0 || timer == null) {
            restart.run();
            return;
        }
        try {
            ScheduledFuture<?> due = timer.schedule(restart, backoffNanos);
            pending.set(due);
            if (decided.get()) {
                // decided while it was being scheduled: the cancel may not have seen it
                due.cancel(false);
            }
        }
        catch (RejectedExecutionException stopped) {
            // the timer stops only once its registry's root is cancelled, though a cancel that
            // another thread is still carrying down the tree may not have reached this token yet
            if (decided.compareAndSet(false, true)) {
                if (isBeingCancelled()) {
                    finish(TaskState.CANCELLED, null);
                }
                else {
                    finish(TaskState.FAILED, escalate(Objects.requireNonNull(lastRestartCause)));
                }
            }
        }
    }

    /** Whether this task's token is cancelled, or is about to be by a cancel of its parent under way. */
    private boolean isBeingCancelled() {
        return token.isCancelled() || parent.isCancelled();
    }

    /** Hands the next asynchronous attempt to the executor; a refusal ends the task with its last failure. */
    private void relaunch() {
        synchronized (this) {
            relaunching = true;
        }
        try {
            Objects.requireNonNull(relaunchExecutor, "an asynchronous task needs an executor").execute(this);
        }
        catch (RuntimeException | Error refused) {
            synchronized (this) {
                relaunching = false;
            }
            if (isBeingCancelled()) {
                finish(TaskState.CANCELLED, null);
                return;
            }
            log(System.Logger.Level.WARNING, "Critical task '" + description
                    + "' could not be restarted: its executor refused the next attempt", refused);
            finish(TaskState.FAILED, escalate(Objects.requireNonNull(lastRestartCause)));
        }
    }

    /**
     * Makes the failure fatal, once: records it, cancels the parent with it, logs it. Called on the
     * task's thread, or on the heartbeat monitor's for a stall that no restart is left for.
     */
    private CriticalTaskFailedException escalate(Throwable thrown) {
        CriticalTaskFailedException failed;
        synchronized (this) {
            if (escalated != null) {
                return escalated;
            }
            try {
                failed = new CriticalTaskFailedException(description, thrown);
                if (budget != null) {
                    for (Throwable earlier : budget.earlierCauses()) {
                        if (earlier != thrown) {
                            failed.addSuppressed(earlier);
                        }
                    }
                }
            }
            catch (Throwable cannotRecord) {
                // Even out of memory, the siblings must hear of the failure.
                parent.cancel();
                throw cannotRecord;
            }
            escalated = failed;
            failure = failed;
        }
        TaskObserver watcher = observer;
        parent.cancel(watcher != null ? watcher.failing(this, failed) : failed);
        // the failure itself, so that the one ERROR shows the earlier causes too (suppressed)
        log(System.Logger.Level.ERROR, failed.getMessage()
                + (restarts > 0 ? " (after " + restarts + (restarts == 1 ? " restart)" : " restarts)") : ""), failed);
        return failed;
    }

    private void finish(TaskState outcome, @Nullable CriticalTaskFailedException failed) {
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

    private void log(System.Logger.Level level, String message, Throwable thrown) {
        try {
            logger.log(level, message, thrown);
        }
        catch (RuntimeException loggerFailed) {
            // a broken logger must not keep the task from reaching its terminal state
        }
    }

    // --- heartbeats -------------------------------------------------------------------------

    private void watchHeartbeat() {
        if (monitor == null) {
            return;
        }
        lastHeartbeat = System.nanoTime();
        synchronized (this) {
            scheduleCheck(heartbeatTimeoutNanos);
        }
    }

    /** Guarded by {@code this}. */
    private void scheduleCheck(long delayNanos) {
        SupervisionTimer watching = monitor;
        if (watching == null || attemptToken == null || watching.isShutdown()) {
            return;
        }
        try {
            heartbeatCheck = watching.schedule(this::checkHeartbeat, delayNanos);
        }
        catch (RejectedExecutionException shutDown) {
            heartbeatCheck = null;
        }
    }

    /** Guarded by {@code this}. */
    private void unwatchHeartbeat() {
        ScheduledFuture<?> check = heartbeatCheck;
        if (check != null) {
            check.cancel(false);
            heartbeatCheck = null;
        }
    }

    void heartbeat() {
        lastHeartbeat = System.nanoTime();
        if (state == TaskState.STALLED) {
            synchronized (this) {
                if (state == TaskState.STALLED && pendingStall == null && attemptToken != null) {
                    state = TaskState.RUNNING;
                }
            }
        }
    }

    /** Runs on the heartbeat monitor's thread. */
    private void checkHeartbeat() {
        long silent = System.nanoTime() - lastHeartbeat;
        CancellationToken stalledAttempt = null;
        TaskStalledException stall = null;
        boolean report;
        boolean escalateNow = false;
        synchronized (this) {
            if (attemptToken == null || heartbeatCheck == null || state.isTerminal()) {
                return;
            }
            if (silent < heartbeatTimeoutNanos) {
                scheduleCheck(heartbeatTimeoutNanos - silent);
                return;
            }
            scheduleCheck(heartbeatTimeoutNanos);
            if (state == TaskState.STALLED) {
                if (pendingStall == null || escalated != null) {
                    return; // still stalled, and already reported
                }
                // failed for the stall a timeout ago, cancelled and interrupted, and still not back:
                // no restart can run on a thread that never returns
                stall = pendingStall;
                escalateNow = true;
                report = false;
            }
            else {
                state = TaskState.STALLED;
                report = true;
                if (stallAction == StallAction.FAIL) {
                    stall = new TaskStalledException(description, Duration.ofNanos(silent),
                            Duration.ofNanos(heartbeatTimeoutNanos));
                    pendingStall = stall;
                    stalledAttempt = attemptToken;
                    escalateNow = budget == null || token.isCancelled()
                            || !budget.wouldRestart(System.nanoTime(), stall);
                }
            }
        }
        TaskObserver watcher = observer;
        if (report && watcher != null) {
            watcher.stalled(this, Duration.ofNanos(silent));
        }
        if (escalateNow && stall != null) {
            // the stuck thread may never return: the failure must not wait for it
            escalate(stall);
        }
        if (stalledAttempt != null) {
            stalledAttempt.cancel();
            interruptAttempt(stalledAttempt);
        }
    }

    // --- what the handle and the registry read ------------------------------------------------

    /**
     * Interrupts the thread while it still runs this attempt's body: an interrupt that came later
     * would cut short the backoff or hit the next attempt.
     */
    private synchronized void interruptAttempt(CancellationToken stalledAttempt) {
        Thread running = thread;
        if (running != null && attemptToken == stalledAttempt) {
            running.interrupt();
        }
    }

    /** Interrupts the task's thread if the task is still running on it; true when it did. */
    synchronized boolean interruptIfRunning() {
        Thread running = thread;
        if (running != null && !state.isTerminal()) {
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
            if (nanos == Long.MAX_VALUE) {
                // untimed: a timed park of a virtual thread arms (and then cancels) a timer
                done.get();
            }
            else {
                done.get(Math.max(0, nanos), TimeUnit.NANOSECONDS);
            }
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

    int attempt() {
        return attempt;
    }

    int restarts() {
        return restarts;
    }

    @Nullable Throwable lastRestartCause() {
        return lastRestartCause;
    }

    /** How long since the last heartbeat (or the attempt's start), for a running task that has a timeout. */
    @Nullable Duration sinceLastHeartbeat() {
        if (heartbeatTimeoutNanos == 0 || state.isTerminal() || attempt == 0) {
            return null;
        }
        return Duration.ofNanos(Math.max(0, System.nanoTime() - lastHeartbeat));
    }

    CompletionStage<Void> completion() {
        CompletionStage<Void> view = completionView;
        if (view == null) {
            synchronized (this) {
                view = completionView;
                if (view == null) {
                    view = done.minimalCompletionStage();
                    completionView = view;
                }
            }
        }
        return view;
    }

    /** The context of one attempt. */
    private final class Attempt implements TaskContext {

        private final CancellationToken cancellation;

        private final int number;

        Attempt(CancellationToken cancellation, int number) {
            this.cancellation = cancellation;
            this.number = number;
        }

        @Override
        public CancellationToken cancellation() {
            return cancellation;
        }

        @Override
        public String name() {
            return description;
        }

        @Override
        public int attempt() {
            return number;
        }

        @Override
        public void heartbeat() {
            TaskRun.this.heartbeat();
        }
    }
}
