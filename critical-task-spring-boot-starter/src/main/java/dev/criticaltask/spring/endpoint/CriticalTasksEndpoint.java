package dev.criticaltask.spring.endpoint;

import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.Set;

import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.TaskState;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.OperationResponseBody;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.Show;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;

/**
 * {@link Endpoint @Endpoint} that lists the tasks of a {@link CriticalTaskRegistry}: each task's
 * name, state, start and end, restarts, failure, and the registry's first failure.
 *
 * <p>A failure always names its exception type; its message is shown only when {@code showDetails}
 * allows it for the caller, as the health endpoint does for details, because a message may carry
 * anything the failing code put into it. {@code /criticaltasks/{name}} describes one task, or
 * answers 404 when there is none of that name.
 */
@Endpoint(id = "criticaltasks")
public class CriticalTasksEndpoint {

    private final CriticalTaskRegistry registry;

    private final Show showDetails;

    private final Set<String> roles;

    /**
     * Creates an endpoint.
     *
     * @param registry the tasks to describe
     * @param showDetails when to show exception messages
     * @param roles the roles that may see them under {@link Show#WHEN_AUTHORIZED}; empty means any
     *     authenticated user
     */
    public CriticalTasksEndpoint(CriticalTaskRegistry registry, Show showDetails, Collection<String> roles) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        this.showDetails = Objects.requireNonNull(showDetails, "showDetails must not be null");
        this.roles = Set.copyOf(roles);
    }

    /** Every task the registry knows (finished ones first, then live ones) and the first failure. */
    @ReadOperation
    public CriticalTasksDescriptor criticalTasks(SecurityContext securityContext) {
        boolean showMessages = showMessages(securityContext);
        List<TaskDescriptor> tasks = registry.tasks()
            .stream()
            .map(task -> TaskDescriptor.of(task, showMessages))
            .toList();
        FailureDescriptor firstFailure = registry.firstFailure()
            .map(failure -> FailureDescriptor.of(failure, showMessages))
            .orElse(null);
        return new CriticalTasksDescriptor(tasks, firstFailure);
    }

    /** The live task of this name, or else the latest finished one; {@code null} (404) if none. */
    @ReadOperation
    public @Nullable TaskDescriptor criticalTask(@Selector String name, SecurityContext securityContext) {
        return registry.find(name).map(task -> TaskDescriptor.of(task, showMessages(securityContext))).orElse(null);
    }

    private boolean showMessages(SecurityContext securityContext) {
        return showDetails.isShown(securityContext, roles);
    }

    /**
     * The tasks of a registry and its first failure.
     *
     * @param tasks every task remembered, finished ones first
     * @param firstFailure the failure that cancelled the root, if any
     */
    public record CriticalTasksDescriptor(List<TaskDescriptor> tasks,
            @Nullable FailureDescriptor firstFailure) implements OperationResponseBody {
    }

    /**
     * One task.
     *
     * @param name the task's name
     * @param state where it is in its life
     * @param startedAt when it began to run; {@code null} while it waits for a thread
     * @param finishedAt when it ended; {@code null} while it runs
     * @param restarts how often it was restarted (always 0 until restart policies exist)
     * @param failure why it failed; {@code null} unless it is {@link TaskState#FAILED}
     */
    public record TaskDescriptor(String name, TaskState state, @Nullable Instant startedAt,
            @Nullable Instant finishedAt, int restarts, @Nullable FailureDescriptor failure)
            implements OperationResponseBody {

        static TaskDescriptor of(CriticalTaskHandle task, boolean showMessage) {
            return new TaskDescriptor(task.description(), task.state(), task.startedAt().orElse(null),
                    task.finishedAt().orElse(null), 0,
                    task.failure().map(failure -> FailureDescriptor.of(failure, showMessage)).orElse(null));
        }

    }

    /**
     * A task's failure.
     *
     * @param task the failed task's name
     * @param exception the class name of what the task threw
     * @param message its message; {@code null} when the caller may not see it, or there is none
     */
    public record FailureDescriptor(String task, String exception, @Nullable String message) {

        static FailureDescriptor of(CriticalTaskFailedException failure, boolean showMessage) {
            // The cause is what the task threw; the wrapper's own message repeats the cause's.
            Throwable cause = Objects.requireNonNullElse(failure.getCause(), failure);
            return new FailureDescriptor(failure.taskDescription(), cause.getClass().getName(),
                    showMessage ? cause.getMessage() : null);
        }

    }

}
