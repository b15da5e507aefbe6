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

package dev.criticaltask.spring.autoconfigure.availability;

import java.util.List;

import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.availability.CriticalTaskReadiness;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.context.ApplicationListener;
import org.springframework.context.event.ContextRefreshedEvent;

/**
 * Says at WARN, once the tasks have started, that tasks await their ready signal while
 * the application's {@link ApplicationAvailability} is not the starter's: a user's own
 * bean made the starter's back off, so readiness does not wait for them, which
 * {@code startup.await-ready=true} seems to promise.
 */
final class UnawaitedReadinessWarning implements ApplicationListener<ContextRefreshedEvent> {

    private static final Log logger = LogFactory.getLog(UnawaitedReadinessWarning.class);

    private final CriticalTaskRegistry registry;

    private final ObjectProvider<ApplicationAvailability> availability;

    UnawaitedReadinessWarning(CriticalTaskRegistry registry, ObjectProvider<ApplicationAvailability> availability) {
        this.registry = registry;
        this.availability = availability;
    }

    @Override
    public void onApplicationEvent(ContextRefreshedEvent event) {
        ApplicationAvailability current = this.availability.getIfAvailable();
        if (current instanceof CriticalTaskReadiness) {
            return;
        }
        List<String> awaiting = this.registry.tasks()
            .stream()
            .filter(CriticalTaskHandle::awaitsReady)
            .map(CriticalTaskHandle::description)
            .toList();
        if (!awaiting.isEmpty()) {
            logger.warn("Critical tasks " + awaiting + " await their ready signal (startup.await-ready), but the "
                    + "application's readiness does not wait for them: its ApplicationAvailability is "
                    + ((current != null) ? current.getClass().getName() : "missing")
                    + ", not the starter's CriticalTaskReadiness, which backs off when the application defines "
                    + "its own. Remove that bean, or make its readiness wait for these tasks.");
        }
    }

}
