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

package dev.criticaltask.spring.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.spring.scheduling.CriticalJobStatus;
import dev.criticaltask.spring.scheduling.CriticalJobs;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

/**
 * One {@link CriticalTaskHealthIndicator} per task of a registry.
 *
 * <p>
 * The entries are read from the registry on every call rather than fixed when the bean is
 * created: tasks start only once the context has started, and user code may spawn more at
 * run time. When a finished task and a live one share a name, the most recent wins, as in
 * {@link CriticalTaskRegistry#find(String)}. A task that is a critical job (a
 * {@code @Scheduled} or {@code @Async} method) also describes the job's runs, from
 * {@link CriticalJobs} when there is such a bean.
 */
public final class CriticalTasksHealthContributor implements CompositeHealthContributor {

    private final CriticalTaskRegistry registry;

    private final Supplier<@Nullable CriticalJobs> jobs;

    /**
     * Creates the contributor of a registry's tasks.
     * @param registry the tasks
     */
    public CriticalTasksHealthContributor(CriticalTaskRegistry registry) {
        this(registry, () -> null);
    }

    /**
     * Creates the contributor of a registry's tasks, some of which may be critical jobs.
     * @param registry the tasks
     * @param jobs the critical jobs, asked on every call; it may supply {@code null} when
     * there are none
     */
    public CriticalTasksHealthContributor(CriticalTaskRegistry registry, Supplier<@Nullable CriticalJobs> jobs) {
        this.registry = registry;
        this.jobs = jobs;
    }

    @Override
    public @Nullable HealthContributor getContributor(String name) {
        CriticalJobs criticalJobs = this.jobs.get();
        CriticalJobStatus job = criticalJobs != null ? criticalJobs.find(name).orElse(null) : null;
        return registry.find(name).map(task -> new CriticalTaskHealthIndicator(task, job)).orElse(null);
    }

    @Override
    public Stream<Entry> stream() {
        // tasks() lists finished tasks first, then live ones: the last handle of a name
        // is the newest
        Map<String, CriticalTaskHandle> newestByName = new LinkedHashMap<>();
        for (CriticalTaskHandle task : registry.tasks()) {
            newestByName.put(task.description(), task);
        }
        // one look at the schedulers for all jobs
        CriticalJobs criticalJobs = this.jobs.get();
        Map<String, CriticalJobStatus> jobsByName = criticalJobs == null ? Map.of()
                : criticalJobs.jobs().stream().collect(Collectors.toMap(CriticalJobStatus::name, Function.identity()));
        return newestByName.values()
            .stream()
            .map(task -> new Entry(task.description(),
                    new CriticalTaskHealthIndicator(task, jobsByName.get(task.description()))));
    }

}
