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

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.context.annotation.Conditional;

/**
 * Matches unless {@code critical-task.enabled} is false; the condition of every
 * critical-task auto-configuration.
 *
 * <p>
 * Unlike {@code @ConditionalOnBooleanProperty}, which reads anything but {@code true} as
 * "not enabled", a value that is not a boolean (a typo such as {@code treu}) fails
 * start-up with an {@link InvalidCriticalTaskPropertyException} naming it: a starter
 * whose point is that nothing fails silently must not be turned off by one.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ ElementType.TYPE, ElementType.METHOD })
@Documented
@Conditional(OnCriticalTaskEnabledCondition.class)
public @interface ConditionalOnCriticalTaskEnabled {

}
