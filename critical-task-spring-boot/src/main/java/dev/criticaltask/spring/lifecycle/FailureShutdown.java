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
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Turns the first task failure into a shutdown of the application, in one ordered
 * sequence: publishes {@link CriticalTaskFailedEvent}, turns liveness {@code BROKEN} and
 * readiness {@code REFUSING_TRAFFIC}, closes the context and hands over to the
 * {@link ProcessExit}.
 *
 * <p>
 * All of it runs once per context, on a dedicated <em>non-daemon</em> thread:
 * <ul>
 * <li>not on the failing task's thread, which the shutdown stops and waits for;</li>
 * <li>not on a daemon thread, because once the web server has stopped the JVM could
 * otherwise exit with 0 before {@code System.exit} is reached (spring-boot#41102);</li>
 * <li>never from a shutdown hook or a lifecycle callback: {@code System.exit} there
 * blocks for ever.</li>
 * </ul>
 * When the JVM is already shutting down (SIGTERM), or inside a test, the context is
 * closed but the {@link ProcessExit} does not exit the process.
 *
 * <p>
 * A failure while the context is still starting waits, at most the start-up wait (the
 * grace period), for the refresh to end before it closes the context. If the refresh
 * fails meanwhile, the start-up failure ends the process as usual. If the context is
 * still starting when the wait runs out, the process exits without closing it first (its
 * shutdown hook then closes it), because closing a context that another thread is
 * refreshing blocks until that refresh ends.
 */
final class FailureShutdown {

    private static final Log logger = LogFactory.getLog(FailureShutdown.class);

    /** How often the context is looked at while it is still starting. */
    private static final long REFRESH_POLL_MILLIS = 20;

    /**
     * How long the shutdown waits for the failed task to end (and be logged) before going
     * on.
     */
    private static final Duration FAILED_TASK_WAIT = Duration.ofSeconds(1);

    static final String THREAD_NAME = "critical-task-failure-shutdown";

    /** The bean that {@code SpringApplication} registers in every context it runs. */
    private static final String SPRING_APPLICATION_ARGUMENTS = "springApplicationArguments";

    private final ConfigurableApplicationContext context;

    private final CriticalTaskRegistry registry;

    private final ProcessExit processExit;

    private final Duration startupWait;

    private @Nullable Thread thread;

    /**
     * Whether {@code SpringApplication.run} has returned: {@code ApplicationReadyEvent}.
     */
    private volatile boolean ready;

    /** Whether {@code SpringApplication.run} failed: {@code ApplicationFailedEvent}. */
    private volatile boolean runFailed;

    /**
     * Creates the shutdown for one context.
     * @param context the context to close
     * @param registry the source of the published event
     * @param processExit the last step, once the context is closed
     * @param startupWait how long a failure during start-up waits for the context to
     * finish starting
     */
    FailureShutdown(ConfigurableApplicationContext context, CriticalTaskRegistry registry, ProcessExit processExit,
            Duration startupWait) {
        this.context = context;
        this.registry = registry;
        this.processExit = processExit;
        this.startupWait = startupWait;
        // SpringApplication publishes these through the context; a plain context never
        // does.
        context.addApplicationListener((ApplicationEvent event) -> {
            if (event instanceof ApplicationReadyEvent) {
                this.ready = true;
            }
            else if (event instanceof ApplicationFailedEvent) {
                this.runFailed = true;
            }
        });
    }

    /**
     * Starts the shutdown for this failure, unless one has started already. Safe from any
     * thread; returns at once. When it returns, the shutdown thread is running, so the
     * JVM cannot end for want of a non-daemon thread.
     */
    synchronized void trigger(CriticalTaskFailedException failure) {
        if (this.thread != null) {
            return;
        }
        Thread shutdown = new Thread(() -> shutDown(failure), THREAD_NAME);
        shutdown.setDaemon(false);
        this.thread = shutdown;
        shutdown.start();
    }

    private void shutDown(CriticalTaskFailedException failure) {
        try {
            awaitFailedTask(failure);
            Startup startup = awaitStartup();
            if (startup == Startup.FAILED) {
                // The start-up failure is reported and ends the process on the main
                // thread; exiting
                // here could cut that report short.
                logger.debug("Application context failed to start or was closed before critical task '"
                        + failure.taskDescription() + "' could shut it down");
                return;
            }
            publish(failure);
            if (startup == Startup.STARTED) {
                logger.info("Closing the application context because critical task '" + failure.taskDescription()
                        + "' failed");
                this.context.close();
            }
            else {
                logger.error("Application context did not finish starting within " + this.startupWait
                        + " of the failure of critical task '" + failure.taskDescription()
                        + "'; not closing it from here");
            }
            this.processExit.exit();
        }
        catch (Throwable ex) {
            logger.error("Shutdown after the failure of critical task '" + failure.taskDescription() + "' failed", ex);
            this.processExit.exit();
        }
    }

    /**
     * Waits briefly for the failed task to end, so that its failure is logged (by the
     * registry, after it cancelled the root) before the shutdown that follows from it.
     */
    private void awaitFailedTask(CriticalTaskFailedException failure) throws InterruptedException {
        Optional<CriticalTaskHandle> task = this.registry.find(failure.taskDescription());
        if (task.isPresent()) {
            try {
                task.get().join(FAILED_TASK_WAIT);
            }
            catch (CriticalTaskFailedException expected) {
                // it failed, as it should have
            }
        }
    }

    /**
     * Waits, at most the start-up wait, until the context has started (its lifecycle
     * processor is running) or is no longer active (its refresh failed, or it was
     * closed). Never unbounded: a refresh that hangs must not keep a failed application
     * alive.
     */
    private Startup awaitStartup() throws InterruptedException {
        long deadline = System.nanoTime() + this.startupWait.toNanos();
        while (true) {
            if (this.runFailed || !this.context.isActive()) {
                return Startup.FAILED;
            }
            // Under SpringApplication, runners and ApplicationStartedEvent listeners
            // still run after
            // the refresh: closing and exiting before run() returns would cut short the
            // report of a
            // failure there. A context that no SpringApplication runs has started once it
            // runs.
            if (isRunBySpringApplication() ? this.ready : this.context.isRunning()) {
                return Startup.STARTED;
            }
            if (System.nanoTime() - deadline >= 0) {
                return Startup.TIMED_OUT;
            }
            TimeUnit.MILLISECONDS.sleep(REFRESH_POLL_MILLIS);
        }
    }

    private void publish(CriticalTaskFailedException failure) {
        try {
            this.context.publishEvent(new CriticalTaskFailedEvent(this.registry, failure));
            AvailabilityChangeEvent.publish(this.context, LivenessState.BROKEN);
            AvailabilityChangeEvent.publish(this.context, ReadinessState.REFUSING_TRAFFIC);
        }
        catch (RuntimeException ex) {
            // The shutdown must go on even when a listener throws or the context closed
            // meanwhile.
            logger.warn("Could not publish the failure of critical task '" + failure.taskDescription() + "'", ex);
        }
    }

    private boolean isRunBySpringApplication() {
        return this.context.getBeanFactory().containsSingleton(SPRING_APPLICATION_ARGUMENTS);
    }

    private enum Startup {

        /** The context finished refreshing and runs its lifecycle beans. */
        STARTED,

        /** The context is no longer active: its refresh failed or it was closed. */
        FAILED,

        /** The context was still refreshing when the start-up wait ran out. */
        TIMED_OUT

    }

}
