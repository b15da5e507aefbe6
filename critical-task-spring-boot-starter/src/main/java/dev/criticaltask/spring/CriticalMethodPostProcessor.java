package dev.criticaltask.spring;

import java.lang.reflect.Method;
import java.util.LinkedHashMap;
import java.util.Map;

import org.aopalliance.intercept.MethodInterceptor;
import org.aopalliance.intercept.MethodInvocation;
import org.jspecify.annotations.Nullable;

import org.springframework.aop.Advisor;
import org.springframework.aop.framework.AdvisedSupport;
import org.springframework.aop.framework.Advised;
import org.springframework.aop.framework.AopInfrastructureBean;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.aop.framework.autoproxy.AbstractBeanFactoryAwareAdvisingPostProcessor;
import org.springframework.aop.support.AopUtils;
import org.springframework.aop.support.DefaultPointcutAdvisor;
import org.springframework.aop.support.StaticMethodMatcherPointcut;
import org.springframework.aop.framework.AopProxyUtils;
import org.springframework.beans.factory.config.AutowireCapableBeanFactory;
import org.springframework.core.BridgeMethodResolver;
import org.springframework.core.Ordered;

/**
 * Finds the critical {@code @Scheduled} and {@code void @Async} methods of each bean, registers
 * their jobs with {@link CriticalJobs}, and advises the bean with an interceptor that records every
 * run and reports what escapes it to the job, then rethrows it unchanged: the scheduler's
 * {@code ErrorHandler} and the {@code AsyncUncaughtExceptionHandler} still see every exception, and
 * the user's scheduler and executor are never touched.
 *
 * <p>Where the advice sits, and why:
 * <ul>
 *   <li>It runs before Spring's {@code ScheduledAnnotationBeanPostProcessor} (order
 *       {@code LOWEST_PRECEDENCE}, and an internal post-processor, which Spring runs last), so that
 *       the runnable it schedules invokes the method on the proxy, through the interceptor.
 *   <li>The advisor is appended after the existing ones, while {@code @Async}'s advisor always puts
 *       itself first: the interceptor runs inside the asynchronous execution, on the executor's
 *       thread, where the exception is thrown.
 * </ul>
 *
 * <p>Each bean gets an advisor of its own, which knows the bean's jobs: the interceptor never has to
 * find out which bean an invocation is for.
 */
final class CriticalMethodPostProcessor extends AbstractBeanFactoryAwareAdvisingPostProcessor {

    private static final long serialVersionUID = 1L;

    private final transient CriticalJobs jobs;

    private final boolean allCritical;

    CriticalMethodPostProcessor(CriticalJobs jobs, boolean allCritical) {
        this.jobs = jobs;
        this.allCritical = allCritical;
        setProxyTargetClass(true);
        setBeforeExistingAdvisors(false);
        setOrder(Ordered.LOWEST_PRECEDENCE - 1);
    }

    CriticalJobs jobs() {
        return this.jobs;
    }

    @Override
    public Object postProcessAfterInitialization(Object bean, String beanName) {
        // an ".ORIGINAL" instance is one that must not be proxied, as the base class respects
        if (bean instanceof AopInfrastructureBean
                || beanName.endsWith(AutowireCapableBeanFactory.ORIGINAL_INSTANCE_SUFFIX)) {
            return bean;
        }
        Class<?> targetClass = AopProxyUtils.ultimateTargetClass(bean);
        Map<Method, CriticalMethods.Found> found = CriticalMethods.find(beanName, targetClass, this.allCritical);
        if (found.isEmpty()) {
            return bean;
        }
        Map<Method, CriticalJob> beanJobs = new LinkedHashMap<>();
        found.forEach((method, critical) -> beanJobs.put(method, this.jobs.register(beanName, critical)));
        Object exposed = advise(bean, beanName, new DefaultPointcutAdvisor(new JobPointcut(beanJobs),
                new JobInterceptor(beanJobs)));
        beanJobs.values().forEach(job -> job.addInstance(exposed));
        return exposed;
    }

    /** What the base class does with its single advisor, with this bean's own. */
    private Object advise(Object bean, String beanName, Advisor advisor) {
        if (bean instanceof Advised advised && !advised.isFrozen()) {
            if (advised.getTargetSource() == AdvisedSupport.EMPTY_TARGET_SOURCE && advised.getAdvisorCount() > 0) {
                // no target: the last advisor does the work, and must stay last
                advised.addAdvisor(advised.getAdvisorCount() - 1, advisor);
            }
            else {
                advised.addAdvisor(advisor);
            }
            return bean;
        }
        ProxyFactory proxyFactory = prepareProxyFactory(bean, beanName);
        proxyFactory.addAdvisor(advisor);
        customizeProxyFactory(proxyFactory);
        proxyFactory.setFrozen(isFrozen());
        proxyFactory.setPreFiltered(true);
        return proxyFactory.getProxy(getProxyClassLoader());
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
     * Records each run of a critical method and hands what escapes it to the job, then rethrows it
     * unchanged, so that Spring's handlers still see it.
     */
    private static final class JobInterceptor implements MethodInterceptor {

        private final Map<Method, CriticalJob> jobs;

        JobInterceptor(Map<Method, CriticalJob> jobs) {
            this.jobs = jobs;
        }

        @Override
        public @Nullable Object invoke(MethodInvocation invocation) throws Throwable {
            Object target = invocation.getThis();
            CriticalJob job = jobOf(this.jobs, invocation.getMethod(), target != null ? AopUtils.getTargetClass(target) : null);
            if (job == null) {
                return invocation.proceed();
            }
            CriticalJob.Run run = job.runStarted();
            Object result;
            try {
                result = invocation.proceed();
            }
            catch (Throwable failure) {
                job.runEnded(run, failure);
                throw failure;
            }
            job.runEnded(run, null);
            return result;
        }

    }

}
