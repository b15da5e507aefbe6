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

package dev.criticaltask.spring.scheduling;

import java.lang.reflect.Method;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import dev.criticaltask.AsyncCriticalTask;
import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.Registration;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * One critical job: a critical {@code @Scheduled} or {@code void @Async} method,
 * supervised as an {@link AsyncCriticalTask} of the same name.
 *
 * <p>
 * Each attempt of the task is a stage that stays pending while the method's runs succeed,
 * and completes exceptionally with the first exception that escapes a run. The registry
 * then applies the task's restart policy: a restart calls {@link #start} again for a
 * fresh pending stage, and an escalation cancels the root. Cancelling an attempt's token
 * (a shutdown, or the task's own {@code cancel()}) ends its stage, which is a graceful
 * stop ({@code CANCELLED}).
 *
 * <p>
 * A failure that arrives while no attempt is pending (before the lifecycle spawned the
 * task, or between a failure and its restart) is queued, up to
 * {@value #MAX_QUEUED_FAILURES}, and fails the next attempt at once; one that arrives
 * after the task stopped for good, or while the registry stops, is only logged at WARN:
 * the application is already shutting down.
 *
 * <p>
 * Thread-safe: runs report from scheduler and executor threads while the registry starts
 * and cancels attempts from its own. {@link CriticalJobs} registers the jobs; the
 * auto-configuration turns each into a task.
 */
public final class CriticalJob implements AsyncCriticalTask {

    /**
     * Failures kept while no attempt is pending; each one fails an attempt, so a few are
     * plenty.
     */
    static final int MAX_QUEUED_FAILURES = 16;

    private static final Log logger = LogFactory.getLog(CriticalJob.class);

    private final String name;

    private final String beanName;

    private final Method method;

    private final CriticalJobStatus.Trigger trigger;

    private final Object lock = new Object();

    // guarded by lock: the supervision state

    private @Nullable CompletableFuture<@Nullable Void> attempt;

    /**
     * Set when an attempt was cancelled: no attempt follows, and nothing will read the
     * queue.
     */
    private boolean stopped;

    private final ArrayDeque<Throwable> queued = new ArrayDeque<>();

    /** Set when the lifecycle collects the task; before that, failures are queued. */
    private @Nullable CriticalTaskRegistry registry;

    // guarded by lock: the runs

    private long runs;

    private long failures;

    private @Nullable Run lastRun;

    private @Nullable Duration lastRunDuration;

    private CriticalJobStatus.@Nullable Outcome lastOutcome;

    private @Nullable String lastFailure;

    CriticalJob(String name, String beanName, Method method, CriticalJobStatus.Trigger trigger) {
        this.name = name;
        this.beanName = beanName;
        this.method = method;
        this.trigger = trigger;
    }

    /**
     * The name of the job's critical task.
     * @return the name
     */
    public String name() {
        return this.name;
    }

    /**
     * The bean that declares the method.
     * @return the bean's name
     */
    public String beanName() {
        return this.beanName;
    }

    /**
     * The method that runs.
     * @return the method, as its bean's class declares it
     */
    public Method method() {
        return this.method;
    }

    /**
     * What runs the method.
     * @return the trigger
     */
    public CriticalJobStatus.Trigger trigger() {
        return this.trigger;
    }

    /**
     * The method as {@code SimpleClassName.method(ParameterTypes)}, for messages.
     * @return the description
     */
    public String methodDescription() {
        return describe(this.method);
    }

    static String describe(Method method) {
        StringBuilder description = new StringBuilder(method.getDeclaringClass().getSimpleName()).append('.')
            .append(method.getName())
            .append('(');
        Class<?>[] parameters = method.getParameterTypes();
        for (int i = 0; i < parameters.length; i++) {
            description.append(i > 0 ? ", " : "").append(parameters[i].getSimpleName());
        }
        return description.append(')').toString();
    }

    /**
     * Whether the job's task has a leadership role that this instance does not hold: its
     * runs are skipped then.
     */
    boolean isStandby() {
        CriticalTaskRegistry supervisor;
        synchronized (this.lock) {
            supervisor = this.registry;
        }
        return supervisor != null && supervisor.find(this.name)
            .filter((task) -> task.state() == dev.criticaltask.TaskState.STANDBY)
            .isPresent();
    }

    void supervisedBy(CriticalTaskRegistry registry) {
        synchronized (this.lock) {
            this.registry = registry;
        }
    }

    /**
     * Starts an attempt: a stage that stays pending while the method's runs succeed.
     * @param cancellation the attempt's token; cancelling it ends the stage normally, a
     * graceful stop
     * @return the attempt's stage, failed at once by a failure that came while none was
     * pending
     */
    @Override
    public CompletionStage<?> start(CancellationToken cancellation) {
        CompletableFuture<@Nullable Void> stage = new CompletableFuture<>();
        synchronized (this.lock) {
            Throwable early = this.queued.poll();
            if (early != null) {
                // a failure that arrived while no attempt was pending fails this one at
                // once
                stage.completeExceptionally(early);
                return stage;
            }
            this.attempt = stage;
            this.stopped = false;
        }
        // The job watches the token itself and ends the attempt gracefully: it completes
        // the stage
        // normally, which with a cancelled token is a graceful stop. It hands out a
        // minimal stage (whose
        // toCompletableFuture is a copy), so that the job alone decides how its attempt
        // ends.
        Registration watch = cancellation.onCancel(() -> attemptCancelled(stage));
        stage.whenComplete((result, thrown) -> watch.close());
        return stage.minimalCompletionStage();
    }

    private void attemptCancelled(CompletableFuture<@Nullable Void> stage) {
        synchronized (this.lock) {
            if (this.attempt == stage) {
                this.attempt = null;
                this.stopped = true;
            }
        }
        stage.complete(null);
    }

    /** Records that a run started; pass what it returns to {@link #runEnded}. */
    Run runStarted() {
        Run run = new Run(Instant.now(), System.nanoTime());
        synchronized (this.lock) {
            this.runs++;
            this.lastRun = run;
            this.lastRunDuration = null;
            this.lastOutcome = CriticalJobStatus.Outcome.RUNNING;
        }
        return run;
    }

    /**
     * Records how a run ended and, when it failed, fails the current attempt (or queues
     * or logs the failure, see the class comment). Never throws.
     */
    void runEnded(Run run, @Nullable Throwable failure) {
        Duration took = Duration.ofNanos(System.nanoTime() - run.startNanos());
        synchronized (this.lock) {
            if (failure != null) {
                this.failures++;
                this.lastFailure = failure.getClass().getName();
            }
            // with overlapping runs, the status describes the one that started last
            if (this.lastRun == run) {
                this.lastRunDuration = took;
                this.lastOutcome = failure != null ? CriticalJobStatus.Outcome.FAILURE
                        : CriticalJobStatus.Outcome.SUCCESS;
            }
        }
        if (failure != null) {
            fail(failure);
        }
    }

    void fail(Throwable failure) {
        CompletableFuture<@Nullable Void> current;
        boolean late = false;
        boolean dropped = false;
        boolean closing;
        synchronized (this.lock) {
            closing = isClosing();
            if (closing) {
                // the registry stops: whether or not its cancel has reached this job's
                // attempt yet,
                // the failure is not what shuts the application down
                current = null;
                late = true;
            }
            else {
                current = this.attempt;
                this.attempt = null;
            }
            if (current == null && !late) {
                if (this.stopped) {
                    late = true;
                }
                else if (this.queued.size() < MAX_QUEUED_FAILURES) {
                    this.queued.add(failure);
                }
                else {
                    dropped = true;
                }
            }
        }
        if (current != null && !current.completeExceptionally(failure)) {
            // the attempt ended a moment ago because its token was cancelled: the task is
            // stopping
            late = true;
        }
        if (late) {
            // A stop that is not a close (the context stopped or paused) ends the task
            // gracefully; the next start runs it again, and its failures count from then.
            logger.warn("Critical job '" + this.name + "' (" + methodDescription() + " of bean '" + this.beanName
                    + "') failed after its task had stopped; "
                    + (closing ? "the application is shutting down: "
                            : "it runs again when the application context starts, and only then do its failures "
                                    + "shut the application down: ")
                    + failure);
        }
        else if (dropped) {
            logger.warn("Critical job '" + this.name + "' failed while " + MAX_QUEUED_FAILURES
                    + " earlier failures were waiting for its next attempt; this one only counts: " + failure);
        }
    }

    /** Guarded by lock. */
    private boolean isClosing() {
        CriticalTaskRegistry supervisor = this.registry;
        return supervisor != null && (supervisor.isStopping() || supervisor.rootToken().isCancelled());
    }

    CriticalJobStatus status(@Nullable String schedule, @Nullable Instant nextRunAt) {
        synchronized (this.lock) {
            Run run = this.lastRun;
            return new CriticalJobStatus(this.name, this.trigger, this.beanName, methodDescription(), schedule,
                    nextRunAt, run != null ? run.startedAt() : null, this.lastRunDuration, this.lastOutcome,
                    this.lastFailure, this.runs, this.failures);
        }
    }

    @Override
    public String toString() {
        return "CriticalJob[" + this.name + " = " + methodDescription() + " of bean '" + this.beanName + "']";
    }

    /** One run of the method. */
    record Run(Instant startedAt, long startNanos) {
    }

}
