package dev.criticaltask.spring.lifecycle;

import java.time.Duration;

import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskListener;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.CriticalTaskRestartedEvent;
import dev.criticaltask.spring.CriticalTaskStalledEvent;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes {@link CriticalTaskRestartedEvent} and {@link CriticalTaskStalledEvent} for the tasks
 * of a registry. Failures are not published here: {@link FailureShutdown} publishes the first one
 * once, as part of the shutdown.
 */
final class SupervisionEvents implements CriticalTaskListener {

    private final CriticalTaskRegistry registry;

    private final ApplicationEventPublisher publisher;

    SupervisionEvents(CriticalTaskRegistry registry, ApplicationEventPublisher publisher) {
        this.registry = registry;
        this.publisher = publisher;
    }

    @Override
    public void restarted(CriticalTaskHandle task, Throwable cause, Duration backoff) {
        this.publisher.publishEvent(new CriticalTaskRestartedEvent(this.registry, task.description(), cause,
                task.restartCount(), backoff));
    }

    @Override
    public void stalled(CriticalTaskHandle task, Duration silentFor) {
        this.publisher.publishEvent(new CriticalTaskStalledEvent(this.registry, task.description(), silentFor));
    }

}
