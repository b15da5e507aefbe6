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

package dev.criticaltask.spring.lifecycle;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskListener;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.StopReport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.DisposableBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the tasks a context defines on its {@link CriticalTaskRegistry}: spawns them when
 * the context starts, and stops them all when it stops. What it spawns is asked for at
 * each start, from the definitions given to it; with Spring Boot's auto-configuration,
 * the task beans, the {@code ReactiveCriticalTask} beans and the {@code @Critical} jobs,
 * with their properties applied.
 *
 * <h2>Generations</h2> A stop that is not the context's close ({@code stop()},
 * {@code pause()}, the stop half of {@code restart()}, the TestContext framework pausing
 * a cached context) {@link CriticalTaskRegistry#pause(Duration) pauses} the registry: the
 * tasks stop with the same grace, interrupt and stop report as at close, but the root
 * token is not cancelled. The next start {@link CriticalTaskRegistry#resume() resumes} it
 * and runs every task definition again, each under a fresh token below the root. Tasks
 * that user code spawned at run time stop with the others and are not run again; user
 * code that wants them back spawns them again once the context has started (on a
 * {@code ContextStartedEvent}, say). The root is cancelled only by a failure, or by the
 * stop that is part of the context's close, which
 * {@link CriticalTaskRegistry#stop(Duration) stops} the registry for good.
 *
 * <h2>Failures</h2> From the moment it is created it watches the registry: the first task
 * failure, whether of a bean or of a task spawned at run time, before or after start, and
 * also while the tasks are stopping (a task that throws anything but an
 * {@code InterruptedException} once cancelled, even during the close), is handed to the
 * {@link FailureShutdown} once, so the application ends as after any failure. A start
 * after a failure starts nothing.
 *
 * <h2>Threads</h2> {@link #stop(Runnable)} returns at once and calls back from its own
 * thread once the tasks have stopped: {@code DefaultLifecycleProcessor} times out waiting
 * for the callback (after {@code spring.lifecycle.timeout-per-shutdown-phase}) but never
 * a blocking {@code stop}. A start that comes while such a stop is still under way waits
 * for it (at most the grace period and the registry's interrupt wait), so that the two
 * generations never share a name. {@link #isRunning()} is true from a start that spawned
 * the tasks until the next stop. All methods are thread-safe.
 */
public final class CriticalTaskLifecycle implements SmartLifecycle, DisposableBean {

    private static final Log logger = LogFactory.getLog(CriticalTaskLifecycle.class);

    static final String STOP_THREAD_NAME = "critical-task-stop";

    private final CriticalTaskRegistry registry;

    private final ConfigurableApplicationContext context;

    private final Supplier<List<CriticalTaskSpec>> tasks;

    private final Duration gracePeriod;

    private final int phase;

    private final FailureShutdown failureShutdown;

    private final KeepAlive keepAlive;

    private final Object monitor = new Object();

    /** Guarded by {@code monitor} for writes. */
    private volatile boolean running;

    /** Completes when the latest stop has ended; guarded by {@code monitor}. */
    private CompletableFuture<@Nullable Void> stopped = CompletableFuture.completedFuture(null);

    /** The failure handed to the shutdown; the first one only. */
    private final AtomicReference<@Nullable CriticalTaskFailedException> handedOver = new AtomicReference<>();

    /**
     * Creates the lifecycle of one context, and from then on watches the registry's root
     * token. Create it while the context refreshes, on the thread that refreshes it.
     * @param registry the registry the tasks run on; this lifecycle pauses, resumes and
     * finally stops it
     * @param context the context whose lifecycle this is, closed after a failure
     * @param tasks what to spawn, asked for at each start; it may throw to fail the start
     * @param phase the lifecycle phase
     * @param gracePeriod how long the tasks get to stop before they are interrupted; also
     * how long a failure during start-up waits for the context to finish starting
     * @param processExit how the process ends after a failure
     */
    public CriticalTaskLifecycle(CriticalTaskRegistry registry, ConfigurableApplicationContext context,
            Supplier<List<CriticalTaskSpec>> tasks, int phase, Duration gracePeriod, ProcessExit processExit) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        this.context = Objects.requireNonNull(context, "context must not be null");
        this.tasks = Objects.requireNonNull(tasks, "tasks must not be null");
        this.gracePeriod = Objects.requireNonNull(gracePeriod, "gracePeriod must not be null");
        this.phase = phase;
        this.failureShutdown = new FailureShutdown(context, registry, processExit, gracePeriod);
        this.keepAlive = new KeepAlive(registry, this.failureShutdown);
        registry.addListener(this.keepAlive);
        registry.addListener(new SupervisionEvents(registry, context));
        // A failure while the root is already cancelled without one (during the close)
        // cancels nothing: only the registry's listeners hear of it.
        registry.addListener(new CriticalTaskListener() {
            @Override
            public void failed(CriticalTaskHandle task, CriticalTaskFailedException failure) {
                handOver(registry.firstFailure().orElse(failure));
            }
        });
        // Runs at once when the root is already cancelled, e.g. by a task spawned while
        // beans were being created.
        registry.rootToken().onCancel(this::rootCancelled);
    }

    private void rootCancelled() {
        // Hand over first: the shutdown thread must be running before the keep-alive
        // thread may end.
        this.registry.firstFailure().ifPresent(this::handOver);
        this.keepAlive.wake();
    }

    private void handOver(CriticalTaskFailedException failure) {
        this.handedOver.compareAndSet(null, failure);
        this.failureShutdown.trigger(Objects.requireNonNull(this.handedOver.get()));
    }

    @Override
    public void start() {
        if (this.running) {
            return;
        }
        // bounded: a stop lasts at most the grace period and the interrupt wait
        awaitStopped();
        if (this.context.isClosed() || this.registry.isStopping()) {
            logger.warn("Not starting critical tasks: the application context is closing");
            return;
        }
        if (this.registry.rootToken().isCancelled()) {
            logger
                .warn("Not starting critical tasks: the root token is already cancelled" + this.registry.firstFailure()
                    .map((failure) -> ", by the failure of critical task '" + failure.taskDescription() + "'")
                    .orElse(""));
            return;
        }
        // every definition is checked before the first task starts
        List<CriticalTaskSpec> specs = this.tasks.get();
        synchronized (this.monitor) {
            if (this.running) {
                return;
            }
            this.registry.resume();
            spawnAll(specs);
            this.running = true;
        }
        this.keepAlive.start();
        if (logger.isDebugEnabled()) {
            logger.debug("Started " + specs.size() + " critical task(s)");
        }
    }

    /**
     * Spawns every task, or none: a spawn that is refused (a name still held by a task of
     * the previous generation that ignored its interrupt) cancels those spawned before it
     * and fails the start.
     */
    private void spawnAll(List<CriticalTaskSpec> specs) {
        try {
            // in dependency order: each task begins once those it depends on are ready
            this.registry.spawnAll(specs);
        }
        catch (RuntimeException refused) {
            throw new IllegalStateException("Cannot start critical tasks: " + refused.getMessage(), refused);
        }
    }

    @Override
    public void stop() {
        CompletableFuture<@Nullable Void> done = beginStop();
        if (done != null) {
            stopTasks(this.context.isClosed(), done);
        }
    }

    @Override
    public void stop(Runnable callback) {
        CompletableFuture<@Nullable Void> done = beginStop();
        if (done == null) {
            callback.run();
            return;
        }
        // read now: the close that this stop may be part of has begun by the time it is
        // called
        boolean closing = this.context.isClosed();
        Thread stopper = new Thread(() -> {
            try {
                stopTasks(closing, done);
            }
            finally {
                callback.run();
            }
        }, STOP_THREAD_NAME);
        // Non-daemon, so that the stop report is still written when the shutdown phase
        // timed out and the rest of the application has already ended.
        stopper.setDaemon(false);
        stopper.start();
    }

    /**
     * Stops the registry for good, if no stop did: the context closes (or its refresh
     * failed) while this lifecycle was not running, and the root must still be cancelled
     * and the tasks spawned at run time stopped.
     */
    @Override
    public void destroy() {
        awaitStopped();
        if (!this.registry.isStopping()) {
            CompletableFuture<@Nullable Void> done;
            synchronized (this.monitor) {
                this.running = false;
                done = new CompletableFuture<>();
                this.stopped = done;
            }
            stopTasks(true, done);
        }
    }

    /**
     * {@return the end of the stop that begins, or null when not running}
     */
    private @Nullable CompletableFuture<@Nullable Void> beginStop() {
        synchronized (this.monitor) {
            if (!this.running) {
                return null;
            }
            this.running = false;
            CompletableFuture<@Nullable Void> done = new CompletableFuture<>();
            this.stopped = done;
            return done;
        }
    }

    private void stopTasks(boolean closing, CompletableFuture<@Nullable Void> done) {
        try {
            logger.info("Stopping critical tasks; grace period " + this.gracePeriod);
            StopReport report = closing ? this.registry.stop(this.gracePeriod) : this.registry.pause(this.gracePeriod);
            Optional<CriticalTaskFailedException> failure = this.registry.firstFailure();
            if (failure.isPresent()) {
                // logged by the registry; the shutdown may have begun already, and
                // ignores a second hand-over
                handOver(failure.get());
                logger.warn("Critical tasks stopped; critical task '" + failure.get().taskDescription()
                        + "' failed, so the application shuts down");
            }
            // A report that is not clean has been logged by the registry, with each
            // straggler's stack.
            else if (report.isClean()) {
                logger.info("Critical tasks stopped gracefully");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            logger.warn("Interrupted while stopping critical tasks");
        }
        finally {
            this.keepAlive.stop();
            done.complete(null);
        }
    }

    private void awaitStopped() {
        CompletableFuture<@Nullable Void> latest;
        synchronized (this.monitor) {
            latest = this.stopped;
        }
        try {
            latest.get();
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while waiting for critical tasks to stop", ex);
        }
        catch (ExecutionException ex) {
            // stopTasks completes normally whatever happens
            throw new IllegalStateException(ex.getCause());
        }
    }

    /**
     * {@return the failure handed to the shutdown, if any}
     */
    Optional<CriticalTaskFailedException> handedOver() {
        return Optional.ofNullable(this.handedOver.get());
    }

    /**
     * {@return whether the tasks of a start run: true from a start that spawned them
     * until the next stop}
     */
    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return this.phase;
    }

    /**
     * {@return true: a paused context's tasks stop, and run again when it restarts}
     */
    @Override
    public boolean isPauseable() {
        return true;
    }

}
