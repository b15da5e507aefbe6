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

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import dev.criticaltask.spring.CriticalTaskFailedEvent;

/**
 * Makes a {@code @Scheduled} method, or an {@code @Async} method that returns
 * {@code void}, a critical job: an exception that escapes it fails the critical task of
 * that name, exactly as a failing {@link dev.criticaltask.CriticalTask} bean does
 * (restart policy, then root cancellation, {@link CriticalTaskFailedEvent}, liveness
 * {@code BROKEN}, context close and exit code).
 *
 * <p>
 * The method keeps running as Spring runs it: on the user's scheduler or executor, with
 * the user's {@code ErrorHandler} or {@code AsyncUncaughtExceptionHandler}, which still
 * receive every exception. {@code critical-task.scheduling.all-critical=true} makes every
 * {@code @Scheduled} method and every {@code void @Async} method critical without this
 * annotation.
 *
 * <p>
 * The method must be interceptable by a class-based proxy: neither private, nor final,
 * nor static, in a class that is not final. Anything else fails start-up with a message
 * that names the bean, the method and the fix.
 *
 * @see CriticalJobs
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
public @interface Critical {

    /**
     * The name of the critical task; by default {@code <beanName>.<methodName>}. Per-task
     * properties use it in brackets, because it contains a dot:
     * {@code critical-task.tasks[orders.refresh].restart.max-restarts=2}.
     * @return the task name, or an empty string for the default
     */
    String value() default "";

}
