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

package dev.criticaltask.spring.lifecycle;

import java.time.Duration;

import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskListener;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.StallReport;
import dev.criticaltask.spring.CriticalTaskRestartedEvent;
import dev.criticaltask.spring.CriticalTaskStalledEvent;

import org.springframework.context.ApplicationEventPublisher;

/**
 * Publishes {@link CriticalTaskRestartedEvent} and {@link CriticalTaskStalledEvent} for
 * the tasks of a registry. Failures are not published here: {@link FailureShutdown}
 * publishes the first one once, as part of the shutdown.
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
        this.publisher.publishEvent(
                new CriticalTaskRestartedEvent(this.registry, task.description(), cause, task.restartCount(), backoff));
    }

    @Override
    public void stalled(CriticalTaskHandle task, StallReport stall) {
        this.publisher.publishEvent(new CriticalTaskStalledEvent(this.registry, stall));
    }

}
