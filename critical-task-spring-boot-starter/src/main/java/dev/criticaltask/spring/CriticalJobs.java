package dev.criticaltask.spring;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.CriticalTaskSpec;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.env.Environment;
import org.springframework.scheduling.config.CronTask;
import org.springframework.scheduling.config.FixedDelayTask;
import org.springframework.scheduling.config.FixedRateTask;
import org.springframework.scheduling.config.OneTimeTask;
import org.springframework.scheduling.config.ScheduledTask;
import org.springframework.scheduling.config.ScheduledTaskHolder;
import org.springframework.scheduling.config.Task;
import org.springframework.scheduling.config.TriggerTask;
import org.springframework.scheduling.support.ScheduledMethodRunnable;

/**
 * The critical jobs of an application: its {@link Critical critical} {@code @Scheduled} and
 * {@code void @Async} methods, each supervised as a critical task of the same name. A bean of this
 * type exists whenever critical methods are looked for; health and the {@code criticaltasks}
 * endpoint read it to describe these tasks.
 *
 * <p>Thread-safe. Every call returns a fresh, immutable snapshot; schedules and next runs are read
 * from Spring's {@link ScheduledTaskHolder} beans at that moment.
 */
public final class CriticalJobs {

    private static final Log logger = LogFactory.getLog(CriticalJobs.class);

    /** Each wrapper class's runnable field, looked up once per class. */
    private static final RunnableFields RUNNABLE_FIELDS = new RunnableFields();

    private final Object lock = new Object();

    /** By task name, in the order the beans were created; guarded by lock. */
    private final Map<String, CriticalJob> byName = new LinkedHashMap<>();

    /**
     * Spring's holders of scheduled tasks, looked up once the singletons exist: looking them up on
     * every read could, once the context is closed, create them anew.
     */
    private volatile List<ScheduledTaskHolder> scheduledTaskHolders = List.of();

    /**
     * Set once the lifecycle has taken the jobs' specs; guarded by lock. A job registered later (the
     * method of a lazy, prototype or scoped bean created after start-up) is spawned at once with it.
     */
    private @Nullable LateSpawn lateSpawn;

    CriticalJobs() {
    }

    /** The status of every critical job, in the order their beans were created. */
    public List<CriticalJobStatus> jobs() {
        List<CriticalJob> jobs = snapshot();
        Map<CriticalJob, List<ScheduledTask>> schedules = schedules(jobs);
        List<CriticalJobStatus> statuses = new ArrayList<>(jobs.size());
        for (CriticalJob job : jobs) {
            statuses.add(status(job, schedules.getOrDefault(job, List.of())));
        }
        return Collections.unmodifiableList(statuses);
    }

    /** The status of the critical job whose task has this name, if there is one. */
    public Optional<CriticalJobStatus> find(String name) {
        CriticalJob job;
        synchronized (this.lock) {
            job = this.byName.get(name);
        }
        if (job == null) {
            return Optional.empty();
        }
        return Optional.of(status(job, schedules(List.of(job)).getOrDefault(job, List.of())));
    }

    void useScheduledTaskHolders(List<ScheduledTaskHolder> holders) {
        this.scheduledTaskHolders = List.copyOf(holders);
    }

    /**
     * The job of a bean's critical method, registered on first use: a prototype's instances share
     * the job of their bean name.
     *
     * @throws InvalidCriticalMethodException when another method already has the task name
     */
    CriticalJob register(String beanName, CriticalMethods.Found found) {
        Method method = found.method();
        String name = found.name() != null ? found.name() : beanName + "." + method.getName();
        CriticalJob job;
        LateSpawn late;
        synchronized (this.lock) {
            CriticalJob existing = this.byName.get(name);
            if (existing != null) {
                if (existing.beanName().equals(beanName) && existing.method().equals(method)) {
                    return existing;
                }
                throw CriticalMethods.invalid(beanName, method, "its task name '" + name + "' is already the name of "
                        + existing.methodDescription() + " of bean '" + existing.beanName()
                        + "' (a critical method is named <beanName>.<methodName> unless @Critical names it)",
                        "Give one of the two methods a distinct task name with @Critical(\"...\").");
            }
            job = new CriticalJob(name, beanName, method, found.trigger());
            this.byName.put(name, job);
            late = this.lateSpawn;
        }
        if (late != null) {
            spawnLate(job, late);
        }
        return job;
    }

    /** Spawns a job registered after the lifecycle took the others, as the lifecycle would have. */
    private void spawnLate(CriticalJob job, LateSpawn late) {
        CriticalTaskSpec spec = specOf(job, Set.of(), late.properties(), late.environment());
        CriticalTaskProperties.Task overrides = late.properties().get(job.name());
        if (overrides != null) {
            spec = TaskDefinitions.apply(spec, overrides);
        }
        job.supervisedBy(late.registry());
        try {
            late.registry().spawn(spec);
        }
        catch (IllegalStateException stopping) {
            // the registry stops, so the application is closing: the job's failures are only logged
            logger.warn("Critical job '" + job.name() + "' was created while the application is stopping; "
                    + "its failures are only logged");
        }
        catch (IllegalArgumentException taken) {
            throw CriticalMethods.invalid(job.beanName(), job.method(), "its task name '" + job.name()
                    + "' is already the name of a running critical task",
                    "Give the method another task name with @Critical(\"...\").");
        }
    }

    /**
     * The jobs as task specs, for {@link TaskDefinitions}, checked against the other task definitions
     * and the per-task properties; from now on a failure of a job while the registry stops is only
     * logged.
     *
     * @param taken the names of the other task definitions
     * @throws InvalidCriticalMethodException when a job's name is taken by another task definition
     * @throws InvalidCriticalTaskPropertyException when a property asks a job for heartbeats
     */
    List<CriticalTaskSpec> specs(ListableBeanFactory beans, Set<String> taken,
            Map<String, CriticalTaskProperties.Task> properties) {
        CriticalTaskRegistry registry = beans.getBeanProvider(CriticalTaskRegistry.class).getIfUnique();
        Environment environment = beans.getBeanProvider(Environment.class).getIfAvailable();
        List<CriticalJob> jobs;
        synchronized (this.lock) {
            // together: a job registered from now on is spawned by itself, one registered before is here
            jobs = new ArrayList<>(this.byName.values());
            this.lateSpawn = registry != null ? new LateSpawn(registry, Map.copyOf(properties), environment) : null;
        }
        List<CriticalTaskSpec> specs = new ArrayList<>();
        for (CriticalJob job : jobs) {
            specs.add(specOf(job, taken, properties, environment));
            if (registry != null) {
                job.supervisedBy(registry);
            }
        }
        return specs;
    }

    private static CriticalTaskSpec specOf(CriticalJob job, Set<String> taken,
            Map<String, CriticalTaskProperties.Task> properties, @Nullable Environment environment) {
        if (environment != null) {
            refuseUnbracketedProperties(environment, job.name());
        }
        if (taken.contains(job.name())) {
            throw CriticalMethods.invalid(job.beanName(), job.method(), "its task name '" + job.name()
                    + "' is already the name of a CriticalTask, SupervisedTask or CriticalTaskSpec bean",
                    "Give the method another task name with @Critical(\"...\"), or rename the task bean.");
        }
        CriticalTaskProperties.Task overrides = properties.get(job.name());
        if (overrides != null && overrides.getHeartbeat().getTimeout() != null) {
            boolean scheduled = job.trigger() == CriticalJobStatus.Trigger.SCHEDULED;
            throw new InvalidCriticalTaskPropertyException(
                    TaskDefinitions.propertyPrefix(job.name()) + ".heartbeat.timeout", overrides.getHeartbeat().getTimeout(),
                    "'" + job.name() + "' is a critical " + (scheduled ? "@Scheduled" : "@Async") + " method, which the "
                            + (scheduled ? "scheduler" : "executor")
                            + " runs: it has no TaskContext to send heartbeats with",
                    "no value (a job cannot have a heartbeat; bound its runs with a timeout of their own)");
        }
        return CriticalTaskSpec.async(job.name(), job);
    }

    /** What a job registered after start-up needs to be spawned as the lifecycle would have. */
    private record LateSpawn(CriticalTaskRegistry registry, Map<String, CriticalTaskProperties.Task> properties,
            @Nullable Environment environment) {
    }

    /**
     * A task property that names a job without brackets binds to a task named after the bean alone,
     * which Boot's binder then leaves empty: the setting would be ignored without a word.
     */
    private static void refuseUnbracketedProperties(Environment environment, String name) {
        ConfigurationPropertyName unbracketed = ConfigurationPropertyName.adapt("critical-task.tasks." + name, '.');
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(environment)) {
            if (source.containsDescendantOf(unbracketed) == ConfigurationPropertyState.PRESENT) {
                throw new InvalidCriticalTaskPropertyException("critical-task.tasks." + name + ".*", null,
                        "the task name '" + name + "' contains a dot, so without brackets the binder reads only '"
                                + name.substring(0, name.indexOf('.')) + "' as the task name and ignores the setting",
                        "the same setting with the name in brackets, as in " + TaskDefinitions.propertyPrefix(name)
                                + ".restart.max-restarts (in YAML: \"[" + name + "]\")");
            }
        }
    }

    private List<CriticalJob> snapshot() {
        synchronized (this.lock) {
            return new ArrayList<>(this.byName.values());
        }
    }

    private static CriticalJobStatus status(CriticalJob job, List<ScheduledTask> tasks) {
        if (tasks.isEmpty()) {
            return job.status(null, null);
        }
        List<String> schedules = new ArrayList<>(tasks.size());
        Instant next = null;
        for (ScheduledTask task : tasks) {
            schedules.add(describe(task.getTask()));
            Instant candidate = task.nextExecution();
            if (candidate != null && (next == null || candidate.isBefore(next))) {
                next = candidate;
            }
        }
        return job.status(String.join("; ", schedules), next);
    }

    static String describe(Task task) {
        if (task instanceof CronTask cron) {
            return "cron " + cron.getExpression();
        }
        if (task instanceof FixedRateTask rate) {
            return "fixed rate " + rate.getIntervalDuration() + initialDelay(rate.getInitialDelayDuration());
        }
        if (task instanceof FixedDelayTask delay) {
            return "fixed delay " + delay.getIntervalDuration() + initialDelay(delay.getInitialDelayDuration());
        }
        if (task instanceof OneTimeTask once) {
            return "one-time, after " + once.getInitialDelayDuration();
        }
        if (task instanceof TriggerTask trigger) {
            return "trigger " + trigger.getTrigger();
        }
        return task.getClass().getSimpleName();
    }

    private static String initialDelay(Duration delay) {
        return delay.isZero() || delay.isNegative() ? "" : ", initial delay " + delay;
    }

    /** The scheduled tasks that run each job's method, from every {@link ScheduledTaskHolder} bean. */
    private Map<CriticalJob, List<ScheduledTask>> schedules(List<CriticalJob> jobs) {
        List<ScheduledTaskHolder> holders = this.scheduledTaskHolders;
        if (holders.isEmpty() || jobs.stream().noneMatch(job -> job.trigger() == CriticalJobStatus.Trigger.SCHEDULED)) {
            return Map.of();
        }
        // the annotation post-processor and a registrar may both hold the same task: count it once
        Set<ScheduledTask> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Map<CriticalJob, List<ScheduledTask>> schedules = new IdentityHashMap<>();
        holders.forEach(holder -> {
            for (ScheduledTask task : holder.getScheduledTasks()) {
                if (!seen.add(task)) {
                    continue;
                }
                ScheduledMethodRunnable runnable = methodRunnable(task.getTask().getRunnable());
                CriticalJob job = runnable != null ? jobOf(jobs, runnable) : null;
                if (job != null) {
                    schedules.computeIfAbsent(job, key -> new ArrayList<>()).add(task);
                }
            }
        });
        return schedules;
    }

    private static @Nullable CriticalJob jobOf(List<CriticalJob> jobs, ScheduledMethodRunnable runnable) {
        Object target = runnable.getTarget();
        Method method = AopUtils.getMostSpecificMethod(runnable.getMethod(), AopUtils.getTargetClass(target));
        CriticalJob byMethod = null;
        int sameMethod = 0;
        for (CriticalJob job : jobs) {
            if (job.trigger() == CriticalJobStatus.Trigger.SCHEDULED && job.method().equals(method)) {
                if (job.isInstance(target)) {
                    return job;
                }
                byMethod = job;
                sameMethod++;
            }
        }
        // the target is not the object the post-processor returned (a later one wrapped it again):
        // the method alone tells the job when only one bean has it
        return sameMethod == 1 ? byMethod : null;
    }

    /**
     * The {@link ScheduledMethodRunnable} a task runs. Spring wraps it in {@code Task}'s own
     * outcome-tracking runnable, which does not expose it: look one or two levels into the wrapper's
     * runnable field, as a best effort. Without it the job shows no schedule, and nothing else changes.
     */
    private static @Nullable ScheduledMethodRunnable methodRunnable(Runnable runnable) {
        Object current = runnable;
        for (int depth = 0; depth < 3 && current != null; depth++) {
            if (current instanceof ScheduledMethodRunnable methodRunnable) {
                return methodRunnable;
            }
            current = wrapped(current);
        }
        return null;
    }

    private static @Nullable Object wrapped(Object wrapper) {
        Field field = RUNNABLE_FIELDS.get(wrapper.getClass()).orElse(null);
        if (field == null) {
            return null;
        }
        try {
            return field.get(wrapper);
        }
        catch (IllegalAccessException ex) {
            return null;
        }
    }

    /**
     * A wrapper class's own runnable field, made accessible once per class rather than looked up
     * on every read of health or the endpoint; empty when the class has none or hides it.
     */
    private static final class RunnableFields extends ClassValue<Optional<Field>> {

        @Override
        protected Optional<Field> computeValue(Class<?> type) {
            for (Field field : type.getDeclaredFields()) {
                if (Runnable.class.isAssignableFrom(field.getType()) && !Modifier.isStatic(field.getModifiers())) {
                    try {
                        field.setAccessible(true);
                        return Optional.of(field);
                    }
                    catch (RuntimeException inaccessible) {
                        return Optional.empty();
                    }
                }
            }
            return Optional.empty();
        }

    }

}
