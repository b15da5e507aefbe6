package dev.criticaltask.spring;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.criticaltask.AsyncCriticalTask;
import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.RestartPolicy;
import dev.criticaltask.StallAction;
import dev.criticaltask.SupervisedTask;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.config.ConfigurableBeanFactory;
import org.springframework.util.ClassUtils;

/**
 * The tasks a context defines, as specs: each {@link CriticalTask}, {@link SupervisedTask},
 * {@link AsyncCriticalTask} and (with Reactor present) {@link ReactiveCriticalTask} bean under its
 * bean name, each {@link CriticalTaskSpec} bean as it is, and each critical method of
 * {@link CriticalJobs}, with the
 * {@code critical-task.tasks.<name>.*} properties applied on top (a property wins over code).
 */
final class TaskDefinitions {

    private static final String PREFIX = "critical-task.tasks.";

    private static final String REACTOR_CLASS = "reactor.core.publisher.Flux";

    private static final String KINDS = "CriticalTask, SupervisedTask, AsyncCriticalTask, ReactiveCriticalTask or CriticalTaskSpec";

    private TaskDefinitions() {
    }

    /**
     * Collects the specs of a context.
     *
     * @throws InvalidCriticalTaskPropertyException when a property names no task, or asks a task
     *     that has no {@link dev.criticaltask.TaskContext} for heartbeats
     * @throws IllegalStateException when two definitions share a name, or a ReactiveCriticalTask
     *     bean is defined without Reactor on the classpath
     */
    static List<CriticalTaskSpec> collect(ListableBeanFactory beans, Map<String, CriticalTaskProperties.Task> properties) {
        Map<String, CriticalTaskSpec> specs = new LinkedHashMap<>();
        beans.getBeansOfType(CriticalTask.class).forEach((name, task) -> add(specs, CriticalTaskSpec.of(name, task)));
        beans.getBeansOfType(SupervisedTask.class)
            .forEach((name, task) -> add(specs, CriticalTaskSpec.supervised(name, task)));
        beans.getBeansOfType(AsyncCriticalTask.class).forEach((name, task) -> add(specs, CriticalTaskSpec.async(name, task)));
        Set<String> reactive = new HashSet<>();
        reactiveTasks(beans).forEach((name, task) -> {
            add(specs, CriticalTaskSpec.async(name, task));
            reactive.add(name);
        });
        beans.getBeansOfType(CriticalTaskSpec.class).values().forEach(spec -> add(specs, spec));
        // critical @Scheduled and @Async methods last: a name they clash on is theirs to change
        beans.getBeanProvider(CriticalJobs.class)
            .ifAvailable(jobs -> jobs.specs(beans, specs.keySet(), properties).forEach(spec -> add(specs, spec)));
        properties.keySet().forEach(name -> {
            if (!specs.containsKey(name) && !isMethodOfABeanNotCreatedYet(beans, name)) {
                throw new InvalidCriticalTaskPropertyException(PREFIX + name, name,
                        "no critical task is named '" + name + "'",
                        "the name of a " + KINDS + " bean or of a critical method (defined: " + specs.keySet()
                                + "); a name with a dot needs brackets, as in "
                                + propertyPrefix("bean.method") + ".restart.max-restarts");
            }
        });
        List<CriticalTaskSpec> result = new ArrayList<>(specs.size());
        specs.forEach((name, spec) -> {
            CriticalTaskProperties.Task overrides = properties.get(name);
            result.add(overrides != null ? apply(spec, overrides, kind(spec, reactive.contains(name))) : spec);
        });
        return result;
    }

    /**
     * The prefix of a task's properties as a user writes it: {@code critical-task.tasks.<name>}, or
     * with the name in brackets when it has a dot (a critical method's), which the binder only keeps
     * inside brackets.
     */
    static String propertyPrefix(String taskName) {
        return taskName.contains(".") ? "critical-task.tasks[" + taskName + "]" : PREFIX + taskName;
    }

    /**
     * Whether a name could be the default task name of a critical method of a lazy, prototype or
     * scoped bean: such a job is registered, checked and spawned when its bean is first created.
     */
    private static boolean isMethodOfABeanNotCreatedYet(ListableBeanFactory beans, String name) {
        int dot = name.indexOf('.');
        if (dot <= 0 || !beans.containsBeanDefinition(name.substring(0, dot))) {
            return false;
        }
        String beanName = name.substring(0, dot);
        return !(beans instanceof ConfigurableBeanFactory configurable) || !configurable.containsSingleton(beanName);
    }

    private static void add(Map<String, CriticalTaskSpec> specs, CriticalTaskSpec spec) {
        if (specs.putIfAbsent(spec.name(), spec) != null) {
            throw new IllegalStateException("Two critical task definitions are named '" + spec.name()
                    + "': task names must be unique among " + KINDS + " beans");
        }
    }

    /**
     * The ReactiveCriticalTask beans, adapted; none without Reactor, where such a bean is refused
     * rather than left silently unrun.
     */
    private static Map<String, AsyncCriticalTask> reactiveTasks(ListableBeanFactory beans) {
        ClassLoader classLoader = beans instanceof ConfigurableBeanFactory configurable ? configurable.getBeanClassLoader() : null;
        if (ClassUtils.isPresent(REACTOR_CLASS, classLoader)) {
            return ReactiveTaskAdapter.beansOf(beans);
        }
        String[] names = beans.getBeanNamesForType(ReactiveCriticalTask.class);
        if (names.length > 0) {
            throw new IllegalStateException("ReactiveCriticalTask bean(s) " + Arrays.toString(names)
                    + " cannot run: Reactor (io.projectreactor:reactor-core) is not on the classpath");
        }
        return Map.of();
    }

    /** What a spec's task is, in a message: "a plain CriticalTask", "an AsyncCriticalTask"... */
    private static String kind(CriticalTaskSpec spec, boolean reactive) {
        if (reactive) {
            return "a ReactiveCriticalTask";
        }
        return spec.isAsync() ? "an AsyncCriticalTask" : "a plain CriticalTask";
    }

    static CriticalTaskSpec apply(CriticalTaskSpec spec, CriticalTaskProperties.Task overrides) {
        return apply(spec, overrides, kind(spec, false));
    }

    private static CriticalTaskSpec apply(CriticalTaskSpec spec, CriticalTaskProperties.Task overrides, String kind) {
        String prefix = propertyPrefix(spec.name());
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
                        "'" + spec.name() + "' is " + kind + ", which has no TaskContext to send heartbeats with",
                        spec.isAsync()
                                ? "no value: asynchronous tasks have no heartbeat; give a stage or publisher that "
                                        + "could hang a timeout of its own"
                                : "no value, or define the task as a SupervisedTask bean that calls context.heartbeat()");
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
