package dev.criticaltask.spring.health;

import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskHandle;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;

/**
 * The health of one critical task.
 *
 * <p>Everything that describes the task, above all the failure's message, goes into the details,
 * which the health endpoint drops unless {@code show-details} allows them. The status carries no
 * description, because a status description is shown even when details are not.
 */
final class CriticalTaskHealthIndicator implements HealthIndicator {

    private final CriticalTaskHandle task;

    CriticalTaskHealthIndicator(CriticalTaskHandle task) {
        this.task = task;
    }

    @Override
    public Health health() {
        Health.Builder health = Health.status(status(task)).withDetail("state", task.state().name());
        task.startedAt().ifPresent(startedAt -> health.withDetail("startedAt", startedAt.toString()));
        task.finishedAt().ifPresent(finishedAt -> health.withDetail("finishedAt", finishedAt.toString()));
        task.failure().map(CriticalTaskFailedException::getCause).ifPresent(cause -> {
            health.withDetail("exception", cause.getClass().getName());
            String message = cause.getMessage();
            if (message != null) {
                health.withDetail("message", message);
            }
        });
        return health.build();
    }

    static Status status(CriticalTaskHandle task) {
        return switch (task.state()) {
            // a running task whose token is cancelled is stopping: it should get no more work
            case RUNNING -> task.isCancelled() ? Status.OUT_OF_SERVICE : Status.UP;
            case COMPLETED -> Status.UP;
            case CANCELLED -> Status.OUT_OF_SERVICE;
            case FAILED -> Status.DOWN;
            // merge fix: TaskState.STALLED (core supervision) is newer than this switch; a task that
            // missed its heartbeats is not doing its work. For the starter's owners to confirm.
            case STALLED -> Status.DOWN;
        };
    }

}
