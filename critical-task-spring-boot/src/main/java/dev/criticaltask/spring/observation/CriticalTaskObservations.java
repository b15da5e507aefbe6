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

package dev.criticaltask.spring.observation;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import dev.criticaltask.AsyncCriticalTask;
import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskListener;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.Registration;
import dev.criticaltask.StallReport;
import dev.criticaltask.SupervisedTask;
import dev.criticaltask.spring.scheduling.CriticalJob;
import dev.criticaltask.spring.scheduling.CriticalJobRunObserver;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Micrometer Observations of critical tasks.
 * <ul>
 * <li>{@value #ATTEMPT}: one per attempt of a task, from its start until it completes,
 * fails or stops, opened in scope on the thread that runs it, so that a tracer's trace
 * and span ids are in that thread's logging context (MDC) while the attempt runs. A task
 * that runs for days is one observation that long. A restart begins a new one.
 * <li>{@value #JOB_RUN}: one per run of a critical {@code @Scheduled} or {@code @Async}
 * method, in scope on the thread that runs it.
 * </ul>
 * Low-cardinality keys: {@value #TASK} (the task's name), {@value #OUTCOME}
 * ({@code completed}, {@code cancelled} or {@code failed} for an attempt; {@code success}
 * or {@code failure} for a job run), {@value #EXCEPTION} (the simple class name of what
 * the attempt or run threw, or {@code none}) and, on attempts, {@value #RESTART_CAUSE}
 * (the simple class name of the failure that restarted the task into this attempt, or
 * {@code none}). High-cardinality: {@value #ATTEMPT_NUMBER} (from 1) and
 * {@value #EXCEPTION_TYPE} (the fully qualified class). The exception itself goes to
 * {@link Observation#error(Throwable)}; no key holds its message.
 *
 * <p>
 * Observation events on the attempt's observation: {@value #STALLED_EVENT} when it misses
 * its heartbeat, and {@value #RESTARTED_EVENT}, at the start of an attempt that a restart
 * runs, naming the cause and the backoff.
 *
 * <p>
 * A task for which {@code enabled} answers false is not observed at all. Thread-safe: the
 * attempts and runs are observed on their own threads, the stalls on the supervision
 * timer's.
 */
public final class CriticalTaskObservations implements CriticalTaskListener {

    /** The name of the observation of an attempt. */
    public static final String ATTEMPT = "critical.task.attempt";

    /** The name of the observation of a critical job's run. */
    public static final String JOB_RUN = "critical.task.job.run";

    /** The event of an attempt that missed its heartbeat. */
    public static final String STALLED_EVENT = "critical.task.stalled";

    /** The event at the start of an attempt that a restart runs. */
    public static final String RESTARTED_EVENT = "critical.task.restarted";

    /** The low-cardinality key of the task's name. */
    public static final String TASK = "task";

    /** The low-cardinality key of how the attempt or run ended. */
    public static final String OUTCOME = "outcome";

    /** The low-cardinality key of the simple class name of what was thrown. */
    public static final String EXCEPTION = "exception";

    /** The low-cardinality key of the simple class name of the failure that restarted. */
    public static final String RESTART_CAUSE = "restart.cause";

    /** The high-cardinality key of the attempt's number. */
    public static final String ATTEMPT_NUMBER = "attempt";

    /** The high-cardinality key of the fully qualified class name of what was thrown. */
    public static final String EXCEPTION_TYPE = "exception.type";

    private static final String NONE = "none";

    private final ObservationRegistry observationRegistry;

    private final Predicate<String> enabled;

    /** The running attempt, by task name: what a stall's event goes to. */
    private final Map<String, RunningAttempt> running = new ConcurrentHashMap<>();

    /** Why each task restarts, from its restart until its next attempt starts. */
    private final Map<String, Restart> restarts = new ConcurrentHashMap<>();

    /**
     * Creates the observations.
     * @param observationRegistry where to observe
     * @param enabled whether the task of a name is observed
     */
    public CriticalTaskObservations(ObservationRegistry observationRegistry, Predicate<String> enabled) {
        this.observationRegistry = Objects.requireNonNull(observationRegistry, "observationRegistry must not be null");
        this.enabled = Objects.requireNonNull(enabled, "enabled must not be null");
    }

    /**
     * Hears the restarts and stalls of a registry's tasks, for the events.
     * @param registry the registry whose tasks {@link #observe} observes
     * @return the registration, whose {@code close()} stops it
     */
    public Registration bindTo(CriticalTaskRegistry registry) {
        return registry.addListener(this);
    }

    /**
     * The spec with each attempt observed, or the spec itself when its task is not.
     * @param spec the task
     * @return the observed task
     */
    public CriticalTaskSpec observe(CriticalTaskSpec spec) {
        String name = spec.name();
        if (!this.enabled.test(name)) {
            return spec;
        }
        return spec.withDecoratedTask((task) -> observed(name, task), (task) -> observed(name, task));
    }

    /**
     * Starts the observation of a job's run, in scope on the calling thread; a
     * {@link CriticalJobRunObserver}.
     * @param job the job
     * @return what ends it
     */
    public CriticalJobRunObserver.RunEnd jobRunStarting(CriticalJob job) {
        if (!this.enabled.test(job.name())) {
            return (failure) -> {
            };
        }
        Observation observation = Observation.createNotStarted(JOB_RUN, this.observationRegistry)
            .contextualName("critical job " + job.name())
            .lowCardinalityKeyValue(TASK, job.name())
            .start();
        Observation.Scope scope = observation.openScope();
        return (failure) -> {
            scope.close();
            observation.lowCardinalityKeyValue(OUTCOME, (failure != null) ? "failure" : "success");
            thrown(observation, failure);
            observation.stop();
        };
    }

    private SupervisedTask observed(String name, SupervisedTask task) {
        return (context) -> {
            RunningAttempt attempt = attemptStarted(name, context.attempt());
            Throwable thrown = null;
            try (Observation.Scope scope = attempt.observation().openScope()) {
                task.run(context);
            }
            catch (Throwable ex) {
                thrown = ex;
                throw ex;
            }
            finally {
                attemptEnded(name, attempt, context.cancellation(), thrown);
            }
        };
    }

    private AsyncCriticalTask observed(String name, AsyncCriticalTask task) {
        AtomicInteger attempts = new AtomicInteger();
        return (cancellation) -> {
            RunningAttempt attempt = attemptStarted(name, attempts.incrementAndGet());
            CompletionStage<?> stage;
            try (Observation.Scope scope = attempt.observation().openScope()) {
                stage = task.start(cancellation);
            }
            catch (Throwable ex) {
                attemptEnded(name, attempt, cancellation, ex);
                throw ex;
            }
            if (stage == null) {
                // the registry fails the attempt for it
                attemptEnded(name, attempt, cancellation,
                        new NullPointerException("start returned null instead of a stage"));
                return null;
            }
            stage.whenComplete((result, thrown) -> attemptEnded(name, attempt, cancellation, unwrap(thrown)));
            return stage;
        };
    }

    private RunningAttempt attemptStarted(String name, int attempt) {
        Restart restart = (attempt > 1) ? this.restarts.remove(name) : null;
        Observation observation = Observation.createNotStarted(ATTEMPT, this.observationRegistry)
            .contextualName("critical task " + name)
            .lowCardinalityKeyValue(TASK, name)
            .lowCardinalityKeyValue(RESTART_CAUSE, (restart != null) ? restart.cause().getSimpleName() : NONE)
            .highCardinalityKeyValue(ATTEMPT_NUMBER, Integer.toString(attempt))
            .start();
        if (restart != null) {
            observation.event(Observation.Event.of(RESTARTED_EVENT, RESTARTED_EVENT + ": after "
                    + restart.cause().getName() + ", backoff " + restart.backoff().toMillis() + " ms"));
        }
        RunningAttempt running = new RunningAttempt(observation);
        this.running.put(name, running);
        return running;
    }

    private void attemptEnded(String name, RunningAttempt attempt, CancellationToken cancellation,
            @Nullable Throwable thrown) {
        this.running.remove(name, attempt);
        attempt.end();
        Observation observation = attempt.observation();
        boolean graceful = thrown == null || (cancellation.isCancelled()
                && (thrown instanceof InterruptedException || thrown instanceof CancellationException));
        String outcome = !graceful ? "failed" : cancellation.isCancelled() ? "cancelled" : "completed";
        observation.lowCardinalityKeyValue(OUTCOME, outcome);
        thrown(observation, graceful ? null : thrown);
        observation.stop();
    }

    private static void thrown(Observation observation, @Nullable Throwable thrown) {
        observation.lowCardinalityKeyValue(EXCEPTION, (thrown != null) ? thrown.getClass().getSimpleName() : NONE);
        if (thrown != null) {
            observation.highCardinalityKeyValue(EXCEPTION_TYPE, thrown.getClass().getName());
            observation.error(thrown);
        }
    }

    private static @Nullable Throwable unwrap(@Nullable Throwable thrown) {
        return (thrown instanceof CompletionException && thrown.getCause() != null) ? thrown.getCause() : thrown;
    }

    @Override
    public void restarted(CriticalTaskHandle task, Throwable cause, Duration backoff) {
        if (this.enabled.test(task.description())) {
            this.restarts.put(task.description(), new Restart(cause.getClass(), backoff));
        }
    }

    @Override
    public void stalled(CriticalTaskHandle task, StallReport stall) {
        RunningAttempt attempt = this.running.get(task.description());
        if (attempt != null) {
            attempt.event(Observation.Event.of(STALLED_EVENT, STALLED_EVENT + ": no heartbeat for "
                    + stall.silentFor().toMillis() + " ms on attempt " + stall.attempt()));
        }
    }

    private record Restart(Class<?> cause, Duration backoff) {
    }

    /**
     * An attempt's observation while it runs. A stall's event comes from the supervision
     * timer while the attempt may be ending on its own thread: the event is given only
     * before the end, never to a stopped observation.
     */
    private static final class RunningAttempt {

        private final Observation observation;

        private boolean ended;

        RunningAttempt(Observation observation) {
            this.observation = observation;
        }

        Observation observation() {
            return this.observation;
        }

        /** Held only by this attempt's end and its stall events, never by the stop. */
        synchronized void event(Observation.Event event) {
            if (!this.ended) {
                this.observation.event(event);
            }
        }

        synchronized void end() {
            this.ended = true;
        }

    }

}
