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

package dev.criticaltask.spring.scheduling;

import java.lang.ref.WeakReference;
import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.Ordered;
import org.springframework.scheduling.annotation.AsyncAnnotationAdvisor;

/**
 * Finds the critical {@code @Scheduled} and {@code void @Async} methods of each bean,
 * registers their jobs with {@link CriticalJobs}, and advises the bean with an
 * interceptor that records every run and reports what escapes it to the job, then
 * rethrows it unchanged: the scheduler's {@code ErrorHandler} and the
 * {@code AsyncUncaughtExceptionHandler} still see every exception, and the user's
 * scheduler and executor are never touched.
 *
 * <p>
 * Where the advice sits, and why: it must see what escapes the proxied call, which is
 * what reaches the scheduler's {@code ErrorHandler} or the
 * {@code AsyncUncaughtExceptionHandler}.
 * <ul>
 * <li>Outermost, but inside {@code @Async}'s advisor: outside a retry (a failure that a
 * retry recovers from is no failure of the job) and outside a transaction (a commit that
 * fails after the method returned is one), and on the executor's thread for an
 * {@code @Async} method, where the exception is thrown. The post-processors that apply
 * such advice either run before this one (auto-proxy creators, and those the application
 * enables itself, which are registered before any auto-configuration), or put their
 * advisor first, as {@code @Async}'s does; {@link #placeOutermost()} puts this one back
 * in place once every singleton exists, for any that came later.
 * <li>It runs before Spring's {@code ScheduledAnnotationBeanPostProcessor}, an internal
 * post-processor that Spring runs last, so that the runnable it schedules invokes the
 * method on the proxy, through the interceptor.
 * </ul>
 *
 * <p>
 * Each bean gets an advisor of its own, which knows the bean's jobs: the interceptor
 * never has to find out which bean an invocation is for.
 */
public final class CriticalJobPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

    /**
     * The property that makes every {@code @Scheduled} method and every
     * {@code void @Async} method critical, as if annotated {@link Critical @Critical}.
     */
    public static final String ALL_CRITICAL_PROPERTY = "critical-task.scheduling.all-critical";

    private static final long serialVersionUID = 1L;

    private final transient CriticalJobs jobs;

    /** Whether every {@code @Scheduled} and {@code void @Async} method is a job. */
    private final boolean allCritical;

    /**
     * The proxies this post-processor advised, to place its advisors again once all
     * exist.
     */
    private final transient List<Placed> advised = new CopyOnWriteArrayList<>();

    /**
     * Creates the post-processor, and the registry of the jobs it finds.
     * @param allCritical whether every {@code @Scheduled} and {@code void @Async} method
     * is a job, as {@value #ALL_CRITICAL_PROPERTY} says
     */
    public CriticalJobPostProcessor(boolean allCritical) {
        this.jobs = new CriticalJobs();
        this.allCritical = allCritical;
        setProxyTargetClass(true);
        setOrder(Ordered.LOWEST_PRECEDENCE);
    }

    /**
     * The jobs found so far and from now on.
     * @return the registry of jobs
     */
    public CriticalJobs jobs() {
        return this.jobs;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        // an ".ORIGINAL" instance is one that must not be proxied, as the base class
        // respects
        if (bean instanceof AopInfrastructureBean
                || beanName.endsWith(AutowireCapableBeanFactory.ORIGINAL_INSTANCE_SUFFIX)) {
            return bean;
        }
        Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
        Map<Method, CriticalJobMethods.Found> found = CriticalJobMethods.find(beanName, targetClass, this.allCritical);
        if (found.isEmpty()) {
            return bean;
        }
        Map<Method, CriticalJob> beanJobs = new LinkedHashMap<>();
        found.forEach((method, critical) -> beanJobs.put(method, this.jobs.register(beanName, critical)));
        return advise(bean, beanName,
                new DefaultPointcutAdvisor(new JobPointcut(beanJobs), new JobInterceptor(beanJobs, this.jobs)));
    }

    /**
     * What the base class does with its single advisor, with this bean's own, placed
     * outermost.
     */
    private Object advise(Object bean, String beanName, Advisor advisor) {
        if (bean instanceof Advised advised && !advised.isFrozen()) {
            advised.addAdvisor(outermostIndex(advised), advisor);
            this.advised.add(new Placed(new WeakReference<>(advised), advisor));
            return bean;
        }
        ProxyFactory proxyFactory = prepareProxyFactory(bean, beanName);
        proxyFactory.addAdvisor(advisor);
        customizeProxyFactory(proxyFactory);
        proxyFactory.setFrozen(isFrozen());
        proxyFactory.setPreFiltered(true);
        Object proxy = proxyFactory.getProxy(getProxyClassLoader());
        if (proxy instanceof Advised advised) {
            this.advised.add(new Placed(new WeakReference<>(advised), advisor));
        }
        return proxy;
    }

    /** Just inside {@code @Async}'s advisor, or first. */
    private static int outermostIndex(Advised advised) {
        Advisor[] advisors = advised.getAdvisors();
        for (int i = 0; i < advisors.length; i++) {
            if (advisors[i] instanceof AsyncAnnotationAdvisor) {
                return i + 1;
            }
        }
        return 0;
    }

    /**
     * Moves each of this post-processor's advisors back to the outermost place, for the
     * beans whose proxies got advice from a post-processor that ran after this one and
     * put itself first. Call it once every singleton exists.
     */
    public void placeOutermost() {
        for (Placed placed : this.advised) {
            Advised proxy = placed.proxy().get();
            if (proxy == null || proxy.isFrozen()) {
                continue;
            }
            int current = proxy.indexOf(placed.advisor());
            int wanted = outermostIndex(proxy);
            if (current >= 0 && current != wanted) {
                proxy.removeAdvisor(placed.advisor());
                proxy.addAdvisor(outermostIndex(proxy), placed.advisor());
            }
        }
        this.advised.removeIf(placed -> placed.proxy().get() == null);
    }

    private record Placed(WeakReference<Advised> proxy, Advisor advisor) {
    }

    /** Matches the critical methods of one bean. */
    private static final class JobPointcut extends StaticMethodMatcherPointcut {

        private final Map<Method, CriticalJob> jobs;

        JobPointcut(Map<Method, CriticalJob> jobs) {
            this.jobs = jobs;
        }

        @Override
        public boolean matches(Method method, Class<?> targetClass) {
            return jobOf(this.jobs, method, targetClass) != null;
        }

    }

    static @Nullable CriticalJob jobOf(Map<Method, CriticalJob> jobs, Method method, @Nullable Class<?> targetClass) {
        CriticalJob job = jobs.get(method);
        if (job != null) {
            return job;
        }
        Method specific = BridgeMethodResolver.findBridgedMethod(AopUtils.getMostSpecificMethod(method, targetClass));
        return jobs.get(specific);
    }

    /**
     * Records each run of a critical method and hands what escapes it to the job, then
     * rethrows it unchanged, so that Spring's handlers still see it.
     */
    private static final class JobInterceptor implements MethodInterceptor {

        private final Map<Method, CriticalJob> jobs;

        private final CriticalJobs all;

        JobInterceptor(Map<Method, CriticalJob> jobs, CriticalJobs all) {
            this.jobs = jobs;
            this.all = all;
        }

        @Override
        public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
            Object target = invocation.getThis();
            CriticalJob job = jobOf(this.jobs, invocation.getMethod(),
                    target != null ? AopUtils.getTargetClass(target) : null);
            if (job == null) {
                return invocation.proceed();
            }
            if (job.isStandby()) {
                // its leadership role is held by another instance, which runs it
                return null;
            }
            CriticalJob.Run run = job.runStarted();
            CriticalJobRunObserver observer = this.all.runObserver();
            CriticalJobRunObserver.RunEnd observed = (observer != null) ? observer.runStarting(job) : null;
            Object result;
            try {
                result = invocation.proceed();
            }
            catch (Throwable failure) {
                observed(observed, failure);
                job.runEnded(run, failure);
                throw failure;
            }
            observed(observed, null);
            job.runEnded(run, null);
            return result;
        }

        private static void observed(CriticalJobRunObserver.@Nullable RunEnd observed, @Nullable Throwable failure) {
            if (observed != null) {
                try {
                    observed.runEnded(failure);
                }
                catch (RuntimeException ignored) {
                    // an observer must not change how the run ends, nor keep the job from
                    // hearing it
                }
            }
        }

    }

}
