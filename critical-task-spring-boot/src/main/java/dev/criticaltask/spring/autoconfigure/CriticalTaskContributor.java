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

/**
 * A source of critical tasks for the lifecycle that {@link CriticalTaskAutoConfiguration}
 * defines. Every bean of this type is asked, in
 * {@link org.springframework.core.annotation.Order order}, each time the lifecycle
 * starts, before any task starts; the per-task properties
 * ({@code critical-task.tasks.<name>.*}) then apply to what they defined.
 *
 * <p>
 * Each kind of task definition has its contributor, registered by its own
 * auto-configuration: the task beans ({@code CriticalTask}, {@code SupervisedTask},
 * {@code AsyncCriticalTask} and {@code CriticalTaskSpec}) first, then
 * {@code ReactiveCriticalTask} beans (with the reactor module and Reactor present), and
 * {@link dev.criticaltask.spring.scheduling.Critical @Critical} jobs last, so that a name
 * they clash on is theirs to change. An application may add its own.
 *
 * <p>
 * Called on the thread that starts the application context.
 */
@FunctionalInterface
public interface CriticalTaskContributor {

    /**
     * Adds this contributor's tasks.
     * @param definitions the tasks of this start so far; add to it
     * @throws RuntimeException to fail the start, before any task has started
     */
    void contribute(CriticalTaskDefinitions definitions);

    /**
     * Whether this contributor may define a task of this name later, once the application
     * runs (the job of a lazy bean, say), so that properties that name it are not refused
     * as naming no task.
     * @param name the task name that a {@code critical-task.tasks.<name>} property uses
     * @return {@code true} when such a task may still come; {@code false} by default
     */
    default boolean mayDefineLater(String name) {
        return false;
    }

}
