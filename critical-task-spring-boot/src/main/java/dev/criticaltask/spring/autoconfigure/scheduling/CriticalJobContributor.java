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

package dev.criticaltask.spring.autoconfigure.scheduling;

import java.util.Map;
import java.util.Set;

import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.spring.autoconfigure.CriticalTaskContributor;
import dev.criticaltask.spring.autoconfigure.CriticalTaskDefinitions;
import dev.criticaltask.spring.autoconfigure.CriticalTaskProperties;
import dev.criticaltask.spring.autoconfigure.InvalidCriticalTaskPropertyException;
import dev.criticaltask.spring.scheduling.CriticalJob;
import dev.criticaltask.spring.scheduling.CriticalJobStatus;
import dev.criticaltask.spring.scheduling.CriticalJobs;
import dev.criticaltask.spring.scheduling.InvalidCriticalJobException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.boot.context.properties.source.ConfigurationPropertySource;
import org.springframework.boot.context.properties.source.ConfigurationPropertySources;
import org.springframework.boot.context.properties.source.ConfigurationPropertyState;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

/**
 * The critical jobs as tasks: each job becomes an asynchronous task of its name, checked
 * against the other task definitions and the per-task properties. Last of all
 * contributors, so that a name a job clashes on is the job's to change.
 *
 * <p>
 * A job registered once the lifecycle has started (the method of a lazy, prototype or
 * scoped bean created later) is checked and spawned by itself, with its properties, as
 * the lifecycle would have.
 */
final class CriticalJobContributor implements CriticalTaskContributor, Ordered {

    private static final Log logger = LogFactory.getLog(CriticalJobContributor.class);

    private final CriticalJobs jobs;

    private final ObjectProvider<CriticalTaskRegistry> registry;

    private final Map<String, CriticalTaskProperties.Task> properties;

    private final Environment environment;

    private final ConfigurableListableBeanFactory beanFactory;

    CriticalJobContributor(CriticalJobs jobs, ObjectProvider<CriticalTaskRegistry> registry,
            Map<String, CriticalTaskProperties.Task> properties, Environment environment,
            ConfigurableListableBeanFactory beanFactory) {
        this.jobs = jobs;
        this.registry = registry;
        this.properties = properties;
        this.environment = environment;
        this.beanFactory = beanFactory;
    }

    @Override
    public void contribute(CriticalTaskDefinitions definitions) {
        CriticalTaskRegistry supervisor = this.registry.getIfUnique();
        if (supervisor == null) {
            return;
        }
        Set<String> taken = definitions.names();
        for (CriticalJob job : this.jobs.supervise(supervisor, (late) -> spawnLate(late, definitions, supervisor))) {
            definitions.add(specOf(job, taken, definitions), kind(job));
        }
    }

    /**
     * Whether a name could be the default task name of a job of a lazy, prototype or
     * scoped bean: such a job is registered, checked and spawned when its bean is first
     * created.
     */
    @Override
    public boolean mayDefineLater(String name) {
        int dot = name.indexOf('.');
        if (dot <= 0 || !this.beanFactory.containsBeanDefinition(name.substring(0, dot))) {
            return false;
        }
        return !this.beanFactory.containsSingleton(name.substring(0, dot));
    }

    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

    /**
     * Spawns a job registered after the lifecycle took the others, as the lifecycle would
     * have.
     */
    private void spawnLate(CriticalJob job, CriticalTaskDefinitions definitions, CriticalTaskRegistry registry) {
        CriticalTaskSpec spec = definitions.withProperties(specOf(job, Set.of(), definitions), kind(job));
        try {
            registry.spawn(spec);
        }
        catch (IllegalStateException stopping) {
            if (registry.isPaused() && !registry.isStopping()) {
                // the context is stopped: the next start collects every job, this one too
                logger.debug("Critical job '" + job.name() + "' was created while the application context is "
                        + "stopped; it runs from the next start");
                return;
            }
            // the registry stops, so the application is closing: the job's failures are
            // only logged
            logger.warn("Critical job '" + job.name() + "' was created while the application is stopping; "
                    + "its failures are only logged");
        }
        catch (IllegalArgumentException taken) {
            throw invalid(job, "its task name '" + job.name() + "' is already the name of a running critical task",
                    "Give the method another task name with @Critical(\"...\").");
        }
    }

    /**
     * A job as a task.
     * @param taken the names of the other task definitions
     * @throws InvalidCriticalJobException when the job's name is taken by another task
     * definition
     * @throws InvalidCriticalTaskPropertyException when a property asks the job for
     * heartbeats or names it without brackets
     */
    private CriticalTaskSpec specOf(CriticalJob job, Set<String> taken, CriticalTaskDefinitions definitions) {
        refuseUnbracketedProperties(job.name(), definitions);
        if (taken.contains(job.name())) {
            throw invalid(job,
                    "its task name '" + job.name()
                            + "' is already the name of a CriticalTask, SupervisedTask or CriticalTaskSpec bean",
                    "Give the method another task name with @Critical(\"...\"), or rename the task bean.");
        }
        CriticalTaskProperties.Task overrides = this.properties.get(job.name());
        if (overrides != null && overrides.getHeartbeat().getTimeout() != null) {
            boolean scheduled = job.trigger() == CriticalJobStatus.Trigger.SCHEDULED;
            throw new InvalidCriticalTaskPropertyException(
                    definitions.propertyPrefix(job.name()) + ".heartbeat.timeout",
                    overrides.getHeartbeat().getTimeout(),
                    "'" + job.name() + "' is a critical " + (scheduled ? "@Scheduled" : "@Async")
                            + " method, which the " + (scheduled ? "scheduler" : "executor")
                            + " runs: it has no TaskContext to send heartbeats with",
                    "no value (a job cannot have a heartbeat; bound its runs with a timeout of their own)");
        }
        return CriticalTaskSpec.async(job.name(), job);
    }

    private static String kind(CriticalJob job) {
        return (job.trigger() == CriticalJobStatus.Trigger.SCHEDULED) ? "a critical @Scheduled method"
                : "a critical @Async method";
    }

    /**
     * A task property that names a job without brackets binds to a task named after the
     * bean alone, which Boot's binder then leaves empty: the setting would be ignored
     * without a word.
     */
    private void refuseUnbracketedProperties(String name, CriticalTaskDefinitions definitions) {
        ConfigurationPropertyName unbracketed = ConfigurationPropertyName.adapt("critical-task.tasks." + name, '.');
        for (ConfigurationPropertySource source : ConfigurationPropertySources.get(this.environment)) {
            if (source.containsDescendantOf(unbracketed) == ConfigurationPropertyState.PRESENT) {
                throw new InvalidCriticalTaskPropertyException("critical-task.tasks." + name + ".*", null,
                        "the task name '" + name + "' contains a dot, so without brackets the binder reads only '"
                                + name.substring(0, name.indexOf('.')) + "' as the task name and ignores the setting",
                        "the same setting with the name in brackets, as in " + definitions.propertyPrefix(name)
                                + ".restart.max-restarts (in YAML: \"[" + name + "]\")");
            }
        }
    }

    private static InvalidCriticalJobException invalid(CriticalJob job, String reason, String action) {
        return new InvalidCriticalJobException(job.beanName(), job.methodDescription(), reason, action);
    }

}
