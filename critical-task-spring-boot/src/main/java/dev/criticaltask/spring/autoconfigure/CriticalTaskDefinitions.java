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

import java.util.Set;

import dev.criticaltask.CriticalTaskSpec;

/**
 * The critical tasks of one start of the lifecycle, as its {@link CriticalTaskContributor
 * contributors} define them; the per-task properties
 * ({@code critical-task.tasks.<name>.*}) apply to each, a property winning over code.
 *
 * <p>
 * Not thread-safe while the lifecycle starts; {@link #withProperties} may be called from
 * any thread at any time, for a task defined later.
 */
public interface CriticalTaskDefinitions {

    /**
     * The names of the tasks defined so far, in order.
     * @return an unmodifiable snapshot
     */
    Set<String> names();

    /**
     * Adds a task.
     * @param spec the task
     * @param kind what defined it, for messages: an indefinite article and a type, such
     * as {@code "a ReactiveCriticalTask"}
     * @throws IllegalStateException when a task of the same name is defined already
     */
    void add(CriticalTaskSpec spec, String kind);

    /**
     * A task defined after the lifecycle started, with the properties applied as
     * {@link #add} would have; the caller spawns it.
     * @param spec the task
     * @param kind what defined it, as for {@link #add}
     * @return the task with its properties applied
     * @throws InvalidCriticalTaskPropertyException when a property cannot apply to it
     */
    CriticalTaskSpec withProperties(CriticalTaskSpec spec, String kind);

    /**
     * The prefix of a task's properties as a user writes it:
     * {@code critical-task.tasks.<name>}, or with the name in brackets when it has a dot,
     * which the binder keeps only inside brackets.
     * @param name the task's name
     * @return the prefix, without a trailing dot
     */
    String propertyPrefix(String name);

}
