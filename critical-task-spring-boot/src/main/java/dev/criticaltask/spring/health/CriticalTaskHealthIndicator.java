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

package dev.criticaltask.spring.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.LeadershipTerm;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.spring.scheduling.CriticalJobStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of one critical task.
 *
 * <p>
 * UP while running or completed, and while {@code STANDBY} (another instance leads its
 * role), DOWN when failed or stalled (its heartbeat is overdue), and OUT_OF_SERVICE while
 * stopping or after it was cancelled. Details include {@code ready} and
 * {@code readySince}, and for a task with a role its {@code role}, {@code leader} and, on
 * the leader, {@code term}.
 *
 * <p>
 * Everything that describes the task, above all the failure's message, goes into the
 * details, which the health endpoint drops unless {@code show-details} allows them. The
 * status carries no description, because a status description is shown even when details
 * are not.
 */
final class CriticalTaskHealthIndicator implements HealthIndicator {

    private final CriticalTaskHandle task;

    private final @Nullable CriticalJobStatus job;

    CriticalTaskHealthIndicator(CriticalTaskHandle task) {
        this(task, null);
    }

    /**
     * @param job the job's status when the task is a critical {@code @Scheduled} or
     * {@code @Async} method; {@code null} otherwise
     */
    CriticalTaskHealthIndicator(CriticalTaskHandle task, @Nullable CriticalJobStatus job) {
        this.task = task;
        this.job = job;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.status(status(task)).withDetail("state", task.state().name());
        task.startedAt().ifPresent(startedAt -> health.withDetail("startedAt", startedAt.toString()));
        health.withDetail("ready", task.isReady());
        task.readyAt().ifPresent(readyAt -> health.withDetail("readySince", readyAt.toString()));
        if (!task.dependsOn().isEmpty()) {
            health.withDetail("dependsOn", task.dependsOn());
        }
        task.finishedAt().ifPresent(finishedAt -> health.withDetail("finishedAt", finishedAt.toString()));
        task.sinceLastHeartbeat().ifPresent(silent -> health.withDetail("sinceLastHeartbeat", silent.toString()));
        if (task.restartCount() > 0) {
            // a task that is UP again still shows what it recovered from
            health.withDetail("restarts", task.restartCount());
            task.lastRestartCause().ifPresent(cause -> health.withDetail("lastRestartCause", describe(cause)));
        }
        task.failure().map(CriticalTaskFailedException::getCause).ifPresent(cause -> {
            health.withDetail("exception", cause.getClass().getName());
            String message = cause.getMessage();
            if (message != null) {
                health.withDetail("message", message);
            }
        });
        task.leadershipRole().ifPresent(role -> {
            health.withDetail("role", role);
            Optional<LeadershipTerm> term = task.snapshot().leadership();
            health.withDetail("leader", term.isPresent());
            term.ifPresent(granted -> health.withDetail("term", granted.term()));
        });
        if (job != null) {
            health.withDetail("job", describe(job));
        }
        return health.build();
    }

    /**
     * The job's runs and schedule; an exception's class only, as the status holds no
     * message.
     */
    private static Map<String, Object> describe(CriticalJobStatus job) {
        Map<String, Object> details = new LinkedHashMap<>();
        details.put("trigger", job.trigger().name());
        details.put("method", job.method());
        details.put("bean", job.beanName());
        putIfPresent(details, "schedule", job.schedule());
        putIfPresent(details, "nextRunAt", job.nextRunAt());
        putIfPresent(details, "lastRunStartedAt", job.lastRunStartedAt());
        putIfPresent(details, "lastRunDuration", job.lastRunDuration());
        putIfPresent(details, "lastOutcome", job.lastOutcome());
        putIfPresent(details, "lastFailure", job.lastFailure());
        details.put("runs", job.runs());
        details.put("failures", job.failures());
        return details;
    }

    private static void putIfPresent(Map<String, Object> details, String key, @Nullable Object value) {
        if (value != null) {
            details.put(key, value.toString());
        }
    }

    private static String describe(Throwable cause) {
        String message = cause.getMessage();
        return message != null ? cause.getClass().getName() + ": " + message : cause.getClass().getName();
    }

    static Status status(CriticalTaskHandle task) {
        return switch (task.state()) {
            // a running task whose token is cancelled is stopping: it should get no more
            // work
            case RUNNING -> task.isCancelled() ? Status.OUT_OF_SERVICE : Status.UP;
            // alive but making no progress: its heartbeat is overdue
            case STALLED -> Status.DOWN;
            // waiting for its role's leadership: another instance runs it
            case STANDBY -> Status.UP;
            case COMPLETED -> Status.UP;
            case CANCELLED -> Status.OUT_OF_SERVICE;
            case FAILED -> Status.DOWN;
        };
    }

}
