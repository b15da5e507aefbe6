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

package dev.criticaltask.spring.autoconfigure.leadership;

import java.util.Map;

import dev.criticaltask.spring.autoconfigure.CriticalTaskProperties;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when leadership is in use: a {@code critical-task.tasks.<name>.leadership.role}
 * is set, or {@code critical-task.leadership.election=lock-registry}. Without either,
 * nothing of leadership is created (no lock registry, no table check): tasks behave as
 * they always did.
 */
final class OnLeadershipCondition extends SpringBootCondition {

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        Binder binder = Binder.get(context.getEnvironment());
        String election = binder.bind("critical-task.leadership.election", String.class).orElse("auto");
        if ("lock-registry".equalsIgnoreCase(election) || "lock_registry".equalsIgnoreCase(election)) {
            return ConditionOutcome.match("critical-task.leadership.election is lock-registry");
        }
        Map<String, CriticalTaskProperties.Task> tasks = binder
            .bind("critical-task.tasks", Bindable.mapOf(String.class, CriticalTaskProperties.Task.class))
            .orElse(Map.of());
        for (Map.Entry<String, CriticalTaskProperties.Task> task : tasks.entrySet()) {
            if (task.getValue().getLeadership().getRole() != null) {
                return ConditionOutcome.match("task '" + task.getKey() + "' has a leadership role");
            }
        }
        return ConditionOutcome.noMatch("no critical-task.tasks.<name>.leadership.role is set");
    }

}
