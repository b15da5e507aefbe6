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
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import dev.criticaltask.CriticalTaskRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.config.ScheduledTaskHolder;

/**
 * The critical jobs of an application: its {@link Critical critical} {@code @Scheduled}
 * and {@code void @Async} methods, each supervised as a critical task of the same name. A
 * bean of this type exists whenever critical jobs are looked for; health and the
 * {@code criticaltasks} endpoint read it to describe these tasks.
 *
 * <p>
 * Thread-safe. Every read returns a fresh, immutable snapshot; schedules and next runs
 * are read from Spring's {@link ScheduledTaskHolder} beans at that moment.
 */
public final class CriticalJobs {

    private final Object lock = new Object();

    /** By task name, in the order the beans were created; guarded by lock. */
    private final Map<String, CriticalJob> byName = new LinkedHashMap<>();

    /**
     * Set once a registry supervises the jobs; guarded by lock. A job registered later
     * (the method of a lazy, prototype or scoped bean created after start-up) is handed
     * to it at once.
     */
    private @Nullable Supervision supervision;

    private final CriticalJobSchedules schedules = new CriticalJobSchedules();

    private volatile @Nullable CriticalJobRunObserver runObserver;

    CriticalJobs() {
    }

    /**
     * The status of every critical job, in the order their beans were created.
     * @return an immutable snapshot
     */
    public List<CriticalJobStatus> jobs() {
        List<CriticalJob> jobs = snapshot();
        Map<CriticalJob, CriticalJobSchedules.Schedule> schedules = this.schedules.of(jobs);
        List<CriticalJobStatus> statuses = new ArrayList<>(jobs.size());
        for (CriticalJob job : jobs) {
            statuses.add(status(job, schedules.get(job)));
        }
        return Collections.unmodifiableList(statuses);
    }

    /**
     * The status of the critical job whose task has this name.
     * @param name the task's name
     * @return the status, or empty when no job has this name
     */
    public Optional<CriticalJobStatus> find(String name) {
        CriticalJob job;
        synchronized (this.lock) {
            job = this.byName.get(name);
        }
        if (job == null) {
            return Optional.empty();
        }
        return Optional.of(status(job, this.schedules.of(List.of(job)).get(job)));
    }

    /**
     * Hands the jobs to the registry that supervises them. Atomic with {@link #register}:
     * a job registered before is returned, for the lifecycle to spawn it; each one
     * registered from now on (the method of a bean created later) is given to
     * {@code later} instead, on the thread that created its bean. A failure of a job
     * while that registry stops is only logged.
     * @param registry the registry that runs the jobs' tasks
     * @param later what spawns a job registered later
     * @return the jobs registered so far, in order
     */
    public List<CriticalJob> supervise(CriticalTaskRegistry registry, Consumer<CriticalJob> later) {
        List<CriticalJob> jobs;
        synchronized (this.lock) {
            jobs = new ArrayList<>(this.byName.values());
            this.supervision = new Supervision(registry, later);
        }
        jobs.forEach((job) -> job.supervisedBy(registry));
        return jobs;
    }

    /**
     * Has each run of every job heard by {@code observer} from now on (observations of
     * job runs, say); {@code null} stops it. Runs already under way are not heard.
     * @param observer what hears the runs, or {@code null}
     */
    public void observeRuns(@Nullable CriticalJobRunObserver observer) {
        this.runObserver = observer;
    }

    @Nullable CriticalJobRunObserver runObserver() {
        return this.runObserver;
    }

    /**
     * Takes Spring's scheduled-task holders, for the jobs' schedules and next runs.
     * Called once the singletons exist: looking them up on every read could, once the
     * context is closed, create them anew.
     * @param holders the holders, in order
     */
    public void useScheduledTaskHolders(List<ScheduledTaskHolder> holders) {
        this.schedules.use(holders);
    }

    /**
     * The job of a bean's critical method, registered on first use: a prototype's
     * instances share the job of their bean name.
     * @throws InvalidCriticalJobException when another method already has the task name
     */
    CriticalJob register(String beanName, CriticalJobMethods.Found found) {
        Method method = found.method();
        String name = (found.name() != null) ? found.name() : beanName + "." + method.getName();
        CriticalJob job;
        Supervision supervisor;
        synchronized (this.lock) {
            CriticalJob existing = this.byName.get(name);
            if (existing != null) {
                if (existing.beanName().equals(beanName) && existing.method().equals(method)) {
                    return existing;
                }
                throw CriticalJobMethods.invalid(beanName, method,
                        "its task name '" + name + "' is already the name of " + existing.methodDescription()
                                + " of bean '" + existing.beanName()
                                + "' (a critical job is named <beanName>.<methodName> unless @Critical names it)",
                        "Give one of the two methods a distinct task name with @Critical(\"...\").");
            }
            job = new CriticalJob(name, beanName, method, found.trigger());
            this.byName.put(name, job);
            supervisor = this.supervision;
        }
        if (supervisor != null) {
            job.supervisedBy(supervisor.registry());
            supervisor.later().accept(job);
        }
        return job;
    }

    private List<CriticalJob> snapshot() {
        synchronized (this.lock) {
            return new ArrayList<>(this.byName.values());
        }
    }

    private static CriticalJobStatus status(CriticalJob job, CriticalJobSchedules.@Nullable Schedule schedule) {
        return (schedule != null) ? job.status(schedule.description(), schedule.nextRunAt()) : job.status(null, null);
    }

    private record Supervision(CriticalTaskRegistry registry, Consumer<CriticalJob> later) {
    }

}
