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

import dev.criticaltask.AsyncCriticalTask;
import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.SupervisedAsyncTask;
import dev.criticaltask.SupervisedTask;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.Ordered;

/**
 * The task beans of a context: each {@link CriticalTask}, {@link SupervisedTask},
 * {@link AsyncCriticalTask} and {@link SupervisedAsyncTask} bean under its bean name, and
 * each {@link CriticalTaskSpec} bean as it is. First of all contributors.
 */
final class TaskBeanContributor implements CriticalTaskContributor, Ordered {

    private final ListableBeanFactory beans;

    TaskBeanContributor(ListableBeanFactory beans) {
        this.beans = beans;
    }

    @Override
    public void contribute(CriticalTaskDefinitions definitions) {
        this.beans.getBeansOfType(CriticalTask.class)
            .forEach((name, task) -> definitions.add(CriticalTaskSpec.of(name, task), "a plain CriticalTask"));
        this.beans.getBeansOfType(SupervisedTask.class)
            .forEach((name, task) -> definitions.add(CriticalTaskSpec.supervised(name, task), "a SupervisedTask"));
        this.beans.getBeansOfType(AsyncCriticalTask.class)
            .forEach((name, task) -> definitions.add(CriticalTaskSpec.async(name, task), "an AsyncCriticalTask"));
        this.beans.getBeansOfType(SupervisedAsyncTask.class)
            .forEach((name, task) -> definitions.add(CriticalTaskSpec.supervisedAsync(name, task),
                    "a SupervisedAsyncTask"));
        this.beans.getBeansOfType(CriticalTaskSpec.class)
            .values()
            .forEach((spec) -> definitions.add(spec, TaskDefinitions.kind(spec)));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

}
