package dev.criticaltask.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

import dev.criticaltask.StallAction;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.SmartLifecycle;

/**
 * Configuration properties for critical tasks. Data only: {@code CriticalTaskPropertiesValidator}
 * checks the values when the auto-configuration starts, so that no Bean Validation provider is
 * needed and an invalid value fails start-up with a message that names the property.
 */
@ConfigurationProperties("critical-task")
public final class CriticalTaskProperties {

    /**
     * The default lifecycle phase: below Boot's web server lifecycles (the web server starts at
     * {@code SmartLifecycle.DEFAULT_PHASE - 2048} and shuts down gracefully at
     * {@code DEFAULT_PHASE - 1024}), so tasks start before the server takes traffic and stop after
     * it has drained.
     */
    public static final int DEFAULT_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    /**
     * Whether to run CriticalTask beans and turn a task failure into an application shutdown.
     */
    private boolean enabled = true;

    /**
     * Lifecycle phase in which critical tasks start and stop. The default starts them before the
     * web server takes traffic and stops them after it has drained.
     */
    private int phase = DEFAULT_PHASE;

    private final Shutdown shutdown = new Shutdown();

    private final Threads threads = new Threads();

    private final Scheduling scheduling = new Scheduling();

    /**
     * Supervision of single tasks, by task name: the bean name of a CriticalTask, SupervisedTask,
     * AsyncCriticalTask or ReactiveCriticalTask bean, the name of a CriticalTaskSpec bean, or the
     * name of a critical @Scheduled or @Async method, which contains a dot and so needs brackets:
     * 'critical-task.tasks[bean.method].restart.max-restarts'. A value set here wins over the same
     * setting made in code.
     */
    private final Map<String, Task> tasks = new LinkedHashMap<>();

    public boolean isEnabled() {
        return this.enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public int getPhase() {
        return this.phase;
    }

    public void setPhase(int phase) {
        this.phase = phase;
    }

    public Shutdown getShutdown() {
        return this.shutdown;
    }

    public Threads getThreads() {
        return this.threads;
    }

    public Scheduling getScheduling() {
        return this.scheduling;
    }

    public Map<String, Task> getTasks() {
        return this.tasks;
    }


    /**
     * Shutdown properties.
     */
    public static final class Shutdown {

        /**
         * How long tasks get to stop after their token was cancelled before they are interrupted.
         * The stop also waits one more second for interrupted tasks, and all of it has to fit inside
         * 'spring.lifecycle.timeout-per-shutdown-phase' (30s by default), or Spring moves on
         * before the stop report, which names each task that did not stop, is logged.
         */
        private Duration gracePeriod = Duration.ofSeconds(20);

        /**
         * Exit code of the process after a task failure has closed the application context.
         * From 1 to 255.
         */
        private int exitCode = 1;

        /**
         * Whether to end the process with 'critical-task.shutdown.exit-code' once a task failure
         * has closed the application context. The process is never exited from a test context, nor
         * while the JVM is already shutting down.
         */
        private boolean exitProcess = true;

        public Duration getGracePeriod() {
            return this.gracePeriod;
        }

        public void setGracePeriod(Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
        }

        public int getExitCode() {
            return this.exitCode;
        }

        public void setExitCode(int exitCode) {
            this.exitCode = exitCode;
        }

        public boolean isExitProcess() {
            return this.exitProcess;
        }

        public void setExitProcess(boolean exitProcess) {
            this.exitProcess = exitProcess;
        }

    }

    /**
     * Thread properties.
     */
    public static final class Threads {

        /**
         * Whether tasks run on virtual threads. When not set, follows
         * 'spring.threads.virtual.enabled'. Virtual threads need Java 21 or later: setting this
         * to true on an older Java fails start-up.
         */
        private @Nullable Boolean virtual;

        public @Nullable Boolean getVirtual() {
            return this.virtual;
        }

        public void setVirtual(@Nullable Boolean virtual) {
            this.virtual = virtual;
        }

    }

    /**
     * Critical {@code @Scheduled} and {@code @Async} methods. Read from the environment when the
     * bean post-processor that finds them is created, long before this class is bound; it is here
     * so that the property is documented in the metadata.
     */
    public static final class Scheduling {

        /**
         * Whether every @Scheduled method and every @Async method that returns void is critical,
         * as if it were annotated @Critical: an exception escaping it fails a critical task named
         * '<beanName>.<methodName>'.
         */
        private boolean allCritical;

        public boolean isAllCritical() {
            return this.allCritical;
        }

        public void setAllCritical(boolean allCritical) {
            this.allCritical = allCritical;
        }

    }

    /**
     * Supervision of one task. Each value left unset keeps what the task's definition sets in
     * code, or else the default.
     */
    public static final class Task {

        private final Restart restart = new Restart();

        private final Heartbeat heartbeat = new Heartbeat();

        public Restart getRestart() {
            return this.restart;
        }

        public Heartbeat getHeartbeat() {
            return this.heartbeat;
        }


    }

    /**
     * Restart policy of one task.
     */
    public static final class Restart {

        /**
         * How many times the task is run again within 'within' before a failure is fatal. 0, the
         * default, makes the first failure fatal.
         */
        private @Nullable Integer maxRestarts;

        /**
         * Sliding window in which 'max-restarts' count. Defaults to 1m.
         */
        private @Nullable Duration within;

        private final Backoff backoff = new Backoff();

        public @Nullable Integer getMaxRestarts() {
            return this.maxRestarts;
        }

        public void setMaxRestarts(@Nullable Integer maxRestarts) {
            this.maxRestarts = maxRestarts;
        }

        public @Nullable Duration getWithin() {
            return this.within;
        }

        public void setWithin(@Nullable Duration within) {
            this.within = within;
        }

        public Backoff getBackoff() {
            return this.backoff;
        }



    }

    /**
     * Backoff between restarts of one task.
     */
    public static final class Backoff {

        /**
         * Backoff before the first restart in the window; each further restart waits twice as
         * long, with 20% jitter. Defaults to 100ms.
         */
        private @Nullable Duration initial;

        /**
         * Longest backoff between restarts. Defaults to 10s.
         */
        private @Nullable Duration max;

        public @Nullable Duration getInitial() {
            return this.initial;
        }

        public void setInitial(@Nullable Duration initial) {
            this.initial = initial;
        }

        public @Nullable Duration getMax() {
            return this.max;
        }

        public void setMax(@Nullable Duration max) {
            this.max = max;
        }

    }

    /**
     * Heartbeat of one task: a task that takes a TaskContext must call heartbeat() at least once
     * per timeout.
     */
    public static final class Heartbeat {

        /**
         * Longest time the task may go without a heartbeat before it is stalled. Not set: no
         * heartbeat is watched.
         */
        private @Nullable Duration timeout;

        /**
         * What a missed heartbeat leads to: 'report' marks the task STALLED (DOWN in health) until
         * its next heartbeat; 'fail' treats the stall as a failure, which goes through the restart
         * policy. Defaults to report.
         */
        private @Nullable StallAction onStall;

        public @Nullable Duration getTimeout() {
            return this.timeout;
        }

        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = timeout;
        }

        public @Nullable StallAction getOnStall() {
            return this.onStall;
        }

        public void setOnStall(@Nullable StallAction onStall) {
            this.onStall = onStall;
        }


    }

}
