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

package dev.criticaltask.spring.actuate.endpoint;

import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.LeadershipTerm;
import dev.criticaltask.StallReport;
import dev.criticaltask.TaskState;
import dev.criticaltask.spring.scheduling.CriticalJobStatus;
import dev.criticaltask.spring.scheduling.CriticalJobs;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@link Endpoint @Endpoint} that lists the tasks of a {@link CriticalTaskRegistry}: each
 * task's name, state (a task whose leadership role another instance leads is
 * {@link TaskState#STANDBY}), start and end, restarts, failure, readiness ({@code ready}
 * and the {@code startup} object: {@code awaitsReady}, {@code readyAt},
 * {@code dependsOn}, {@code waitingFor}), its {@code leadership} ({@code role},
 * {@code leader}, and on the leader {@code term}), and the registry's first failure. A
 * task that is a critical {@code @Scheduled} or {@code @Async} method also describes the
 * method's runs: when the latest started and how it ended, its schedule and next run, and
 * the class (never the message) of its latest failure.
 *
 * <p>
 * A failure always names its exception type; its message is shown only when
 * {@code showDetails} allows it for the caller, as the health endpoint does for details,
 * because a message may carry anything the failing code put into it. The same holds for
 * the stack of a task's latest stall: when and for how long it stalled is always shown,
 * where its thread was only to those callers. {@code /criticaltasks/{name}} describes one
 * task, or answers 404 when there is none of that name.
 */
@Endpoint(id = "criticaltasks")
public class CriticalTasksEndpoint {

    private final CriticalTaskRegistry registry;

    private final Show showDetails;

    private final Set<String> roles;

    private final Supplier<@Nullable CriticalJobs> jobs;

    /**
     * Creates an endpoint.
     * @param registry the tasks to describe
     * @param showDetails when to show exception messages
     * @param roles the roles that may see them under {@link Show#WHEN_AUTHORIZED}; empty
     * means any authenticated user
     */
    public CriticalTasksEndpoint(CriticalTaskRegistry registry, Show showDetails, Collection<String> roles) {
        this(registry, showDetails, roles, () -> null);
    }

    /**
     * Creates an endpoint that also describes critical jobs.
     * @param registry the tasks to describe
     * @param showDetails when to show exception messages
     * @param roles the roles that may see them under {@link Show#WHEN_AUTHORIZED}; empty
     * means any authenticated user
     * @param jobs the critical jobs, asked on every call; it may supply {@code null} when
     * there are none
     */
    public CriticalTasksEndpoint(CriticalTaskRegistry registry, Show showDetails, Collection<String> roles,
            Supplier<@Nullable CriticalJobs> jobs) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        this.showDetails = Objects.requireNonNull(showDetails, "showDetails must not be null");
        this.roles = Set.copyOf(roles);
        this.jobs = Objects.requireNonNull(jobs, "jobs must not be null");
    }

    /**
     * Every task the registry knows (finished ones first, then live ones) and the first
     * failure.
     * @param securityContext who asks, which decides whether messages are shown
     * @return the tasks and the first failure
     */
    @ReadOperation
    public CriticalTasksDescriptor criticalTasks(SecurityContext securityContext) {
        boolean showMessages = showMessages(securityContext);
        CriticalJobs criticalJobs = jobs.get();
        // one look at the schedulers for all jobs
        Map<String, CriticalJobStatus> jobsByName = criticalJobs == null ? Map.of()
                : criticalJobs.jobs().stream().collect(Collectors.toMap(CriticalJobStatus::name, Function.identity()));
        List<CriticalTaskHandle> handles = registry.tasks();
        List<TaskDescriptor> tasks = handles.stream()
            .map(task -> TaskDescriptor.of(task, showMessages, jobsByName.get(task.description()), registry))
            .toList();
        FailureDescriptor firstFailure = registry.firstFailure()
            .map(failure -> FailureDescriptor.of(failure, showMessages))
            .orElse(null);
        List<String> awaitingReady = handles.stream()
            .filter(task -> task.awaitsReady() && !task.isFinished() && !task.isReady())
            .map(CriticalTaskHandle::description)
            .toList();
        return new CriticalTasksDescriptor(tasks, firstFailure, awaitingReady);
    }

    /**
     * The live task of this name, or else the latest finished one; {@code null} (404) if
     * none.
     * @param name the task's name
     * @param securityContext who asks, which decides whether messages are shown
     * @return the task, or {@code null}
     */
    @ReadOperation
    public @Nullable TaskDescriptor criticalTask(@Selector String name, SecurityContext securityContext) {
        CriticalJobs criticalJobs = jobs.get();
        CriticalJobStatus job = criticalJobs != null ? criticalJobs.find(name).orElse(null) : null;
        return registry.find(name)
            .map(task -> TaskDescriptor.of(task, showMessages(securityContext), job, registry))
            .orElse(null);
    }

    private boolean showMessages(SecurityContext securityContext) {
        return showDetails.isShown(securityContext, roles);
    }

    /**
     * The tasks of a registry and its first failure.
     *
     * @param tasks every task remembered, finished ones first
     * @param firstFailure the failure that cancelled the root, if any
     * @param awaitingReady the live tasks that await their ready signal and are not
     * ready: while there are any, the application's readiness refuses traffic
     */
    public record CriticalTasksDescriptor(List<TaskDescriptor> tasks, @Nullable FailureDescriptor firstFailure,
            List<String> awaitingReady) implements OperationResponseBody {
    }

    /**
     * One task.
     *
     * @param name the task's name
     * @param state where it is in its life
     * @param startedAt when it began to run; {@code null} while it waits for a thread
     * @param finishedAt when it ended; {@code null} while it runs
     * @param restarts how often its restart policy ran it again
     * @param lastRestartCause what made it restart last; {@code null} if it never
     * restarted
     * @param sinceLastHeartbeat how long since its last heartbeat, for a running task
     * that has a heartbeat timeout; {@code null} otherwise
     * @param failure why it failed; {@code null} unless it is {@link TaskState#FAILED}
     * @param job the runs of the method, when the task is a critical {@code @Scheduled}
     * or {@code @Async} method; {@code null} otherwise
     * @param ready whether the running attempt is ready
     * @param startup when it became ready, whether it awaits its ready signal, what it
     * depends on and which of those it still waits for
     * @param lastStall the task's latest missed heartbeat; {@code null} if it never
     * stalled
     * @param leadership the task's leadership role and whether this instance leads it;
     * {@code null} for a task without a role
     */
    public record TaskDescriptor(String name, TaskState state, @Nullable Instant startedAt,
            @Nullable Instant finishedAt, int restarts, @Nullable ThrowableDescriptor lastRestartCause,
            @Nullable Duration sinceLastHeartbeat, @Nullable FailureDescriptor failure, @Nullable JobDescriptor job,
            boolean ready, StartupDescriptor startup, @Nullable StallDescriptor lastStall,
            @Nullable LeadershipDescriptor leadership) implements OperationResponseBody {

        static TaskDescriptor of(CriticalTaskHandle task, boolean showMessage, @Nullable CriticalJobStatus job,
                CriticalTaskRegistry registry) {
            return new TaskDescriptor(task.description(), task.state(), task.startedAt().orElse(null),
                    task.finishedAt().orElse(null), task.restartCount(),
                    task.lastRestartCause().map(cause -> ThrowableDescriptor.of(cause, showMessage)).orElse(null),
                    task.sinceLastHeartbeat().orElse(null),
                    task.failure().map(failure -> FailureDescriptor.of(failure, showMessage)).orElse(null),
                    job != null ? JobDescriptor.of(job) : null, task.isReady(), StartupDescriptor.of(task, registry),
                    task.lastStall().map(stall -> StallDescriptor.of(stall, showMessage)).orElse(null),
                    LeadershipDescriptor.of(task));
        }

    }

    /**
     * How a task starts.
     *
     * @param awaitsReady whether it is ready only once it says so
     * @param readyAt when its running (or last) attempt became ready; {@code null} while
     * it is not ready yet
     * @param dependsOn the tasks it starts after
     * @param waitingFor those of them that are not ready (nor completed) while this task
     * is not ready: what it waits for
     */
    public record StartupDescriptor(boolean awaitsReady, @Nullable Instant readyAt, List<String> dependsOn,
            List<String> waitingFor) {

        static StartupDescriptor of(CriticalTaskHandle task, CriticalTaskRegistry registry) {
            List<String> waitingFor = (task.isFinished() || task.isReady()) ? List.of()
                    : task.dependsOn()
                        .stream()
                        .filter(name -> registry.find(name)
                            .map(dependency -> !dependency.isReady() && dependency.state() != TaskState.COMPLETED)
                            .orElse(true))
                        .toList();
            return new StartupDescriptor(task.awaitsReady(), task.readyAt().orElse(null), task.dependsOn(), waitingFor);
        }

    }

    /**
     * A task's latest missed heartbeat.
     *
     * @param detectedAt when it was found (for a task that stays stalled with
     * {@code on-stall=report}, when it was last looked at: at most once per timeout)
     * @param attempt the attempt that missed its heartbeat
     * @param silentFor how long it had gone without one
     * @param action what the stall led to
     * @param thread the name of the task's thread; {@code null} when it held none
     * @param stackTrace where that thread was, innermost frame first; {@code null} when
     * the caller may not see it
     */
    public record StallDescriptor(Instant detectedAt, int attempt, Duration silentFor, String action,
            @Nullable String thread, @Nullable List<String> stackTrace) {

        static StallDescriptor of(StallReport stall, boolean showStack) {
            return new StallDescriptor(stall.detectedAt(), stall.attempt(), stall.silentFor(), stall.action().name(),
                    stall.threadName(),
                    showStack ? stall.stackTrace().stream().map(StackTraceElement::toString).toList() : null);
        }

    }

    /**
     * The leadership of a task with a role.
     *
     * @param role the role
     * @param leader whether this instance leads it: the task runs here (else it is
     * {@link TaskState#STANDBY})
     * @param term the term of the grant it runs under; {@code null} on a standby
     * @param since when that grant was made; {@code null} on a standby
     * @param fencing whether the term is ordered across instances
     */
    public record LeadershipDescriptor(String role, boolean leader, @Nullable Long term, @Nullable Instant since,
            boolean fencing) {

        static @Nullable LeadershipDescriptor of(CriticalTaskHandle task) {
            String role = task.leadershipRole().orElse(null);
            if (role == null) {
                return null;
            }
            LeadershipTerm term = task.snapshot().leadership().orElse(null);
            return term != null ? new LeadershipDescriptor(role, true, term.term(), term.grantedAt(), term.isFencing())
                    : new LeadershipDescriptor(role, false, null, null, false);
        }

    }

    /**
     * The runs of a critical {@code @Scheduled} or {@code @Async} method. It holds no
     * exception message, whoever asks.
     *
     * @param trigger what runs the method
     * @param bean the bean that declares it
     * @param method the method
     * @param schedule how the scheduler runs it; {@code null} for an {@code @Async}
     * method
     * @param nextRunAt when the scheduler runs it next; {@code null} when unknown or
     * never again
     * @param lastRunStartedAt when the latest run started; {@code null} before the first
     * @param lastRunDuration how long the latest run took; {@code null} while it runs
     * @param lastOutcome how the latest run ended; {@code null} before the first
     * @param lastFailure the class name of the latest exception that escaped a run
     * @param runs how many runs started
     * @param failures how many of them failed
     */
    public record JobDescriptor(CriticalJobStatus.Trigger trigger, String bean, String method,
            @Nullable String schedule, @Nullable Instant nextRunAt, @Nullable Instant lastRunStartedAt,
            @Nullable Duration lastRunDuration, CriticalJobStatus.@Nullable Outcome lastOutcome,
            @Nullable String lastFailure, long runs, long failures) {

        static JobDescriptor of(CriticalJobStatus job) {
            return new JobDescriptor(job.trigger(), job.beanName(), job.method(), job.schedule(), job.nextRunAt(),
                    job.lastRunStartedAt(), job.lastRunDuration(), job.lastOutcome(), job.lastFailure(), job.runs(),
                    job.failures());
        }

    }

    /**
     * Something a task threw.
     *
     * @param exception its class name
     * @param message its message; {@code null} when the caller may not see it, or there
     * is none
     */
    public record ThrowableDescriptor(String exception, @Nullable String message) {

        static ThrowableDescriptor of(Throwable thrown, boolean showMessage) {
            return new ThrowableDescriptor(thrown.getClass().getName(), showMessage ? thrown.getMessage() : null);
        }

    }

    /**
     * A task's failure.
     *
     * @param task the failed task's name
     * @param exception the class name of what the task threw
     * @param message its message; {@code null} when the caller may not see it, or there
     * is none
     */
    public record FailureDescriptor(String task, String exception, @Nullable String message) {

        static FailureDescriptor of(CriticalTaskFailedException failure, boolean showMessage) {
            // The cause is what the task threw; the wrapper's own message repeats the
            // cause's.
            Throwable cause = Objects.requireNonNullElse(failure.getCause(), failure);
            return new FailureDescriptor(failure.taskDescription(), cause.getClass().getName(),
                    showMessage ? cause.getMessage() : null);
        }

    }

}
