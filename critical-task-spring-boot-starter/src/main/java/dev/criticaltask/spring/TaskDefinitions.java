package dev.criticaltask.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.RestartPolicy;
import dev.criticaltask.StallAction;
import dev.criticaltask.SupervisedTask;

import org.springframework.beans.factory.ListableBeanFactory;

/**
 * The tasks a context defines, as specs: each {@link CriticalTask} and {@link SupervisedTask} bean
 * under its bean name, each {@link CriticalTaskSpec} bean as it is, and each critical method of
 * {@link CriticalJobs}, with the
 * {@code critical-task.tasks.<name>.*} properties applied on top (a property wins over code).
 */
final class TaskDefinitions {

    private static final String PREFIX = "critical-task.tasks.";

    private TaskDefinitions() {
    }

    /**
     * Collects the specs of a context.
     *
     * @throws InvalidCriticalTaskPropertyException when a property names no task, or asks a plain
     *     task for heartbeats
     * @throws IllegalStateException when two definitions share a name
     */
    static List<CriticalTaskSpec> collect(ListableBeanFactory beans, Map<String, CriticalTaskProperties.Task> properties) {
        Map<String, CriticalTaskSpec> specs = new LinkedHashMap<>();
        beans.getBeansOfType(CriticalTask.class).forEach((name, task) -> add(specs, CriticalTaskSpec.of(name, task)));
        beans.getBeansOfType(SupervisedTask.class)
            .forEach((name, task) -> add(specs, CriticalTaskSpec.supervised(name, task)));
        beans.getBeansOfType(CriticalTaskSpec.class).values().forEach(spec -> add(specs, spec));
        // critical @Scheduled and @Async methods last: a name they clash on is theirs to change
        beans.getBeanProvider(CriticalJobs.class)
            .ifAvailable(jobs -> jobs.specs(beans, specs.keySet(), properties).forEach(spec -> add(specs, spec)));
        properties.keySet().forEach(name -> {
            if (!specs.containsKey(name)) {
                throw new InvalidCriticalTaskPropertyException(PREFIX + name, name,
                        "no critical task is named '" + name + "'",
                        "the name of a CriticalTask, SupervisedTask or CriticalTaskSpec bean or of a critical method "
                                + "(defined: " + specs.keySet() + "); a name with a dot needs brackets, as in "
                                + PREFIX.substring(0, PREFIX.length() - 1) + "[bean.method].restart.max-restarts");
            }
        });
        List<CriticalTaskSpec> result = new ArrayList<>(specs.size());
        specs.forEach((name, spec) -> {
            CriticalTaskProperties.Task overrides = properties.get(name);
            result.add(overrides != null ? apply(spec, overrides) : spec);
        });
        return result;
    }

    private static void add(Map<String, CriticalTaskSpec> specs, CriticalTaskSpec spec) {
        if (specs.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalStateException("Two critical task definitions are named '" + spec.name()
                    + "': task names must be unique among CriticalTask, SupervisedTask and CriticalTaskSpec beans");
        }
    }

    static CriticalTaskSpec apply(CriticalTaskSpec spec, CriticalTaskProperties.Task overrides) {
        // a critical method's name has a dot, which the binder only keeps inside brackets
        String prefix = spec.name().contains(".") ? PREFIX.substring(0, PREFIX.length() - 1) + "[" + spec.name() + "]"
                : PREFIX + spec.name();
        CriticalTaskSpec applied = spec;
        CriticalTaskProperties.Restart restart = overrides.getRestart();
        if (restart.isSet()) {
            applied = applied.withRestartPolicy(restartPolicy(prefix, spec.restartPolicy(), restart));
        }
        CriticalTaskProperties.Heartbeat heartbeat = overrides.getHeartbeat();
        Duration timeout = heartbeat.getTimeout() != null ? heartbeat.getTimeout()
                : spec.heartbeatTimeout().orElse(null);
        StallAction onStall = heartbeat.getOnStall() != null ? heartbeat.getOnStall() : spec.stallAction();
        if (timeout != null) {
            if (!spec.canHeartbeat()) {
                throw new InvalidCriticalTaskPropertyException(prefix + ".heartbeat.timeout", timeout,
                        "'" + spec.name() + "' is a plain CriticalTask, which has no TaskContext to send heartbeats with",
                        "no value, or define the task as a SupervisedTask bean that calls context.heartbeat()");
            }
            applied = applied.withHeartbeat(timeout, onStall);
        }
        return applied;
    }

    private static RestartPolicy restartPolicy(String prefix, RestartPolicy base, CriticalTaskProperties.Restart restart) {
        int maxRestarts = restart.getMaxRestarts() != null ? restart.getMaxRestarts() : base.maxRestarts();
        Duration within = restart.getWithin() != null ? restart.getWithin()
                : base.allowsRestarts() ? base.within() : Duration.ofMinutes(1);
        RestartPolicy policy = base.withLimit(maxRestarts, within);
        if (!policy.allowsRestarts()) {
            return policy;
        }
        CriticalTaskProperties.Backoff backoff = restart.getBackoff();
        Duration initial = backoff.getInitial() != null ? backoff.getInitial() : policy.initialBackoff();
        Duration max = backoff.getMax() != null ? backoff.getMax() : policy.maxBackoff();
        if (max.compareTo(initial) < 0) {
            // one of the two comes from code: name the property that was set
            String property = prefix + (backoff.getMax() != null ? ".restart.backoff.max" : ".restart.backoff.initial");
            throw new InvalidCriticalTaskPropertyException(property, backoff.getMax() != null ? max : initial,
                    "the maximum backoff (" + max + ") would be below the initial one (" + initial + ")",
                    "a backoff.max at least as long as backoff.initial");
        }
        return policy.withBackoff(initial, max);
    }

}
