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
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ExitCodeEvent;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.LivenessState;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.boot.context.event.ApplicationFailedEvent;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.ContextRefreshedEvent;
import org.springframework.core.annotation.AnnotationAwareOrderComparator;

/**
 * Turns the first task failure into a shutdown of the application, in one ordered
 * sequence: publishes {@link CriticalTaskFailedEvent}, turns liveness {@code BROKEN} and
 * readiness {@code REFUSING_TRAFFIC}, works out the exit code by Spring Boot's rules and
 * publishes it as an {@link ExitCodeEvent}, writes the termination message, closes the
 * context and hands over to the {@link ProcessExit}.
 *
 * <p>
 * The exit code is that of {@code SpringApplication.exit(context)}: the first non-zero
 * code of the context's {@link ExitCodeGenerator} beans in order, the
 * {@link CriticalTaskExitCodeGenerator} with the last order among them (ties in
 * registration order, as there). The code is then recorded in that generator, which
 * returns it from then on. When the application itself calls
 * {@code SpringApplication.exit(context)} first (from a {@code CriticalTaskFailedEvent}
 * listener, say), its {@code ExitCodeEvent} is the one, and its code is the process's.
 * Each event is published once.
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
 * closed but the {@link ProcessExit} does not exit the process. A context that the
 * TestContext framework manages is not closed either: the framework's listener fails the
 * test that runs and drops the context.
 *
 * <p>
 * A failure while the context is still starting waits, at most the start-up wait (the
 * grace period), for the refresh to end before it closes the context. If the refresh
 * fails meanwhile, the start-up failure ends the process as usual. If the context is
 * still starting when the wait runs out, the process exits without closing it first (its
 * shutdown hook then closes it), because closing a context that another thread is
 * refreshing blocks until that refresh ends.
 *
 * <p>
 * A failure while, or just before, the context closes for another reason (a
 * {@code close()} from {@code main}, a SIGTERM) is still a failure: the events are
 * published once, before that close goes on to destroy the beans (on the closing thread,
 * or on the thread that reports the failure when the close had begun by then), and the
 * shutdown thread, which never closes the context a second time, waits for that close to
 * end and then exits with the failure's code, unless the JVM is already shutting down.
 */
final class FailureShutdown {

    private static final Log logger = LogFactory.getLog(FailureShutdown.class);

    /** How often the context is looked at while it is still starting, or closing. */
    private static final long POLL_MILLIS = 20;

    /**
     * How long the shutdown waits for the failed task to end (and be logged) before going
     * on.
     */
    private static final Duration FAILED_TASK_WAIT = Duration.ofSeconds(1);

    /**
     * How long, beyond the start-up wait, the shutdown waits for a close that another
     * thread runs: Spring's default {@code spring.lifecycle.timeout-per-shutdown-phase}.
     */
    private static final Duration CLOSE_WAIT = Duration.ofSeconds(30);

    /**
     * How long a close that has begun waits for another thread to finish publishing the
     * failure's events.
     */
    private static final Duration PUBLICATION_WAIT = Duration.ofSeconds(10);

    static final String THREAD_NAME = "critical-task-failure-shutdown";

    /** The bean that {@code SpringApplication} registers in every context it runs. */
    private static final String SPRING_APPLICATION_ARGUMENTS = "springApplicationArguments";

    private final ConfigurableApplicationContext context;

    private final CriticalTaskRegistry registry;

    private final ProcessExit processExit;

    private final Duration startupWait;

    /** Guarded by {@code this}. */
    private @Nullable Thread thread;

    /** The failure that {@link #trigger} was given, once it was. */
    private volatile @Nullable CriticalTaskFailedException failure;

    private final AtomicBoolean published = new AtomicBoolean();

    /** The thread that publishes the failure's events, once one does. */
    private volatile @Nullable Thread publisher;

    /** Counted down once the events are published and the exit code is known. */
    private final CountDownLatch publication = new CountDownLatch(1);

    /** The exit code once {@link #publication} is counted down. */
    private volatile int exitCode;

    /** The code of an {@code ExitCodeEvent} this context published, if any did. */
    private volatile @Nullable Integer exitCodeEvent;

    /**
     * Whether {@code SpringApplication.run} has returned: {@code ApplicationReadyEvent}.
     */
    private volatile boolean ready;

    /** Whether {@code SpringApplication.run} failed: {@code ApplicationFailedEvent}. */
    private volatile boolean runFailed;

    /**
     * Whether the context finished its refresh, lifecycle start included:
     * {@code ContextRefreshedEvent}. Unlike {@code isRunning()}, it stays true while the
     * context is stopped: a failure while it stops or is stopped comes after the start.
     */
    private volatile boolean refreshed;

    /**
     * Creates the shutdown for one context.
     * @param context the context to close
     * @param registry the source of the published event
     * @param processExit the exit code, the termination message and the last step
     * @param startupWait how long a failure during start-up waits for the context to
     * finish starting
     */
    FailureShutdown(ConfigurableApplicationContext context, CriticalTaskRegistry registry, ProcessExit processExit,
            Duration startupWait) {
        this.context = context;
        this.registry = registry;
        this.processExit = processExit;
        this.startupWait = startupWait;
        // SpringApplication publishes the first two through the context; a plain context
        // never does.
        context.addApplicationListener((ApplicationEvent event) -> {
            if (event instanceof ApplicationReadyEvent) {
                this.ready = true;
            }
            else if (event instanceof ContextRefreshedEvent refresh && refresh.getApplicationContext() == context) {
                this.refreshed = true;
            }
            else if (event instanceof ApplicationFailedEvent) {
                this.runFailed = true;
            }
            else if (event instanceof ExitCodeEvent exit && exit.getSource() == context) {
                this.exitCodeEvent = exit.getExitCode();
            }
            else if (event instanceof ContextClosedEvent closed && closed.getApplicationContext() == context) {
                closing();
            }
        });
    }

    /**
     * Starts the shutdown for this failure, unless one has started already. Safe from any
     * thread; returns at once, unless the context has begun to close: then the events are
     * published on the calling thread first, while the context can still deliver them.
     * When it returns, the shutdown thread is running, so the JVM cannot end for want of
     * a non-daemon thread.
     */
    void trigger(CriticalTaskFailedException failure) {
        synchronized (this) {
            if (this.thread != null) {
                return;
            }
            this.failure = failure;
            Thread shutdown = new Thread(() -> shutDown(failure), THREAD_NAME);
            shutdown.setDaemon(false);
            this.thread = shutdown;
            shutdown.start();
        }
        // The close that has begun may destroy the beans before the shutdown thread gets
        // to publish; the listener of its ContextClosedEvent saw no failure when it ran,
        // or it saw this one and published it already.
        if (this.context.isClosed()) {
            publishOnce(failure, true);
        }
    }

    /**
     * The context begins to close: a failure known by now is published before it does.
     */
    private void closing() {
        CriticalTaskFailedException known = this.failure;
        if (known != null) {
            publishOnce(known, true);
            // Another thread may be publishing still: the close must not destroy the
            // beans
            // (and end the context's activity) under it, or the rest of its events are
            // lost.
            // Bounded, since one of its listeners may wait for this close; never on
            // itself.
            if (this.publisher != Thread.currentThread()) {
                try {
                    if (!this.publication.await(PUBLICATION_WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
                        logger.warn("The events of the failure of critical task '" + known.taskDescription()
                                + "' were not published within " + PUBLICATION_WAIT + "; closing anyway");
                    }
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }

    private void shutDown(CriticalTaskFailedException failure) {
        boolean test = this.processExit.isTest(isManagedByTestContext());
        try {
            if (!this.context.isClosed()) {
                awaitFailedTask(failure);
            }
            Startup startup = awaitStartup();
            if (startup == Startup.FAILED) {
                // The start-up failure is reported and ends the process on the main
                // thread; exiting here could cut that report short.
                logger.debug("Application context failed to start before critical task '" + failure.taskDescription()
                        + "' could shut it down");
                return;
            }
            publishOnce(failure, startup != Startup.TIMED_OUT);
            this.processExit.writeTerminationMessage(failure, test);
            if (startup == Startup.TIMED_OUT) {
                logger.error("Application context did not finish starting within " + this.startupWait
                        + " of the failure of critical task '" + failure.taskDescription()
                        + "'; not closing it from here");
            }
            else if (this.context.isClosed()) {
                // a close from elsewhere (main, a SIGTERM, a listener): never a second
                // one
                awaitClosed(failure);
            }
            else if (isManagedByTestContext()) {
                logger.info("Not closing the application context after the failure of critical task '"
                        + failure.taskDescription()
                        + "': the TestContext framework manages it, fails the test and drops the context");
            }
            else {
                logger.info("Closing the application context because critical task '" + failure.taskDescription()
                        + "' failed");
                this.context.close();
            }
            this.processExit.exit(awaitExitCode(), test);
        }
        catch (Throwable ex) {
            logger.error("Shutdown after the failure of critical task '" + failure.taskDescription() + "' failed", ex);
            this.processExit.exit(knownExitCode(), test);
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
     * processor is running), has begun to close, or is no longer active without having
     * closed (its refresh failed). Never unbounded: a refresh that hangs must not keep a
     * failed application alive.
     */
    private Startup awaitStartup() throws InterruptedException {
        long deadline = System.nanoTime() + this.startupWait.toNanos();
        while (true) {
            if (this.runFailed) {
                return Startup.FAILED;
            }
            // A context closes only once it has refreshed: a failed refresh leaves it
            // inactive but never closed.
            if (this.context.isClosed()) {
                return Startup.CLOSING;
            }
            if (!this.context.isActive()) {
                return Startup.FAILED;
            }
            // Under SpringApplication, runners and ApplicationStartedEvent listeners
            // still run after the refresh: closing and exiting before run() returns
            // would cut short the report of a failure there. A context that no
            // SpringApplication runs has started once its refresh started its lifecycle
            // beans; a stop since then (a failure while it stops) does not undo that.
            if (isRunBySpringApplication() ? this.ready : this.refreshed) {
                return Startup.STARTED;
            }
            if (System.nanoTime() - deadline >= 0) {
                return Startup.TIMED_OUT;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    /**
     * Waits for a close that another thread runs to end, so that the exit does not cut it
     * short; bounded, since a destroy method may hang.
     */
    private void awaitClosed(CriticalTaskFailedException failure) throws InterruptedException {
        long deadline = System.nanoTime() + this.startupWait.plus(CLOSE_WAIT).toNanos();
        while (this.context.isActive()) {
            if (System.nanoTime() - deadline >= 0) {
                logger.warn("Application context still closing " + this.startupWait.plus(CLOSE_WAIT)
                        + " after the failure of critical task '" + failure.taskDescription() + "'; exiting anyway");
                return;
            }
            TimeUnit.MILLISECONDS.sleep(POLL_MILLIS);
        }
    }

    /**
     * Publishes the failure, the availability changes and the exit code, once whichever
     * thread gets here first; the others return at once.
     * @param lookUpGenerators whether the context's {@code ExitCodeGenerator} beans may
     * be asked (not while another thread still refreshes the context)
     */
    private void publishOnce(CriticalTaskFailedException failure, boolean lookUpGenerators) {
        if (!this.published.compareAndSet(false, true)) {
            return;
        }
        this.publisher = Thread.currentThread();
        try {
            publish(new CriticalTaskFailedEvent(this.registry, failure), failure);
            publishAvailability(LivenessState.BROKEN, failure);
            publishAvailability(ReadinessState.REFUSING_TRAFFIC, failure);
            int code = exitCode(lookUpGenerators);
            this.exitCode = code;
            this.processExit.recordExitCode(code);
            if (this.exitCodeEvent == null) {
                publish(new ExitCodeEvent(this.context, code), failure);
            }
            logger
                .info("Exit code " + code + " after the failure of critical task '" + failure.taskDescription() + "'");
        }
        finally {
            this.publication.countDown();
        }
    }

    private void publish(ApplicationEvent event, CriticalTaskFailedException failure) {
        // A listener may have closed the context (SpringApplication.exit, say) meanwhile.
        if (!this.context.isActive()) {
            return;
        }
        try {
            this.context.publishEvent(event);
        }
        catch (RuntimeException ex) {
            // The shutdown must go on even when a listener throws or the context closed
            // meanwhile.
            logger.warn("Could not publish " + event.getClass().getSimpleName()
                    + " after the failure of critical task '" + failure.taskDescription() + "'", ex);
        }
    }

    private void publishAvailability(Object state, CriticalTaskFailedException failure) {
        if (!this.context.isActive()) {
            return;
        }
        try {
            if (state instanceof LivenessState liveness) {
                AvailabilityChangeEvent.publish(this.context, liveness);
            }
            else if (state instanceof ReadinessState readiness) {
                AvailabilityChangeEvent.publish(this.context, readiness);
            }
        }
        catch (RuntimeException ex) {
            logger.warn("Could not publish " + state + " after the failure of critical task '"
                    + failure.taskDescription() + "'", ex);
        }
    }

    /**
     * The exit code by the rules of {@code SpringApplication.exit(context)}: that of an
     * {@code ExitCodeEvent} already published, else the first non-zero code of the
     * context's generators in order (a generator that throws counts as 1 unless a later
     * one gives a code, as there), else the failure's own code.
     */
    private int exitCode(boolean lookUpGenerators) {
        // Worked out first, while the context is open, so that the mappers are looked up
        // before the close even when a generator of the application's wins.
        int own = this.processExit.failureExitCode();
        Integer published = this.exitCodeEvent;
        if (published != null) {
            return published;
        }
        if (lookUpGenerators && this.context.isActive()) {
            try {
                List<ExitCodeGenerator> generators = new ArrayList<>(
                        this.context.getBeansOfType(ExitCodeGenerator.class).values());
                AnnotationAwareOrderComparator.sort(generators);
                int code = 0;
                for (ExitCodeGenerator generator : generators) {
                    try {
                        int generated = generator.getExitCode();
                        if (generated != 0) {
                            return generated;
                        }
                    }
                    catch (RuntimeException ex) {
                        logger.warn("ExitCodeGenerator " + generator.getClass().getName() + " threw", ex);
                        code = 1;
                    }
                }
                if (code != 0) {
                    return code;
                }
            }
            catch (RuntimeException ex) {
                logger.debug("Could not look up the ExitCodeGenerator beans; using the failure's own exit code", ex);
            }
        }
        return own;
    }

    /** The exit code, once the thread that publishes has worked it out; bounded. */
    private int awaitExitCode() throws InterruptedException {
        if (!this.publication.await(this.startupWait.plus(CLOSE_WAIT).toMillis(), TimeUnit.MILLISECONDS)) {
            logger.warn("The failure's events were not published in time; exiting with the failure's own code");
        }
        return knownExitCode();
    }

    private int knownExitCode() {
        return (this.publication.getCount() == 0) ? this.exitCode : this.processExit.failureExitCode();
    }

    private boolean isManagedByTestContext() {
        try {
            return this.context.getEnvironment()
                .getProperty(ProcessExit.TEST_CONTEXT_PROPERTY, Boolean.class, Boolean.FALSE);
        }
        catch (RuntimeException ex) {
            return false;
        }
    }

    private boolean isRunBySpringApplication() {
        return this.context.getBeanFactory().containsSingleton(SPRING_APPLICATION_ARGUMENTS);
    }

    private enum Startup {

        /** The context finished refreshing and runs its lifecycle beans. */
        STARTED,

        /** The context's refresh, or {@code SpringApplication.run}, failed. */
        FAILED,

        /** The context has begun to close, or has closed, for another reason. */
        CLOSING,

        /** The context was still refreshing when the start-up wait ran out. */
        TIMED_OUT

    }

}
