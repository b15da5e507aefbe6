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

package dev.criticaltask.spring.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.criticaltask.StallAction;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.SmartLifecycle;

/**
 * Configuration properties for critical tasks. Data only:
 * {@code CriticalTaskPropertiesValidator} checks the values when the auto-configuration
 * starts, so that no Bean Validation provider is needed and an invalid value fails
 * start-up with a message that names the property.
 */
@ConfigurationProperties("critical-task")
public final class CriticalTaskProperties {

    /**
     * Creates the properties with their defaults; binding {@code critical-task.*}
     * overrides them.
     */
    public CriticalTaskProperties() {
    }

    /**
     * The default lifecycle phase: below Boot's web server lifecycles (the web server
     * starts at {@code SmartLifecycle.DEFAULT_PHASE - 2048} and shuts down gracefully at
     * {@code DEFAULT_PHASE - 1024}), so tasks start before the server takes traffic and
     * stop after it has drained.
     */
    public static final int DEFAULT_PHASE = SmartLifecycle.DEFAULT_PHASE - 4096;

    /**
     * Whether to run CriticalTask beans and turn a task failure into an application
     * shutdown.
     */
    private boolean enabled = true;

    /**
     * Lifecycle phase in which critical tasks start and stop. The default starts them
     * before the web server takes traffic and stops them after it has drained.
     */
    private int phase = DEFAULT_PHASE;

    private final Shutdown shutdown = new Shutdown();

    private final Threads threads = new Threads();

    private final Scheduling scheduling = new Scheduling();

    /**
     * Supervision of single tasks, by task name: the bean name of a CriticalTask,
     * SupervisedTask, AsyncCriticalTask or ReactiveCriticalTask bean, the name of a
     * CriticalTaskSpec bean, or the name of a critical @Scheduled or @Async method, which
     * contains a dot and so needs brackets:
     * 'critical-task.tasks[bean.method].restart.max-restarts'. A value set here wins over
     * the same setting made in code.
     */
    private final Map<String, Task> tasks = new LinkedHashMap<>();

    private final Leadership leadership = new Leadership();

    /**
     * The leader election behind the tasks' leadership roles.
     * @return the leadership setting
     */
    public Leadership getLeadership() {
        return this.leadership;
    }

    /**
     * Whether to run CriticalTask beans and turn a task failure into an application
     * shutdown.
     * @return the enabled setting
     */
    public boolean isEnabled() {
        return this.enabled;
    }

    /**
     * Sets the enabled setting. Whether to run CriticalTask beans and turn a task failure
     * into an application shutdown.
     * @param enabled the new setting
     */
    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    /**
     * Lifecycle phase in which critical tasks start and stop.
     * @return the phase setting
     */
    public int getPhase() {
        return this.phase;
    }

    /**
     * Sets the phase setting. Lifecycle phase in which critical tasks start and stop.
     * @param phase the new setting
     */
    public void setPhase(int phase) {
        this.phase = phase;
    }

    /**
     * The shutdown properties.
     * @return the shutdown setting
     */
    public Shutdown getShutdown() {
        return this.shutdown;
    }

    /**
     * The threads properties.
     * @return the threads setting
     */
    public Threads getThreads() {
        return this.threads;
    }

    /**
     * The scheduling properties.
     * @return the scheduling setting
     */
    public Scheduling getScheduling() {
        return this.scheduling;
    }

    /**
     * Supervision of single tasks, by task name: the bean name of a CriticalTask,
     * SupervisedTask, AsyncCriticalTask or ReactiveCriticalTask bean, the name of a
     * CriticalTaskSpec bean, or the name of a critical @Scheduled or @Async method, which
     * contains a dot and so needs brackets:
     * 'critical-task.tasks[bean.method].restart.max-restarts'.
     * @return the tasks setting
     */
    public Map<String, Task> getTasks() {
        return this.tasks;
    }

    /**
     * Shutdown properties.
     */
    public static final class Shutdown {

        /**
         * Creates these properties with their defaults; binding overrides them.
         */
        public Shutdown() {
        }

        /**
         * How long tasks get to stop after their token was cancelled before they are
         * interrupted. The stop also waits one more second for interrupted tasks, and all
         * of it has to fit inside 'spring.lifecycle.timeout-per-shutdown-phase' (30s by
         * default), or Spring moves on before the stop report, which names each task that
         * did not stop, is logged.
         */
        private Duration gracePeriod = Duration.ofSeconds(20);

        /**
         * The failure's own exit code: the process's after a task failure, unless an
         * ExitCodeExceptionMapper gives the failed task's cause a code, or an
         * ExitCodeGenerator bean of the application gives one. From 1 to 255.
         */
        private int exitCode = 1;

        /**
         * Whether to end the process, once a task failure has closed the application
         * context, with the exit code worked out by Spring Boot's rules (the
         * application's ExitCodeGenerators, the ExitCodeExceptionMappers, then
         * 'critical-task.shutdown.exit-code'). The process is never exited from a test
         * context, nor while the JVM is already shutting down.
         */
        private boolean exitProcess = true;

        /**
         * File to write the termination message to after a task failure: one line naming
         * the task and the class of what it threw, never its message. When not set,
         * '/dev/termination-log' where that file exists and is writable (never inside a
         * test). Empty turns it off.
         */
        private @Nullable String terminationMessagePath;

        /**
         * How long tasks get to stop after their token was cancelled before they are
         * interrupted.
         * @return the grace-period setting
         */
        public Duration getGracePeriod() {
            return this.gracePeriod;
        }

        /**
         * Sets the grace-period setting. How long tasks get to stop after their token was
         * cancelled before they are interrupted.
         * @param gracePeriod the new setting
         */
        public void setGracePeriod(Duration gracePeriod) {
            this.gracePeriod = gracePeriod;
        }

        /**
         * The failure's own exit code: the process's after a task failure, unless an
         * ExitCodeExceptionMapper or an ExitCodeGenerator bean of the application gives
         * one.
         * @return the exit-code setting
         */
        public int getExitCode() {
            return this.exitCode;
        }

        /**
         * Sets the exit-code setting. The failure's own exit code: the process's after a
         * task failure, unless an ExitCodeExceptionMapper or an ExitCodeGenerator bean of
         * the application gives one.
         * @param exitCode the new setting
         */
        public void setExitCode(int exitCode) {
            this.exitCode = exitCode;
        }

        /**
         * Whether to end the process, once a task failure has closed the application
         * context, with the exit code worked out by Spring Boot's rules (the
         * application's ExitCodeGenerators, the ExitCodeExceptionMappers, then
         * 'critical-task.shutdown.exit-code').
         * @return the exit-process setting
         */
        public boolean isExitProcess() {
            return this.exitProcess;
        }

        /**
         * Sets the exit-process setting. Whether to end the process, once a task failure
         * has closed the application context, with the exit code worked out by Spring
         * Boot's rules (the application's ExitCodeGenerators, the
         * ExitCodeExceptionMappers, then 'critical-task.shutdown.exit-code').
         * @param exitProcess the new setting
         */
        public void setExitProcess(boolean exitProcess) {
            this.exitProcess = exitProcess;
        }

        /**
         * File to write the termination message to after a task failure.
         * @return the termination-message-path setting, or {@code null} for the default
         */
        public @Nullable String getTerminationMessagePath() {
            return this.terminationMessagePath;
        }

        /**
         * Sets the termination-message-path setting. File to write the termination
         * message to after a task failure; empty turns it off.
         * @param terminationMessagePath the new setting
         */
        public void setTerminationMessagePath(@Nullable String terminationMessagePath) {
            this.terminationMessagePath = terminationMessagePath;
        }

    }

    /**
     * Thread properties.
     */
    public static final class Threads {

        /**
         * Creates these properties with their defaults; binding overrides them.
         */
        public Threads() {
        }

        /**
         * Whether tasks run on virtual threads. When not set, follows
         * 'spring.threads.virtual.enabled'. Virtual threads need Java 21 or later:
         * setting this to true on an older Java fails start-up.
         */
        private @Nullable Boolean virtual;

        /**
         * Whether tasks run on virtual threads.
         * @return the virtual setting
         */
        public @Nullable Boolean getVirtual() {
            return this.virtual;
        }

        /**
         * Sets the virtual setting. Whether tasks run on virtual threads.
         * @param virtual the new setting
         */
        public void setVirtual(@Nullable Boolean virtual) {
            this.virtual = virtual;
        }

    }

    /**
     * Critical {@code @Scheduled} and {@code @Async} methods. Read from the environment
     * when the bean post-processor that finds them is created, long before this class is
     * bound; it is here so that the property is documented in the metadata.
     */
    public static final class Scheduling {

        /**
         * Creates these properties with their defaults; binding overrides them.
         */
        public Scheduling() {
        }

        /**
         * Whether every @Scheduled method and every @Async method that returns void is
         * critical, as if it were annotated @Critical: an exception escaping it fails a
         * critical task named '<beanName>.<methodName>'.
         */
        private boolean allCritical;

        /**
         * Whether every @Scheduled method and every @Async method that returns void is
         * critical, as if it were annotated @Critical: an exception escaping it fails a
         * critical task named {@code <beanName>.<methodName>}.
         * @return the all-critical setting
         */
        public boolean isAllCritical() {
            return this.allCritical;
        }

        /**
         * Sets the all-critical setting. Whether every @Scheduled method and every @Async
         * method that returns void is critical, as if it were annotated @Critical: an
         * exception escaping it fails a critical task named
         * {@code <beanName>.<methodName>}.
         * @param allCritical the new setting
         */
        public void setAllCritical(boolean allCritical) {
            this.allCritical = allCritical;
        }

    }

    /**
     * Supervision of one task. Each value left unset keeps what the task's definition
     * sets in code, or else the default.
     */
    public static final class Task {

        /**
         * Creates these properties with their defaults; binding overrides them.
         */
        public Task() {
        }

        private final Restart restart = new Restart();

        private final Heartbeat heartbeat = new Heartbeat();

        private final TaskLeadership leadership = new TaskLeadership();

        /**
         * The leadership properties.
         * @return the leadership setting
         */
        public TaskLeadership getLeadership() {
            return this.leadership;
        }

        private final Startup startup = new Startup();

        /**
         * Names of the tasks this task depends on: it starts only once each of them is
         * ready (or has completed), stops before them, and is stopped and started again
         * when one of them restarts. Not set: what the task's definition sets in code, or
         * none.
         */
        private @Nullable List<String> dependsOn;

        private final Observations observations = new Observations();

        /**
         * The restart properties.
         * @return the restart setting
         */
        public Restart getRestart() {
            return this.restart;
        }

        /**
         * The start-up properties.
         * @return the startup setting
         */
        public Startup getStartup() {
            return this.startup;
        }

        /**
         * Names of the tasks this task depends on.
         * @return the depends-on setting
         */
        public @Nullable List<String> getDependsOn() {
            return this.dependsOn;
        }

        /**
         * Sets the depends-on setting. Names of the tasks this task depends on.
         * @param dependsOn the new setting
         */
        public void setDependsOn(@Nullable List<String> dependsOn) {
            this.dependsOn = dependsOn;
        }

        /**
         * The heartbeat properties.
         * @return the heartbeat setting
         */
        public Heartbeat getHeartbeat() {
            return this.heartbeat;
        }

        /**
         * The observation properties.
         * @return the observation setting
         */
        public Observations getObservations() {
            return this.observations;
        }

    }

    /**
     * Micrometer Observations of one task: of its attempts, or of its runs when it is a
     * critical job.
     */
    public static final class Observations {

        /**
         * Creates these properties with their defaults; binding overrides them.
         */
        public Observations() {
        }

        /**
         * Whether the task's attempts (or a critical job's runs) are observed when an
         * ObservationRegistry bean exists.
         */
        private boolean enabled = true;

        /**
         * Whether the task's attempts (or a critical job's runs) are observed.
         * @return the enabled setting
         */
        public boolean isEnabled() {
            return this.enabled;
        }

        /**
         * Sets the enabled setting. Whether the task's attempts (or a critical job's
         * runs) are observed.
         * @param enabled the new setting
         */
        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

    }

    /**
     * Restart policy of one task.
     */
    public static final class Restart {

        /**
         * Creates these properties with their defaults; binding overrides them.
         */
        public Restart() {
        }

        /**
         * How many times the task is run again within 'within' before a failure is fatal.
         * 0, the default, makes the first failure fatal.
         */
        private @Nullable Integer maxRestarts;

        /**
         * Sliding window in which 'max-restarts' count. Defaults to 1m.
         */
        private @Nullable Duration within;

        private final Backoff backoff = new Backoff();

        /**
         * How many times the task is run again within 'within' before a failure is fatal.
         * @return the max-restarts setting
         */
        public @Nullable Integer getMaxRestarts() {
            return this.maxRestarts;
        }

        /**
         * Sets the max-restarts setting. How many times the task is run again within
         * 'within' before a failure is fatal.
         * @param maxRestarts the new setting
         */
        public void setMaxRestarts(@Nullable Integer maxRestarts) {
            this.maxRestarts = maxRestarts;
        }

        /**
         * Sliding window in which 'max-restarts' count.
         * @return the within setting
         */
        public @Nullable Duration getWithin() {
            return this.within;
        }

        /**
         * Sets the within setting. Sliding window in which 'max-restarts' count.
         * @param within the new setting
         */
        public void setWithin(@Nullable Duration within) {
            this.within = within;
        }

        /**
         * The backoff properties.
         * @return the backoff setting
         */
        public Backoff getBackoff() {
            return this.backoff;
        }

    }

    /**
     * Backoff between restarts of one task.
     */
    public static final class Backoff {

        /**
         * Creates these properties with their defaults; binding overrides them.
         */
        public Backoff() {
        }

        /**
         * Backoff before the first restart in the window; each further restart waits
         * twice as long, with 20% jitter. Defaults to 100ms.
         */
        private @Nullable Duration initial;

        /**
         * Longest backoff between restarts. Defaults to 10s.
         */
        private @Nullable Duration max;

        /**
         * Backoff before the first restart in the window; each further restart waits
         * twice as long, with 20% jitter.
         * @return the initial setting
         */
        public @Nullable Duration getInitial() {
            return this.initial;
        }

        /**
         * Sets the initial setting. Backoff before the first restart in the window; each
         * further restart waits twice as long, with 20% jitter.
         * @param initial the new setting
         */
        public void setInitial(@Nullable Duration initial) {
            this.initial = initial;
        }

        /**
         * Longest backoff between restarts.
         * @return the max setting
         */
        public @Nullable Duration getMax() {
            return this.max;
        }

        /**
         * Sets the max setting. Longest backoff between restarts.
         * @param max the new setting
         */
        public void setMax(@Nullable Duration max) {
            this.max = max;
        }

    }

    /**
     * Heartbeat of one task: a task that takes a TaskContext must call heartbeat() at
     * least once per timeout.
     */
    public static final class Heartbeat {

        /**
         * Creates these properties with their defaults; binding overrides them.
         */
        public Heartbeat() {
        }

        /**
         * Longest time the task may go without a heartbeat before it is stalled. Not set:
         * no heartbeat is watched.
         */
        private @Nullable Duration timeout;

        /**
         * What a missed heartbeat leads to: 'report' marks the task STALLED (DOWN in
         * health) until its next heartbeat; 'fail' treats the stall as a failure, which
         * goes through the restart policy. Defaults to report.
         */
        private @Nullable StallAction onStall;

        /**
         * Longest time the task may go without a heartbeat before it is stalled.
         * @return the timeout setting
         */
        public @Nullable Duration getTimeout() {
            return this.timeout;
        }

        /**
         * Sets the timeout setting. Longest time the task may go without a heartbeat
         * before it is stalled.
         * @param timeout the new setting
         */
        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = timeout;
        }

        /**
         * What a missed heartbeat leads to: 'report' marks the task STALLED (DOWN in
         * health) until its next heartbeat; 'fail' treats the stall as a failure, which
         * goes through the restart policy.
         * @return the on-stall setting
         */
        public @Nullable StallAction getOnStall() {
            return this.onStall;
        }

        /**
         * Sets the on-stall setting. What a missed heartbeat leads to: 'report' marks the
         * task STALLED (DOWN in health) until its next heartbeat; 'fail' treats the stall
         * as a failure, which goes through the restart policy.
         * @param onStall the new setting
         */
        public void setOnStall(@Nullable StallAction onStall) {
            this.onStall = onStall;
        }

    }

    /**
     * Leadership of one task.
     */
    public static final class TaskLeadership {

        /**
         * Creates these properties with their defaults; binding overrides them.
         */
        public TaskLeadership() {
        }

        /**
         * Leadership role: the task (or critical job) runs only while this instance leads
         * the role, and waits in STANDBY otherwise. Tasks that name the same role start
         * and stop together. Unset: the task runs on every instance.
         */
        private @Nullable String role;

        /**
         * The role.
         * @return the role, or null
         */
        public @Nullable String getRole() {
            return this.role;
        }

        /**
         * Sets the role.
         * @param role the role
         */
        public void setRole(@Nullable String role) {
            this.role = role;
        }

    }

    /**
     * Which election grants the leadership roles.
     */
    public enum Election {

        /** A LockRegistry bean when there is one, else local leadership. */
        AUTO,
        /** A LockRegistry bean; start-up fails without one. */
        LOCK_REGISTRY,
        /** Local leadership: this instance leads every role. */
        LOCAL

    }

    /**
     * When the leadership tables are created.
     */
    public enum InitializeSchema {

        /** Only in an embedded database (H2, HSQLDB, Derby). */
        EMBEDDED,
        /** Always (CREATE TABLE IF NOT EXISTS). */
        ALWAYS,
        /** Never: create them yourself with the documented script. */
        NEVER

    }

    /**
     * The leader election behind the tasks' leadership roles.
     */
    public static final class Leadership {

        /**
         * Creates these properties with their defaults; binding overrides them.
         */
        public Leadership() {
        }

        /**
         * Which election grants the roles: 'auto' uses a LockRegistry bean when there is
         * one and local leadership otherwise; 'lock-registry' fails start-up without one
         * (for production); 'local' always grants every role to this instance.
         */
        private Election election = Election.AUTO;

        /**
         * Name of the LockRegistry bean to elect with, when there are several.
         */
        private @Nullable String lockRegistry;

        /**
         * How often the leader renews its lock.
         */
        private Duration heartbeat = Duration.ofMillis(500);

        /**
         * Pause after a revocation or an error before competing again.
         */
        private Duration busyWait = Duration.ofMillis(50);

        private final Lease lease = new Lease();

        private final LeadershipRestart restart = new LeadershipRestart();

        private final Jdbc jdbc = new Jdbc();

        /**
         * The election.
         * @return the election setting
         */
        public Election getElection() {
            return this.election;
        }

        /**
         * Sets the election.
         * @param election the election
         */
        public void setElection(Election election) {
            this.election = election;
        }

        /**
         * The lock registry bean's name.
         * @return the name, or null
         */
        public @Nullable String getLockRegistry() {
            return this.lockRegistry;
        }

        /**
         * Sets the lock registry bean's name.
         * @param lockRegistry the name
         */
        public void setLockRegistry(@Nullable String lockRegistry) {
            this.lockRegistry = lockRegistry;
        }

        /**
         * The renewal period.
         * @return the heartbeat setting
         */
        public Duration getHeartbeat() {
            return this.heartbeat;
        }

        /**
         * Sets the renewal period.
         * @param heartbeat the period
         */
        public void setHeartbeat(Duration heartbeat) {
            this.heartbeat = heartbeat;
        }

        /**
         * The pause before competing again.
         * @return the busy-wait setting
         */
        public Duration getBusyWait() {
            return this.busyWait;
        }

        /**
         * Sets the pause before competing again.
         * @param busyWait the pause
         */
        public void setBusyWait(Duration busyWait) {
            this.busyWait = busyWait;
        }

        /**
         * The lease properties.
         * @return the lease setting
         */
        public Lease getLease() {
            return this.lease;
        }

        /**
         * The engine's restart properties.
         * @return the restart setting
         */
        public LeadershipRestart getRestart() {
            return this.restart;
        }

        /**
         * The JDBC lock registry's properties.
         * @return the jdbc setting
         */
        public Jdbc getJdbc() {
            return this.jdbc;
        }

    }

    /**
     * The leader's lease.
     */
    public static final class Lease {

        /**
         * Creates these properties with their defaults; binding overrides them.
         */
        public Lease() {
        }

        /**
         * The lock's time-to-live: a crashed leader's role passes to another instance
         * after about this long. For the JdbcLockRegistry created here; with a
         * LockRegistry of your own, set it to that registry's expiry, which the lease
         * guard uses.
         */
        private Duration timeToLive = Duration.ofSeconds(10);

        /**
         * The lease guard stops the role's tasks after 'time-to-live' minus this without
         * a confirmed renewal, before the lock can expire under them. Must cover clock
         * skew between instances plus the tasks' stop time.
         */
        private Duration margin = Duration.ofSeconds(2);

        /**
         * The time-to-live.
         * @return the time-to-live setting
         */
        public Duration getTimeToLive() {
            return this.timeToLive;
        }

        /**
         * Sets the time-to-live.
         * @param timeToLive the time-to-live
         */
        public void setTimeToLive(Duration timeToLive) {
            this.timeToLive = timeToLive;
        }

        /**
         * The margin.
         * @return the margin setting
         */
        public Duration getMargin() {
            return this.margin;
        }

        /**
         * Sets the margin.
         * @param margin the margin
         */
        public void setMargin(Duration margin) {
            this.margin = margin;
        }

    }

    /**
     * Restart policy of the leader election itself (errors of its lock store).
     */
    public static final class LeadershipRestart {

        /**
         * Creates these properties with their defaults; binding overrides them.
         */
        public LeadershipRestart() {
        }

        /**
         * Engine errors (lock store unreachable, lock table missing, lease not confirmed)
         * tolerated within 'within'; one more is critical, as a task's own failure is.
         */
        private int maxRestarts = 10;

        /**
         * Sliding window in which engine errors count.
         */
        private Duration within = Duration.ofMinutes(5);

        private final LeadershipBackoff backoff = new LeadershipBackoff();

        /**
         * The errors tolerated.
         * @return the max-restarts setting
         */
        public int getMaxRestarts() {
            return this.maxRestarts;
        }

        /**
         * Sets the errors tolerated.
         * @param maxRestarts the count
         */
        public void setMaxRestarts(int maxRestarts) {
            this.maxRestarts = maxRestarts;
        }

        /**
         * The window.
         * @return the within setting
         */
        public Duration getWithin() {
            return this.within;
        }

        /**
         * Sets the window.
         * @param within the window
         */
        public void setWithin(Duration within) {
            this.within = within;
        }

        /**
         * The backoff properties.
         * @return the backoff setting
         */
        public LeadershipBackoff getBackoff() {
            return this.backoff;
        }

    }

    /**
     * Backoff of the leader election after an engine error.
     */
    public static final class LeadershipBackoff {

        /**
         * Creates these properties with their defaults; binding overrides them.
         */
        public LeadershipBackoff() {
        }

        /**
         * Pause before competing again after the first error; it doubles with each error
         * in a row, with 20% jitter.
         */
        private Duration initial = Duration.ofMillis(500);

        /**
         * Longest pause.
         */
        private Duration max = Duration.ofSeconds(30);

        /**
         * The first pause.
         * @return the initial setting
         */
        public Duration getInitial() {
            return this.initial;
        }

        /**
         * Sets the first pause.
         * @param initial the pause
         */
        public void setInitial(Duration initial) {
            this.initial = initial;
        }

        /**
         * The longest pause.
         * @return the max setting
         */
        public Duration getMax() {
            return this.max;
        }

        /**
         * Sets the longest pause.
         * @param max the pause
         */
        public void setMax(Duration max) {
            this.max = max;
        }

    }

    /**
     * The JdbcLockRegistry created on the DataSource when there is no LockRegistry bean.
     */
    public static final class Jdbc {

        /**
         * Creates these properties with their defaults; binding overrides them.
         */
        public Jdbc() {
        }

        /**
         * INT_LOCK.REGION of the leadership locks.
         */
        private String region = "critical-task";

        /**
         * Spring Integration's table prefix.
         */
        private String tablePrefix = "INT_";

        /**
         * When to create CRITICAL_TASK_LEADER_TERM and INT_LOCK (if missing).
         */
        private InitializeSchema initializeSchema = InitializeSchema.EMBEDDED;

        /**
         * The region.
         * @return the region setting
         */
        public String getRegion() {
            return this.region;
        }

        /**
         * Sets the region.
         * @param region the region
         */
        public void setRegion(String region) {
            this.region = region;
        }

        /**
         * The table prefix.
         * @return the table-prefix setting
         */
        public String getTablePrefix() {
            return this.tablePrefix;
        }

        /**
         * Sets the table prefix.
         * @param tablePrefix the prefix
         */
        public void setTablePrefix(String tablePrefix) {
            this.tablePrefix = tablePrefix;
        }

        /**
         * When to create the tables.
         * @return the initialize-schema setting
         */
        public InitializeSchema getInitializeSchema() {
            return this.initializeSchema;
        }

        /**
         * Sets when to create the tables.
         * @param initializeSchema when
         */
        public void setInitializeSchema(InitializeSchema initializeSchema) {
            this.initializeSchema = initializeSchema;
        }

    }

    /**
     * Start-up of one task: whether the application waits for the task to say it is
     * ready, and how long the task has to.
     */
    public static final class Startup {

        /**
         * Creates these properties with their defaults; binding overrides them.
         */
        public Startup() {
        }

        /**
         * Whether the task is ready only once it calls TaskContext.ready(): until every
         * such task is ready, the application's readiness state stays REFUSING_TRAFFIC
         * and the tasks that depend on it wait. Needs a SupervisedTask or
         * SupervisedAsyncTask bean. Defaults to false: a task is ready once it starts.
         */
        private @Nullable Boolean awaitReady;

        /**
         * How long each attempt of the task has to become ready before it has failed
         * (with a TaskStartTimeoutException, which goes through the restart policy).
         * Needs 'await-ready'. Not set: no limit.
         */
        private @Nullable Duration timeout;

        /**
         * Whether the task is ready only once it calls TaskContext.ready().
         * @return the await-ready setting
         */
        public @Nullable Boolean getAwaitReady() {
            return this.awaitReady;
        }

        /**
         * Sets the await-ready setting. Whether the task is ready only once it calls
         * TaskContext.ready().
         * @param awaitReady the new setting
         */
        public void setAwaitReady(@Nullable Boolean awaitReady) {
            this.awaitReady = awaitReady;
        }

        /**
         * How long each attempt of the task has to become ready before it has failed.
         * @return the timeout setting
         */
        public @Nullable Duration getTimeout() {
            return this.timeout;
        }

        /**
         * Sets the timeout setting. How long each attempt of the task has to become ready
         * before it has failed.
         * @param timeout the new setting
         */
        public void setTimeout(@Nullable Duration timeout) {
            this.timeout = timeout;
        }

    }

}
