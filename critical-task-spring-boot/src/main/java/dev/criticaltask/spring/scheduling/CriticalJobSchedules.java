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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.config.CronTask;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.FixedRateTask;
import org.springframework.scheduling.config.OneTimeTask;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.scheduling.config.Task;
import org.springframework.scheduling.config.TriggerTask;
import org.springframework.util.ClassUtils;

/**
 * When Spring's scheduler runs each critical job, read from the
 * {@link ScheduledTaskHolder} beans.
 *
 * <p>
 * A scheduled task names the method it runs only in its {@code toString()}: Spring wraps
 * the method's runnable in one of its own, which hides it but says
 * {@code <declaring class>.<method name>}, the string Boot's {@code scheduledtasks}
 * endpoint shows. A job is matched on that string, so without reflection on Spring's
 * private fields. Several beans of one class share such a string; each of their jobs then
 * shows the schedules they share and the earliest next run among them.
 */
final class CriticalJobSchedules {

    private volatile List<ScheduledTaskHolder> holders = List.of();

    void use(List<ScheduledTaskHolder> holders) {
        this.holders = List.copyOf(holders);
    }

    /** The schedule of each scheduled job that Spring runs; none for the others. */
    Map<CriticalJob, Schedule> of(List<CriticalJob> jobs) {
        List<ScheduledTaskHolder> holders = this.holders;
        if (holders.isEmpty() || jobs.stream().noneMatch(CriticalJobSchedules::isScheduled)) {
            return Map.of();
        }
        // the annotation post-processor and a registrar may both hold the same task:
        // count it once
        Set<ScheduledTask> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<CriticalJob, List<ScheduledTask>> tasks = new IdentityHashMap<>();
        for (ScheduledTaskHolder holder : holders) {
            for (ScheduledTask task : holder.getScheduledTasks()) {
                if (seen.add(task)) {
                    String target = task.getTask().getRunnable().toString();
                    for (CriticalJob job : jobs) {
                        if (isScheduled(job) && runs(target, job)) {
                            tasks.computeIfAbsent(job, (key) -> new ArrayList<>()).add(task);
                        }
                    }
                }
            }
        }
        Map<CriticalJob, Schedule> schedules = new IdentityHashMap<>();
        tasks.forEach((job, scheduled) -> schedules.put(job, Schedule.of(scheduled)));
        return schedules;
    }

    private static boolean isScheduled(CriticalJob job) {
        return job.trigger() == CriticalJobStatus.Trigger.SCHEDULED;
    }

    /**
     * Whether a scheduled task's {@code <class>.<method>} is the job's method: the class
     * is the method's declaring class, or an interface of it when the scheduler invokes
     * the method on a JDK proxy.
     */
    private static boolean runs(String target, CriticalJob job) {
        int dot = target.lastIndexOf('.');
        if (dot <= 0 || !target.substring(dot + 1).equals(job.method().getName())) {
            return false;
        }
        String className = target.substring(0, dot);
        Class<?> declaring = job.method().getDeclaringClass();
        if (declaring.getName().equals(className)) {
            return true;
        }
        for (Class<?> type : ClassUtils.getAllInterfacesForClassAsSet(declaring)) {
            if (type.getName().equals(className)) {
                return true;
            }
        }
        return false;
    }

    static String describe(Task task) {
        if (task instanceof CronTask cron) {
            return "cron " + cron.getExpression();
        }
        if (task instanceof FixedRateTask rate) {
            return "fixed rate " + rate.getIntervalDuration() + initialDelay(rate.getInitialDelayDuration());
        }
        if (task instanceof FixedDelayTask delay) {
            return "fixed delay " + delay.getIntervalDuration() + initialDelay(delay.getInitialDelayDuration());
        }
        if (task instanceof OneTimeTask once) {
            return "one-time, after " + once.getInitialDelayDuration();
        }
        if (task instanceof TriggerTask trigger) {
            return "trigger " + trigger.getTrigger();
        }
        return task.getClass().getSimpleName();
    }

    private static String initialDelay(Duration delay) {
        return (delay.isZero() || delay.isNegative()) ? "" : ", initial delay " + delay;
    }

    /**
     * How the scheduler runs one job.
     *
     * @param description each distinct schedule, separated by {@code ; }
     * @param nextRunAt the earliest next run; {@code null} when Spring does not know
     */
    record Schedule(String description, @Nullable Instant nextRunAt) {

        static Schedule of(List<ScheduledTask> tasks) {
            Set<String> descriptions = new LinkedHashSet<>();
            Instant next = null;
            for (ScheduledTask task : tasks) {
                descriptions.add(describe(task.getTask()));
                Instant candidate = task.nextExecution();
                if (candidate != null && (next == null || candidate.isBefore(next))) {
                    next = candidate;
                }
            }
            return new Schedule(String.join("; ", descriptions), next);
        }

    }

}
