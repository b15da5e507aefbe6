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
import java.util.Locale;
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
        definitions.checkDependencies(specs);
        return specs;
    }

    /**
     * Every dependency names a defined task, and none forms a cycle; checked here, before
     * the first task starts, so that the message names the property to fix.
     */
    private void checkDependencies(List<CriticalTaskSpec> specs) {
        Map<String, CriticalTaskSpec> byName = new LinkedHashMap<>();
        specs.forEach((spec) -> byName.put(spec.name(), spec));
        for (CriticalTaskSpec spec : specs) {
            for (String dependency : spec.dependsOn()) {
                if (!byName.containsKey(dependency)) {
                    throw new InvalidCriticalTaskPropertyException(propertyPrefix(spec.name()) + ".depends-on",
                            spec.dependsOn(),
                            "'" + spec.name() + "' depends on '" + dependency
                                    + "', but no critical task of that name is defined (it may be disabled, or "
                                    + "its bean not created)",
                            "names of defined critical tasks: " + byName.keySet());
                }
            }
        }
        Set<String> done = new LinkedHashSet<>();
        for (CriticalTaskSpec spec : specs) {
            List<String> cycle = cycleFrom(spec, byName, done, new ArrayList<>());
            if (cycle != null) {
                String first = cycle.get(0);
                throw new InvalidCriticalTaskPropertyException(propertyPrefix(first) + ".depends-on",
                        byName.get(first).dependsOn(),
                        "the critical tasks depend on each other in a cycle: " + String.join(" -> ", cycle),
                        "a depends-on that leaves one task of the cycle out");
            }
        }
    }

    /**
     * The first cycle reachable from {@code spec}, as the path that closes it; or null.
     */
    private static List<String> cycleFrom(CriticalTaskSpec spec, Map<String, CriticalTaskSpec> byName, Set<String> done,
            List<String> path) {
        if (done.contains(spec.name())) {
            return null;
        }
        int index = path.indexOf(spec.name());
        if (index >= 0) {
            List<String> cycle = new ArrayList<>(path.subList(index, path.size()));
            cycle.add(spec.name());
            return cycle;
        }
        path.add(spec.name());
        for (String dependency : spec.dependsOn()) {
            List<String> cycle = cycleFrom(byName.get(dependency), byName, done, path);
            if (cycle != null) {
                return cycle;
            }
        }
        path.remove(path.size() - 1);
        done.add(spec.name());
        return null;
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
        if (spec.isAsync()) {
            return spec.canSignalReady() ? "a SupervisedAsyncTask" : "an AsyncCriticalTask";
        }
        return spec.canSignalReady() ? "a SupervisedTask" : "a plain CriticalTask";
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
        if (timeout == null && heartbeat.getOnStall() != null) {
            throw new InvalidCriticalTaskPropertyException(prefix + ".heartbeat.on-stall",
                    heartbeat.getOnStall().name().toLowerCase(Locale.ROOT),
                    "'" + spec.name() + "' has no heartbeat timeout, neither in code nor in " + prefix
                            + ".heartbeat.timeout, so no heartbeat is watched and nothing can stall",
                    "no value, or set " + prefix + ".heartbeat.timeout as well");
        }
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
        applied = applyStartup(applied, prefix, overrides.getStartup(), kind);
        List<String> dependsOn = overrides.getDependsOn();
        if (dependsOn != null) {
            if (dependsOn.contains(spec.name())) {
                throw new InvalidCriticalTaskPropertyException(prefix + ".depends-on", dependsOn,
                        "a task cannot depend on itself", "the names of other critical tasks");
            }
            if (dependsOn.stream().anyMatch((name) -> name == null || name.isBlank())) {
                throw new InvalidCriticalTaskPropertyException(prefix + ".depends-on", dependsOn,
                        "a task name must not be blank", "the names of other critical tasks");
            }
            applied = applied.withDependsOn(dependsOn);
        }
        String role = overrides.getLeadership().getRole();
        if (role != null) {
            applied = applied.withLeadership(role);
        }
        return applied;
    }

    private static CriticalTaskSpec applyStartup(CriticalTaskSpec spec, String prefix,
            CriticalTaskProperties.Startup startup, String kind) {
        boolean awaitReady = (startup.getAwaitReady() != null) ? startup.getAwaitReady() : spec.awaitsReady();
        Duration timeout = (startup.getTimeout() != null) ? startup.getTimeout() : spec.startupTimeout().orElse(null);
        if (awaitReady && !spec.canSignalReady()) {
            throw new InvalidCriticalTaskPropertyException(prefix + ".startup.await-ready", true,
                    "'" + spec.name() + "' is " + kind + ", which has no TaskContext to say it is ready with",
                    "false, or define the task as a SupervisedTask, SupervisedAsyncTask or SupervisedReactiveTask "
                            + "bean that calls context.ready()");
        }
        if (timeout != null && (timeout.isZero() || timeout.isNegative())) {
            throw new InvalidCriticalTaskPropertyException(prefix + ".startup.timeout", timeout, "it must be positive",
                    "a duration such as 30s");
        }
        if (timeout != null && !awaitReady) {
            throw new InvalidCriticalTaskPropertyException(prefix + ".startup.timeout", timeout,
                    "'" + spec.name() + "' does not await its ready signal, so it is ready as soon as it starts and "
                            + "a start-up timeout could never run out",
                    "no value, or also set " + prefix + ".startup.await-ready=true");
        }
        CriticalTaskSpec applied = spec;
        if (awaitReady != spec.awaitsReady()) {
            applied = applied.withAwaitReady(awaitReady);
        }
        if (timeout != null && !spec.startupTimeout().equals(java.util.Optional.of(timeout))) {
            applied = applied.withStartupTimeout(timeout);
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
        CriticalTaskProperties.Backoff backoff = restart.getBackoff();
        if (!policy.allowsRestarts()) {
            refuseRestartSettingsWithoutRestarts(prefix, restart);
            return policy;
        }
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

    /**
     * A restart window or backoff for a task that is never restarted would change
     * nothing: most likely max-restarts was forgotten, or misspelt.
     */
    private static void refuseRestartSettingsWithoutRestarts(String prefix, CriticalTaskProperties.Restart restart) {
        CriticalTaskProperties.Backoff backoff = restart.getBackoff();
        String property = null;
        Object value = null;
        if (restart.getWithin() != null) {
            property = ".restart.within";
            value = restart.getWithin();
        }
        else if (backoff.getInitial() != null) {
            property = ".restart.backoff.initial";
            value = backoff.getInitial();
        }
        else if (backoff.getMax() != null) {
            property = ".restart.backoff.max";
            value = backoff.getMax();
        }
        if (property != null) {
            throw new InvalidCriticalTaskPropertyException(prefix + property, value,
                    "the task is never restarted (max-restarts is 0, in code or in " + prefix
                            + ".restart.max-restarts), so the setting would change nothing",
                    "no value, or set " + prefix + ".restart.max-restarts to a positive number as well");
        }
    }

    private record Defined(CriticalTaskSpec spec, String kind) {
    }

}
