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
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.StopReport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the tasks a context defines on its {@link CriticalTaskRegistry}: spawns them when
 * the context starts, and stops them all when it stops. What it spawns is asked for at
 * each start, from the definitions given to it; with Spring Boot's auto-configuration,
 * the task beans, the {@code ReactiveCriticalTask} beans and the {@code @Critical} jobs,
 * with their properties applied.
 *
 * <p>
 * From the moment it is created it watches the registry's root token: the first task
 * failure, whether of a bean or of a task spawned at run time, before or after start, is
 * handed to the {@link FailureShutdown}.
 *
 * <p>
 * {@link #stop(Runnable)} returns at once and calls back from its own thread once the
 * registry has stopped: {@code DefaultLifecycleProcessor} times out waiting for the
 * callback (after {@code spring.lifecycle.timeout-per-shutdown-phase}) but never a
 * blocking {@code stop}. The registry refuses spawns once stopped, so this lifecycle
 * cannot be restarted.
 */
public final class CriticalTaskLifecycle implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(CriticalTaskLifecycle.class);

    static final String STOP_THREAD_NAME = "critical-task-stop";

    private final CriticalTaskRegistry registry;

    private final Supplier<List<CriticalTaskSpec>> tasks;

    private final Duration gracePeriod;

    private final int phase;

    private final FailureShutdown failureShutdown;

    private final KeepAlive keepAlive;

    private volatile boolean running;

    /**
     * Creates the lifecycle of one context, and from then on watches the registry's root
     * token. Create it while the context refreshes, on the thread that refreshes it.
     * @param registry the registry the tasks run on; this lifecycle stops it
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
        this.tasks = Objects.requireNonNull(tasks, "tasks must not be null");
        this.gracePeriod = Objects.requireNonNull(gracePeriod, "gracePeriod must not be null");
        this.phase = phase;
        this.failureShutdown = new FailureShutdown(context, registry, processExit, gracePeriod);
        this.keepAlive = new KeepAlive(registry, this.failureShutdown);
        registry.addListener(this.keepAlive);
        registry.addListener(new SupervisionEvents(registry, context));
        // Runs at once when the root is already cancelled, e.g. by a task spawned while
        // beans were
        // being created.
        registry.rootToken().onCancel(this::rootCancelled);
    }

    private void rootCancelled() {
        CancellationToken root = this.registry.rootToken();
        // Trigger first: the shutdown thread must be running before the keep-alive thread
        // may end.
        root.reason()
            .filter(CriticalTaskFailedException.class::isInstance)
            .map(CriticalTaskFailedException.class::cast)
            .ifPresent(this.failureShutdown::trigger);
        this.keepAlive.wake();
    }

    @Override
    public void start() {
        if (this.running) {
            return;
        }
        this.running = true;
        if (this.registry.isStopping()) {
            logger.warn("Not starting critical tasks: their registry has stopped and cannot be restarted");
            return;
        }
        if (this.registry.rootToken().isCancelled()) {
            logger.warn("Not starting critical tasks: the root token is already cancelled");
            return;
        }
        // every definition is checked before the first task starts
        List<CriticalTaskSpec> specs = this.tasks.get();
        // in dependency order: each task begins once those it depends on are ready
        this.registry.spawnAll(specs);
        this.keepAlive.start();
        if (logger.isDebugEnabled()) {
            logger.debug("Started " + specs.size() + " critical task(s)");
        }
    }

    @Override
    public void stop() {
        this.running = false;
        stopRegistry();
    }

    @Override
    public void stop(Runnable callback) {
        this.running = false;
        Thread stopper = new Thread(() -> {
            try {
                stopRegistry();
            }
            finally {
                callback.run();
            }
        }, STOP_THREAD_NAME);
        // Non-daemon, so that the stop report is still written when the shutdown phase
        // timed out and
        // the rest of the application has already ended.
        stopper.setDaemon(false);
        stopper.start();
    }

    private void stopRegistry() {
        try {
            logger.info("Stopping critical tasks; grace period " + this.gracePeriod);
            StopReport report = this.registry.stop(this.gracePeriod);
            // A report that is not clean has been logged by the registry, with each
            // straggler's stack.
            if (report.isClean()) {
                logger.info("Critical tasks stopped gracefully");
            }
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            logger.warn("Interrupted while stopping critical tasks");
        }
        finally {
            this.keepAlive.stop();
        }
    }

    @Override
    public boolean isRunning() {
        return this.running;
    }

    @Override
    public int getPhase() {
        return this.phase;
    }

    @Override
    public boolean isPauseable() {
        // Pausing would stop the registry for good.
        return false;
    }

}
