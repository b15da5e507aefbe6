package dev.criticaltask.spring.autoconfigure;

import dev.criticaltask.AsyncCriticalTask;
import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.SupervisedTask;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.core.Ordered;

/**
 * The task beans of a context: each {@link CriticalTask}, {@link SupervisedTask} and
 * {@link AsyncCriticalTask} bean under its bean name, and each {@link CriticalTaskSpec} bean as it
 * is. First of all contributors.
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
        this.beans.getBeansOfType(CriticalTaskSpec.class)
            .values()
            .forEach((spec) -> definitions.add(spec, TaskDefinitions.kind(spec)));
    }

    @Override
    public int getOrder() {
        return Ordered.HIGHEST_PRECEDENCE;
    }

}
