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

import dev.criticaltask.CriticalTaskSpec;

/**
 * Wraps each task that the lifecycle spawns, once its {@code critical-task.tasks.<name>}
 * properties are applied, at every start of the context: the observation
 * auto-configuration observes each attempt this way. Decorators run in their bean order;
 * one that throws fails the start, before any task has started.
 */
@FunctionalInterface
public interface CriticalTaskSpecDecorator {

    /**
     * Decorates one task.
     * @param spec the task as defined, with its properties applied
     * @return the task to spawn: {@code spec} itself, or one made from it with
     * {@link CriticalTaskSpec#withDecoratedTask}
     */
    CriticalTaskSpec decorate(CriticalTaskSpec spec);

}
