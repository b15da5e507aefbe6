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

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.core.MethodIntrospector;
import org.springframework.core.ReactiveAdapterRegistry;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.scheduling.annotation.Async;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.scheduling.annotation.Schedules;

/**
 * Which methods of a class are critical jobs, and whether each can be one: the rules of
 * {@link Critical} and {@code critical-task.scheduling.all-critical}, in one place.
 */
final class CriticalJobMethods {

    private static final String ALL_CRITICAL = CriticalJobPostProcessor.ALL_CRITICAL_PROPERTY;

    private CriticalJobMethods() {
    }

    /**
     * A critical method found on a class: its trigger and the task name it asked for, if
     * any.
     */
    record Found(Method method, CriticalJobStatus.Trigger trigger, @Nullable String name) {
    }

    /**
     * The critical methods of a bean's class, in declaration order.
     * @throws InvalidCriticalJobException for the first method that is critical but
     * cannot be a critical job
     */
    static Map<Method, Found> find(String beanName, Class<?> targetClass, boolean allCritical) {
        boolean asyncClass = AnnotatedElementUtils.hasAnnotation(targetClass, Async.class);
        Map<Method, Found> found = MethodIntrospector.selectMethods(targetClass,
                (MethodIntrospector.MetadataLookup<Found>) method -> examine(beanName, targetClass, method, asyncClass,
                        allCritical));
        return new LinkedHashMap<>(found);
    }

    private static @Nullable Found examine(String beanName, Class<?> targetClass, Method method, boolean asyncClass,
            boolean allCritical) {
        Critical critical = AnnotatedElementUtils.findMergedAnnotation(method, Critical.class);
        boolean scheduled = !AnnotatedElementUtils
            .getMergedRepeatableAnnotations(method, Scheduled.class, Schedules.class)
            .isEmpty();
        boolean asyncMethod = AnnotatedElementUtils.hasAnnotation(method, Async.class);
        int modifiers = method.getModifiers();
        boolean interceptable = !Modifier.isPrivate(modifiers) && !Modifier.isFinal(modifiers)
                && !Modifier.isStatic(modifiers);
        boolean returnsVoid = method.getReturnType() == void.class;
        if (critical == null) {
            // all-critical covers @Scheduled and void @Async methods only: another's
            // failure reaches
            // its caller. Of an @Async class, only the public methods that its proxy
            // makes async,
            // so that no helper becomes critical.
            boolean candidate = scheduled || (asyncMethod && returnsVoid)
                    || (asyncClass && returnsVoid && interceptable && Modifier.isPublic(modifiers));
            if (!allCritical || !candidate) {
                return null;
            }
        }
        boolean async = asyncMethod || asyncClass;
        String how = critical != null ? "it is annotated @Critical" : ALL_CRITICAL + " is true";
        String unless = critical != null ? "remove @Critical"
                : "set " + ALL_CRITICAL + "=false and annotate the critical methods with @Critical";
        if (!scheduled && !async) {
            throw invalid(beanName, method,
                    how + ", but it is neither @Scheduled nor @Async, so nothing runs it as a job",
                    "Add @Scheduled or @Async to it, or remove @Critical. For a worker that runs for the life of the "
                            + "application, define a CriticalTask bean instead.");
        }
        if (!interceptable) {
            String modifier = Modifier.isPrivate(modifiers) ? "private"
                    : Modifier.isStatic(modifiers) ? "static" : "final";
            throw invalid(beanName, method,
                    how + ", but it is " + modifier + ", and a proxy cannot intercept a " + modifier
                            + " method to see its exceptions",
                    "Make the method neither private, nor final, nor static, or " + unless + ".");
        }
        if (Modifier.isFinal(targetClass.getModifiers())) {
            throw invalid(beanName, method,
                    how + ", but its class " + targetClass.getName()
                            + " is final, and a class-based proxy cannot subclass it to intercept the method",
                    "Make the class not final, or " + unless + ".");
        }
        if (async && !returnsVoid) {
            throw invalid(beanName, method, how + " and it is @Async, but it returns "
                    + method.getReturnType().getSimpleName()
                    + ": its exception goes to the caller through what it returns, never to an exception handler",
                    "Make it return void, or remove @Critical and handle the failure of what it returns.");
        }
        if (scheduled && isReactive(method.getReturnType())) {
            throw invalid(beanName, method, how + ", but it returns the reactive type "
                    + method.getReturnType().getName()
                    + ": Spring subscribes to it, and its errors never escape the method call, so they cannot be "
                    + "seen as a failure of the job",
                    "Make it a blocking method that returns void, or " + unless
                            + " and run the reactive pipeline as a ReactiveCriticalTask bean.");
        }
        String name = critical != null && !critical.value().isBlank() ? critical.value() : null;
        return new Found(method, scheduled ? CriticalJobStatus.Trigger.SCHEDULED : CriticalJobStatus.Trigger.ASYNC,
                name);
    }

    private static boolean isReactive(Class<?> returnType) {
        return returnType != void.class && ReactiveAdapterRegistry.getSharedInstance().getAdapter(returnType) != null;
    }

    static InvalidCriticalJobException invalid(String beanName, Method method, String reason, String action) {
        return new InvalidCriticalJobException(beanName, CriticalJob.describe(method), reason, action);
    }

}
