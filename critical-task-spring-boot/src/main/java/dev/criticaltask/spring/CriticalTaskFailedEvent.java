package dev.criticaltask.spring;

import java.util.Objects;

import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskRegistry;

import org.springframework.context.ApplicationEvent;

/**
 * Published once per application context when the first critical task fails, before liveness
 * turns {@code BROKEN} and the context is closed. By the time listeners hear it, the root token is
 * already cancelled, so every other task is stopping.
 *
 * <p>Later failures (siblings that fail while they stop) are logged but not published again.
 */
public final class CriticalTaskFailedEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    private final CriticalTaskFailedException failure;

    /**
     * Creates a new event.
     *
     * @param source the registry whose task failed
     * @param failure the failure, which names the task and carries its cause
     */
    public CriticalTaskFailedEvent(CriticalTaskRegistry source, CriticalTaskFailedException failure) {
        super(source);
        this.failure = Objects.requireNonNull(failure, "failure must not be null");
    }

    /** The name of the task that failed: its bean name, or the name it was spawned with. */
    public String getTaskName() {
        return this.failure.taskDescription();
    }

    /** What the task threw. */
    public Throwable getCause() {
        return Objects.requireNonNull(this.failure.getCause());
    }

    /** The failure as the registry recorded it; also the reason of the cancelled root token. */
    public CriticalTaskFailedException getFailure() {
        return this.failure;
    }

    @Override
    public CriticalTaskRegistry getSource() {
        return (CriticalTaskRegistry) super.getSource();
    }

}
