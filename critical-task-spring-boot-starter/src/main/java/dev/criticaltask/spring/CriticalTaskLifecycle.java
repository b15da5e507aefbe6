package dev.criticaltask.spring;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.StopReport;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.SmartLifecycle;

/**
 * Runs the tasks a context defines on its {@link CriticalTaskRegistry}: each {@link CriticalTask},
 * {@link dev.criticaltask.SupervisedTask}, {@link dev.criticaltask.AsyncCriticalTask} and
 * {@link ReactiveCriticalTask} bean, named after its bean, and each {@link CriticalTaskSpec} bean,
 * with the {@code critical-task.tasks.<name>.*} properties applied (see {@link TaskDefinitions});
 * spawns them when the context starts, and stops them all when it stops.
 *
 * <p>From the moment it is created it watches the registry's root token: the first task failure,
 * whether of a bean or of a task spawned at run time, before or after start, is handed to the
 * {@link FailureShutdown}.
 *
 * <p>{@link #stop(Runnable)} returns at once and calls back from its own thread once the registry
 * has stopped: {@code DefaultLifecycleProcessor} times out waiting for the callback (after
 * {@code spring.lifecycle.timeout-per-shutdown-phase}) but never a blocking {@code stop}. The
 * registry refuses spawns once stopped, so this lifecycle cannot be restarted.
 */
final class CriticalTaskLifecycle implements SmartLifecycle {

    private static final Log logger = LogFactory.getLog(CriticalTaskLifecycle.class);

    static final String STOP_THREAD_NAME = "critical-task-stop";

    private final CriticalTaskRegistry registry;

    private final ListableBeanFactory beanFactory;

    private final Duration gracePeriod;

    private final int phase;

    private final FailureShutdown failureShutdown;

    private final KeepAlive keepAlive;

    private final Map<String, CriticalTaskProperties.Task> taskProperties;

    private volatile boolean running;

    CriticalTaskLifecycle(CriticalTaskRegistry registry, ListableBeanFactory beanFactory, Duration gracePeriod,
            int phase, FailureShutdown failureShutdown, Map<String, CriticalTaskProperties.Task> taskProperties,
            ApplicationEventPublisher publisher) {
        this.registry = registry;
        this.beanFactory = beanFactory;
        this.gracePeriod = gracePeriod;
        this.phase = phase;
        this.failureShutdown = failureShutdown;
        this.keepAlive = new KeepAlive(registry, failureShutdown);
        this.taskProperties = taskProperties;
        registry.addListener(this.keepAlive);
        registry.addListener(new SupervisionEvents(registry, publisher));
        // Runs at once when the root is already cancelled, e.g. by a task spawned while beans were
        // being created.
        registry.rootToken().onCancel(this::rootCancelled);
    }

    private void rootCancelled() {
        CancellationToken root = this.registry.rootToken();
        // Trigger first: the shutdown thread must be running before the keep-alive thread may end.
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
        List<CriticalTaskSpec> specs = TaskDefinitions.collect(this.beanFactory, this.taskProperties);
        for (CriticalTaskSpec spec : specs) {
            this.registry.spawn(spec);
        }
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
        // Non-daemon, so that the stop report is still written when the shutdown phase timed out and
        // the rest of the application has already ended.
        stopper.setDaemon(false);
        stopper.start();
    }

    private void stopRegistry() {
        try {
            logger.info("Stopping critical tasks; grace period " + this.gracePeriod);
            StopReport report = this.registry.stop(this.gracePeriod);
            // A report that is not clean has been logged by the registry, with each straggler's stack.
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
