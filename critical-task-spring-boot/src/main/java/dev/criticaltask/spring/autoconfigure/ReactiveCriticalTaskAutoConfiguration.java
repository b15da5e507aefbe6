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

import java.util.Arrays;

import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.reactor.ReactiveCriticalTask;
import dev.criticaltask.reactor.SupervisedReactiveTask;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;

/**
 * {@link org.springframework.boot.autoconfigure.EnableAutoConfiguration
 * Auto-configuration} for {@link ReactiveCriticalTask} beans (module
 * {@code critical-task-reactor}): each runs under its bean name, adapted by
 * {@link ReactiveCriticalTask#asAsync}, through a {@link CriticalTaskContributor}.
 *
 * <p>
 * Without Reactor itself on the class path, such a bean fails start-up rather than never
 * running. Off with {@code critical-task.enabled=false}, and without the lifecycle of
 * {@link CriticalTaskAutoConfiguration} to run the tasks.
 */
@AutoConfiguration(after = CriticalTaskAutoConfiguration.class)
@ConditionalOnClass(ReactiveCriticalTask.class)
@ConditionalOnCriticalTaskEnabled
@ConditionalOnBean(name = CriticalTaskAutoConfiguration.LIFECYCLE_BEAN_NAME)
public final class ReactiveCriticalTaskAutoConfiguration {

    /**
     * Creates the auto-configuration; Spring Boot does so when its conditions match.
     */
    public ReactiveCriticalTaskAutoConfiguration() {
    }

    static final String CONTRIBUTOR_BEAN_NAME = "reactiveCriticalTaskContributor";

    /** Reactor is present: the beans run. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnClass(name = "reactor.core.publisher.Flux")
    static final class ReactorConfiguration {

        @Bean(CONTRIBUTOR_BEAN_NAME)
        @ConditionalOnMissingBean(name = CONTRIBUTOR_BEAN_NAME)
        @Order(0)
        CriticalTaskContributor reactiveCriticalTaskContributor(ListableBeanFactory beanFactory) {
            return (definitions) -> {
                beanFactory.getBeansOfType(ReactiveCriticalTask.class)
                    .forEach((name, task) -> definitions.add(
                            CriticalTaskSpec.async(name, ReactiveCriticalTask.asAsync(task)),
                            "a ReactiveCriticalTask"));
                beanFactory.getBeansOfType(SupervisedReactiveTask.class)
                    .forEach((name, task) -> definitions.add(
                            CriticalTaskSpec.supervisedAsync(name, SupervisedReactiveTask.asAsync(task)),
                            "a SupervisedReactiveTask"));
            };
        }

    }

    /** Reactor is missing: a bean is refused rather than left silently unrun. */
    @Configuration(proxyBeanMethods = false)
    @ConditionalOnMissingClass("reactor.core.publisher.Flux")
    static final class WithoutReactorConfiguration {

        @Bean(CONTRIBUTOR_BEAN_NAME)
        @ConditionalOnMissingBean(name = CONTRIBUTOR_BEAN_NAME)
        @Order(0)
        CriticalTaskContributor reactiveCriticalTaskContributor(ListableBeanFactory beanFactory) {
            return (definitions) -> {
                String[] reactive = beanFactory.getBeanNamesForType(ReactiveCriticalTask.class);
                String[] supervised = beanFactory.getBeanNamesForType(SupervisedReactiveTask.class);
                String[] names = Arrays.copyOf(reactive, reactive.length + supervised.length);
                System.arraycopy(supervised, 0, names, reactive.length, supervised.length);
                if (names.length > 0) {
                    throw new IllegalStateException(
                            "ReactiveCriticalTask or SupervisedReactiveTask bean(s) " + Arrays.toString(names)
                                    + " cannot run: Reactor (io.projectreactor:reactor-core) is not on the classpath");
                }
            };
        }

    }

}
