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

package dev.criticaltask.spring.metrics;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.WeakHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskListener;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.Registration;
import dev.criticaltask.TaskState;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.LongTaskTimer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.BaseUnits;
import io.micrometer.core.instrument.binder.MeterBinder;
import org.jspecify.annotations.Nullable;

/**
 * Metrics of the tasks of a {@link CriticalTaskRegistry}:
 * <ul>
 * <li>{@value #ACTIVE} ({@link LongTaskTimer}, tag {@code task}): one sample per running
 * task;
 * <li>{@value #FAILURES} ({@link Counter}, tags {@code task} and {@code exception}, the
 * simple class name of what the task threw, as in Spring Boot's own metrics; the full
 * name for an anonymous class);
 * <li>{@value #RESTARTS} ({@link Counter}, tag {@code task}): restarts by the task's
 * restart policy;
 * <li>{@value #STALLED} ({@link Gauge}, tag {@code task}): 1 while the task is stalled
 * (its heartbeat is overdue), else 0;
 * <li>{@value #LEADER} ({@link Gauge}, tag {@code role}): 1 while this instance leads the
 * role that tasks name, else 0;
 * <li>{@value #STARTUP} ({@link Timer}, tag {@code task}): for each attempt, the time
 * from the task's start (after it waited for the tasks it depends on) or its restart
 * until it was ready; near zero for a task that does not await its ready signal;
 * <li>{@value #ABANDONED} ({@link FunctionCounter}):
 * {@link CriticalTaskHandle#abandonedCount()}, handles that became unreachable while
 * neither joined nor detached. It counts JVM-wide, not only this registry's tasks (whose
 * handles are never reported).
 * </ul>
 *
 * <p>
 * It may be bound before the tasks start or after: when bound it listens to the registry
 * and also takes in the tasks it already has, so that a task running then gets a sample
 * (timed from that moment) and a task that failed before then is counted. A task seen
 * both ways counts once. {@link #close()} stops listening.
 */
public final class CriticalTaskMetrics implements MeterBinder, AutoCloseable {

    /** The name of the long task timer of running tasks. */
    public static final String ACTIVE = "critical.task.active";

    /** The name of the timer of the time each attempt took to become ready. */
    public static final String STARTUP = "critical.task.startup";

    /** The name of the counter of failed tasks. */
    public static final String FAILURES = "critical.task.failures";

    /** The name of the counter of restarts. */
    public static final String RESTARTS = "critical.task.restarts";

    /** The name of the gauge of stalled tasks. */
    public static final String STALLED = "critical.task.stalled";

    /**
     * The name of the gauge of leadership: 1 while this instance leads the role (tag
     * {@code role}), else 0.
     */
    public static final String LEADER = "critical.task.leader";

    /** The name of the counter of abandoned handles. */
    public static final String ABANDONED = "critical.task.abandoned";

    private final CriticalTaskRegistry registry;

    private final List<Binding> bindings = new CopyOnWriteArrayList<>();

    /**
     * Creates metrics for the tasks of {@code registry}.
     * @param registry the tasks to measure
     */
    public CriticalTaskMetrics(CriticalTaskRegistry registry) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
    }

    @Override
    public void bindTo(MeterRegistry meterRegistry) {
        FunctionCounter.builder(ABANDONED, CriticalTaskHandle.class, handles -> CriticalTaskHandle.abandonedCount())
            .description("Critical task handles that became unreachable while neither joined nor detached")
            .baseUnit(BaseUnits.TASKS)
            .register(meterRegistry);
        Binding binding = new Binding(meterRegistry);
        bindings.add(binding);
        binding.start();
    }

    /** Stops listening to the registry and ends the samples of tasks still running. */
    @Override
    public void close() {
        for (Binding binding : bindings) {
            binding.close();
        }
        bindings.clear();
    }

    private static String exceptionTag(@Nullable Throwable cause) {
        if (cause == null) {
            return "unknown";
        }
        // an anonymous class has no simple name
        String simpleName = cause.getClass().getSimpleName();
        return simpleName.isEmpty() ? cause.getClass().getName() : simpleName;
    }

    /**
     * What one meter registry measures: the samples of running tasks, the failures
     * counted.
     */
    private final class Binding implements CriticalTaskListener {

        private final MeterRegistry meterRegistry;

        private final Object lock = new Object();

        /** By handle identity; guarded by {@code lock}. */
        private final Map<CriticalTaskHandle, LongTaskTimer.Sample> samples = new IdentityHashMap<>();

        /**
         * Failed tasks already counted; guarded by {@code lock}. Weak, so that it holds
         * no memory for tasks the registry has forgotten; handles keep Object's identity
         * equality.
         */
        private final Set<CriticalTaskHandle> countedFailures = Collections.newSetFromMap(new WeakHashMap<>());

        /** Task names whose per-task meters are registered; guarded by {@code lock}. */
        private final Set<String> namesWithMeters = new HashSet<>();

        /**
         * When the attempt of each task that is not ready yet began (nanoTime); guarded
         * by {@code lock}.
         */
        private final Map<CriticalTaskHandle, Long> attemptsBegun = new WeakHashMap<>();

        private volatile Registration registration = () -> {
        };

        private volatile boolean closed;

        Binding(MeterRegistry meterRegistry) {
            this.meterRegistry = meterRegistry;
        }

        void start() {
            // Listen first, then take the snapshot: a task that starts or ends in between
            // is seen
            // at least once, and observe() makes seeing it twice harmless.
            registration = registry.addListener(this);
            for (CriticalTaskHandle task : registry.tasks()) {
                observe(task);
            }
        }

        void close() {
            closed = true;
            registration.close();
            List<LongTaskTimer.Sample> running;
            synchronized (lock) {
                running = new ArrayList<>(samples.values());
                samples.clear();
            }
            running.forEach(LongTaskTimer.Sample::stop);
        }

        @Override
        public void started(CriticalTaskHandle task) {
            synchronized (lock) {
                attemptsBegun.putIfAbsent(task, System.nanoTime());
            }
            observe(task);
        }

        @Override
        public void completed(CriticalTaskHandle task) {
            observe(task);
        }

        @Override
        public void cancelled(CriticalTaskHandle task) {
            observe(task);
        }

        @Override
        public void failed(CriticalTaskHandle task, CriticalTaskFailedException failure) {
            observe(task);
        }

        @Override
        public void restarted(CriticalTaskHandle task, Throwable cause, java.time.Duration backoff) {
            observe(task);
            restarts(task).increment();
            synchronized (lock) {
                // the next attempt's wait for readiness begins after the backoff
                attemptsBegun.put(task, System.nanoTime() + backoff.toNanos());
            }
        }

        @Override
        public void stalled(CriticalTaskHandle task, java.time.Duration silentFor) {
            observe(task);
        }

        @Override
        public void ready(CriticalTaskHandle task) {
            observe(task);
            long now = System.nanoTime();
            long since;
            synchronized (lock) {
                if (closed) {
                    return;
                }
                Long begun = attemptsBegun.remove(task);
                since = (begun != null) ? begun : now;
            }
            Timer.builder(STARTUP)
                .description("Time a critical task's attempt took to become ready")
                .tag("task", task.description())
                .register(meterRegistry)
                .record(now - since, java.util.concurrent.TimeUnit.NANOSECONDS);
        }

        /**
         * Brings the meters in line with the task's state. Idempotent, and safe against
         * the task ending at any point: the state is read again after a sample was
         * started, and a task's state is final before its listeners hear that it ended.
         */
        private void observe(CriticalTaskHandle task) {
            registerPerTaskMeters(task);
            if (!task.isFinished()) {
                startSample(task);
            }
            if (task.isFinished()) {
                stopSample(task);
                if (task.state() == TaskState.FAILED) {
                    countFailure(task);
                }
            }
        }

        /**
         * Registered up front, so that a scrape shows 0 rather than nothing. Once per
         * task name.
         */
        private void registerPerTaskMeters(CriticalTaskHandle task) {
            String name = task.description();
            synchronized (lock) {
                if (closed || !namesWithMeters.add(name)) {
                    return;
                }
            }
            restarts(task);
            Gauge
                .builder(STALLED, registry,
                        tasks -> tasks.find(name).filter(handle -> handle.state() == TaskState.STALLED).isPresent() ? 1
                                : 0)
                .description("Whether the critical task is stalled: its heartbeat is overdue")
                .baseUnit(BaseUnits.TASKS)
                .tag("task", name)
                .register(meterRegistry);
            // one series per role, whichever of its tasks is seen first (Micrometer
            // returns the registered gauge for the others)
            task.leadershipRole()
                .ifPresent(role -> Gauge.builder(LEADER, registry, tasks -> tasks.leadership(role).isPresent() ? 1 : 0)
                    .description("Whether this instance leads the role that critical tasks name")
                    .tag("role", role)
                    .register(meterRegistry));
        }

        private Counter restarts(CriticalTaskHandle task) {
            return Counter.builder(RESTARTS)
                .description("Critical task restarts by the task's restart policy")
                .baseUnit("restarts")
                .tag("task", task.description())
                .register(meterRegistry);
        }

        private void startSample(CriticalTaskHandle task) {
            synchronized (lock) {
                if (closed || samples.containsKey(task)) {
                    return;
                }
                LongTaskTimer timer = LongTaskTimer.builder(ACTIVE)
                    .description("Critical tasks that are running")
                    .tag("task", task.description())
                    .register(meterRegistry);
                samples.put(task, timer.start());
            }
        }

        private void stopSample(CriticalTaskHandle task) {
            LongTaskTimer.Sample sample;
            synchronized (lock) {
                sample = samples.remove(task);
            }
            if (sample != null) {
                sample.stop();
            }
        }

        private void countFailure(CriticalTaskHandle task) {
            Throwable cause = task.failure().map(CriticalTaskFailedException::getCause).orElse(null);
            synchronized (lock) {
                if (closed || !countedFailures.add(task)) {
                    return;
                }
            }
            Counter.builder(FAILURES)
                .description("Critical tasks that failed")
                .baseUnit("failures")
                .tag("task", task.description())
                .tag("exception", exceptionTag(cause))
                .register(meterRegistry)
                .increment();
        }

    }

}
