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

/**
 * A method cannot be made a critical job: it is not {@code @Scheduled} nor
 * {@code @Async}, cannot be intercepted, returns what its failure would hide in, or its
 * task name is taken. Thrown at start-up, and explained by a failure analyzer: the bean,
 * the method, why it cannot be a job and what to change.
 */
public final class InvalidCriticalJobException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** The bean that declares the method. */
    private final String beanName;

    /** The method, as {@code SimpleClassName.method(ParameterTypes)}. */
    private final String method;

    /** Why it cannot be a critical job. */
    private final String reason;

    /** What to change. */
    private final String action;

    /**
     * Creates the exception.
     * @param beanName the bean that declares the method
     * @param method the method, as {@code SimpleClassName.method(ParameterTypes)}
     * @param reason why it cannot be a critical job, as a sentence without a final period
     * @param action what to change, as a sentence
     */
    public InvalidCriticalJobException(String beanName, String method, String reason, String action) {
        super("Method " + method + " of bean '" + beanName + "' cannot be a critical job: " + reason);
        this.beanName = beanName;
        this.method = method;
        this.reason = reason;
        this.action = action;
    }

    /**
     * The bean that declares the method.
     * @return the bean's name
     */
    public String getBeanName() {
        return this.beanName;
    }

    /**
     * The method, as {@code SimpleClassName.method(ParameterTypes)}.
     * @return the method
     */
    public String getMethod() {
        return this.method;
    }

    /**
     * Why the method cannot be a critical job, as a sentence without a final period.
     * @return the reason
     */
    public String getReason() {
        return this.reason;
    }

    /**
     * What to change, as a sentence.
     * @return the action
     */
    public String getAction() {
        return this.action;
    }

}
