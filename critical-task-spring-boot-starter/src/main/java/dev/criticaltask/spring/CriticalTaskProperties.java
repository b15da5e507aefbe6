package dev.criticaltask.spring;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.SmartLifecycle;

/**
 * Configuration properties for critical tasks.
 *
 * <p>Validated in code when the auto-configuration starts, so that no Bean Validation provider is
 * needed: an invalid value fails start-up with a message that names the property.
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

    /** The highest exit code a process can report. */
    static final int MAX_EXIT_CODE = 255;

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

    /**
     * Checks every value; called once when the auto-configuration is created.
     *
     * @throws InvalidCriticalTaskPropertyException naming the first invalid property
     */
    void validate() {
        Duration grace = this.shutdown.getGracePeriod();
        if (grace == null || grace.isNegative()) {
            throw new InvalidCriticalTaskPropertyException("critical-task.shutdown.grace-period", grace,
                    "it must be zero or positive",
                    "a duration such as 20s, below spring.lifecycle.timeout-per-shutdown-phase (30s by default)");
        }
        int exitCode = this.shutdown.getExitCode();
        if (exitCode < 1 || exitCode > MAX_EXIT_CODE) {
            throw new InvalidCriticalTaskPropertyException("critical-task.shutdown.exit-code", exitCode,
                    "a process can only report 1 to " + MAX_EXIT_CODE
                            + " as a failure (0 means success, larger values wrap around)",
                    "a number from 1 to " + MAX_EXIT_CODE);
        }
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

}
