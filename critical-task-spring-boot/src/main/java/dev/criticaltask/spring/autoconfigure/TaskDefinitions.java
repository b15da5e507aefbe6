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

package dev.criticaltask.spring.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.RestartPolicy;
import dev.criticaltask.StallAction;

/**
 * The tasks of one start, as the {@link CriticalTaskContributor contributors} define
 * them, with the {@code critical-task.tasks.<name>.*} properties applied on top (a
 * property wins over code).
 */
final class TaskDefinitions implements CriticalTaskDefinitions {

    private static final String PREFIX = "critical-task.tasks.";

    static final String KINDS = "CriticalTask, SupervisedTask, AsyncCriticalTask, ReactiveCriticalTask or CriticalTaskSpec";

    private final Map<String, CriticalTaskProperties.Task> properties;

    /** By name, in the order they were added; each with its kind. */
    private final Map<String, Defined> defined = new LinkedHashMap<>();

    TaskDefinitions(Map<String, CriticalTaskProperties.Task> properties) {
        this.properties = Map.copyOf(properties);
    }

    /**
     * Asks every contributor, then checks and applies the properties. Every definition is
     * checked before the first task starts.
     * @throws InvalidCriticalTaskPropertyException when a property names no task, or
     * cannot apply to the task it names
     * @throws IllegalStateException when two definitions share a name
     */
    static List<CriticalTaskSpec> collect(List<CriticalTaskContributor> contributors,
            Map<String, CriticalTaskProperties.Task> properties) {
        TaskDefinitions definitions = new TaskDefinitions(properties);
        contributors.forEach((contributor) -> contributor.contribute(definitions));
        definitions.properties.keySet().forEach((name) -> {
            if (!definitions.defined.containsKey(name)
                    && contributors.stream().noneMatch((contributor) -> contributor.mayDefineLater(name))) {
                throw new InvalidCriticalTaskPropertyException(PREFIX + name, name,
                        "no critical task is named '" + name + "'",
                        "the name of a " + KINDS + " bean or of a critical job (defined: "
                                + definitions.defined.keySet() + "); a name with a dot needs brackets, as in "
                                + definitions.propertyPrefix("bean.method") + ".restart.max-restarts");
            }
        });
        List<CriticalTaskSpec> specs = new ArrayList<>(definitions.defined.size());
        definitions.defined.values().forEach((task) -> specs.add(definitions.withProperties(task.spec(), task.kind())));
        return specs;
    }

    @Override
    public Set<String> names() {
        return Collections.unmodifiableSet(new LinkedHashSet<>(this.defined.keySet()));
    }

    @Override
    public void add(CriticalTaskSpec spec, String kind) {
        if (this.defined.putIfAbsent(spec.name(), new Defined(spec, kind)) != null) {
            throw new IllegalStateException("Two critical task definitions are named '" + spec.name()
                    + "': task names must be unique among " + KINDS + " beans");
        }
    }

    @Override
    public String propertyPrefix(String name) {
        return name.contains(".") ? "critical-task.tasks[" + name + "]" : PREFIX + name;
    }

    @Override
    public CriticalTaskSpec withProperties(CriticalTaskSpec spec, String kind) {
        CriticalTaskProperties.Task overrides = this.properties.get(spec.name());
        return (overrides != null) ? apply(spec, overrides, kind) : spec;
    }

    /**
     * What a spec's task is, in a message: "a plain CriticalTask", "an
     * AsyncCriticalTask".
     */
    static String kind(CriticalTaskSpec spec) {
        return spec.isAsync() ? "an AsyncCriticalTask" : "a plain CriticalTask";
    }

    private CriticalTaskSpec apply(CriticalTaskSpec spec, CriticalTaskProperties.Task overrides, String kind) {
        String prefix = propertyPrefix(spec.name());
        CriticalTaskSpec applied = spec;
        CriticalTaskProperties.Restart restart = overrides.getRestart();
        if (isSet(restart)) {
            applied = applied.withRestartPolicy(restartPolicy(prefix, spec.restartPolicy(), restart));
        }
        CriticalTaskProperties.Heartbeat heartbeat = overrides.getHeartbeat();
        Duration timeout = (heartbeat.getTimeout() != null) ? heartbeat.getTimeout()
                : spec.heartbeatTimeout().orElse(null);
        StallAction onStall = (heartbeat.getOnStall() != null) ? heartbeat.getOnStall() : spec.stallAction();
        if (timeout != null) {
            if (!spec.canHeartbeat()) {
                throw new InvalidCriticalTaskPropertyException(prefix + ".heartbeat.timeout", timeout, "'" + spec
                    .name() + "' is " + kind + ", which has no TaskContext to send heartbeats with", spec.isAsync()
                            ? "no value: asynchronous tasks have no heartbeat; give a stage or publisher that "
                                    + "could hang a timeout of its own"
                            : "no value, or define the task as a SupervisedTask bean that calls context.heartbeat()");
            }
            applied = applied.withHeartbeat(timeout, onStall);
        }
        String role = overrides.getLeadership().getRole();
        if (role != null) {
            applied = applied.withLeadership(role);
        }
        return applied;
    }

    private static boolean isSet(CriticalTaskProperties.Restart restart) {
        return restart.getMaxRestarts() != null || restart.getWithin() != null
                || restart.getBackoff().getInitial() != null || restart.getBackoff().getMax() != null;
    }

    private static RestartPolicy restartPolicy(String prefix, RestartPolicy base,
            CriticalTaskProperties.Restart restart) {
        int maxRestarts = (restart.getMaxRestarts() != null) ? restart.getMaxRestarts() : base.maxRestarts();
        Duration within = (restart.getWithin() != null) ? restart.getWithin()
                : base.allowsRestarts() ? base.within() : Duration.ofMinutes(1);
        RestartPolicy policy = base.withLimit(maxRestarts, within);
        if (!policy.allowsRestarts()) {
            return policy;
        }
        CriticalTaskProperties.Backoff backoff = restart.getBackoff();
        Duration initial = (backoff.getInitial() != null) ? backoff.getInitial() : policy.initialBackoff();
        Duration max = (backoff.getMax() != null) ? backoff.getMax() : policy.maxBackoff();
        if (max.compareTo(initial) < 0) {
            // one of the two comes from code: name the property that was set
            String property = prefix
                    + ((backoff.getMax() != null) ? ".restart.backoff.max" : ".restart.backoff.initial");
            throw new InvalidCriticalTaskPropertyException(property, (backoff.getMax() != null) ? max : initial,
                    "the maximum backoff (" + max + ") would be below the initial one (" + initial + ")",
                    "a backoff.max at least as long as backoff.initial");
        }
        return policy.withBackoff(initial, max);
    }

    private record Defined(CriticalTaskSpec spec, String kind) {
    }

}
