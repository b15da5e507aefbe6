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

package dev.criticaltask.spring.availability;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskListener;
import dev.criticaltask.CriticalTaskRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;

/**
 * Spring Boot's {@link ApplicationAvailabilityBean}, holding the readiness state at
 * {@link ReadinessState#REFUSING_TRAFFIC} while a critical task that awaits its ready
 * signal ({@code critical-task.tasks.<name>.startup.await-ready}) is not ready: the
 * {@code ACCEPTING_TRAFFIC} that Spring Boot publishes once the application has started
 * is kept back, and published (with this bean as its source) once every such task is
 * ready. When one of them later stops being ready (it restarts, or a task it depends on
 * does) while traffic is accepted, {@code REFUSING_TRAFFIC} is published, and
 * {@code ACCEPTING_TRAFFIC} again once it is ready. Liveness is never touched; after a
 * task failure nothing is published here (the failure's own shutdown refuses traffic).
 *
 * <p>
 * Tasks that do not await their ready signal do not take part: without any, this bean
 * behaves exactly as Spring Boot's own. Thread-safe; the events it publishes go out on
 * the thread of the task that became ready (or restarted), in order.
 */
public final class CriticalTaskReadiness extends ApplicationAvailabilityBean implements CriticalTaskListener {

    private static final Log logger = LogFactory.getLog(CriticalTaskReadiness.class);

    private final CriticalTaskRegistry registry;

    private final ApplicationEventPublisher publisher;

    private final Object lock = new Object();

    /**
     * Whether the application has asked to accept traffic (and not refused it since);
     * guarded by {@code lock}.
     */
    private boolean acceptingAsked;

    /**
     * Whether this bean is holding readiness at REFUSING_TRAFFIC for tasks; guarded by
     * {@code lock}.
     */
    private boolean holding;

    /**
     * Creates the availability of an application whose readiness waits for its critical
     * tasks; it listens to the registry from now on.
     * @param registry the tasks
     * @param publisher where the readiness changes it makes are published (the context)
     */
    public CriticalTaskReadiness(CriticalTaskRegistry registry, ApplicationEventPublisher publisher) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        this.publisher = Objects.requireNonNull(publisher, "publisher must not be null");
        registry.addListener(this);
    }

    @Override
    public void onApplicationEvent(AvailabilityChangeEvent<?> event) {
        if (event.getSource() != this && event.getState() instanceof ReadinessState readiness) {
            synchronized (this.lock) {
                this.acceptingAsked = readiness == ReadinessState.ACCEPTING_TRAFFIC;
                if (this.acceptingAsked) {
                    List<String> waiting = notReady();
                    if (!waiting.isEmpty()) {
                        this.holding = true;
                        logger
                            .info("Readiness stays REFUSING_TRAFFIC until these critical tasks are ready: " + waiting);
                        return;
                    }
                }
                this.holding = false;
            }
        }
        super.onApplicationEvent(event);
    }

    /**
     * {@return the names of the live tasks that await their ready signal and are not
     * ready}
     */
    public List<String> notReady() {
        return this.registry.tasks()
            .stream()
            .filter((task) -> task.awaitsReady() && !task.isFinished() && !task.isReady())
            .map(CriticalTaskHandle::description)
            .toList();
    }

    @Override
    public void ready(CriticalTaskHandle task) {
        reconsider();
    }

    @Override
    public void restarted(CriticalTaskHandle task, Throwable cause, Duration backoff) {
        reconsider();
    }

    @Override
    public void completed(CriticalTaskHandle task) {
        reconsider();
    }

    @Override
    public void cancelled(CriticalTaskHandle task) {
        reconsider();
    }

    @Override
    public void failed(CriticalTaskHandle task, CriticalTaskFailedException failure) {
        // the failure's shutdown refuses traffic and breaks liveness; nothing to add
    }

    private void reconsider() {
        // published under the lock, so that two changes cannot reach the listeners in
        // the reverse order; an event listener that calls back here runs on this thread
        synchronized (this.lock) {
            if (!this.acceptingAsked || this.registry.rootToken().isCancelled()) {
                return;
            }
            List<String> waiting = notReady();
            if (this.holding == !waiting.isEmpty()) {
                return;
            }
            this.holding = !waiting.isEmpty();
            ReadinessState change = this.holding ? ReadinessState.REFUSING_TRAFFIC : ReadinessState.ACCEPTING_TRAFFIC;
            logger.info((this.holding ? "Critical tasks not ready: " + waiting : "Critical tasks are all ready")
                    + "; readiness " + change);
            AvailabilityChangeEvent.publish(this.publisher, this, change);
        }
    }

}
