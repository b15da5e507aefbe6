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

package dev.criticaltask.spring.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Says that a test makes a critical task fail on purpose (to see what health or the
 * endpoint say afterwards, say): a task failure in its context then does not fail the
 * test. On a test method it covers that method; on a test class, every test of it.
 *
 * <p>
 * Everything else stays as after any failure inside a {@code @SpringBootTest}: the
 * failure is published, the context is not closed while the test runs, and once the test
 * method has run the context is marked dirty, so that the next test gets a fresh one.
 *
 * @see CriticalTaskTestExecutionListener
 */
@Target({ ElementType.TYPE, ElementType.METHOD })
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
public @interface ExpectedCriticalTaskFailure {

}
