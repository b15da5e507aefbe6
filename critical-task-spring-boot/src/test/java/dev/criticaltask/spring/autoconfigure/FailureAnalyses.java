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

import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.core.env.StandardEnvironment;

/**
 * What Boot's failure analysis shows for an {@link InvalidCriticalTaskPropertyException}
 * or an unknown property, for tests outside this package; the analyzer itself is
 * package-private, as Boot's are.
 */
public final class FailureAnalyses {

    private FailureAnalyses() {
    }

    /**
     * The analysis of a failure caused by an invalid property.
     * @param failure the start-up failure
     * @return its analysis, or {@code null} when no invalid property caused it
     */
    public static FailureAnalysis ofInvalidProperty(Throwable failure) {
        return new InvalidCriticalTaskPropertyFailureAnalyzer(new StandardEnvironment()).analyze(failure);
    }

    /**
     * The analysis of a failure caused by properties that bind to no key.
     * @param failure the start-up failure
     * @return its analysis, or {@code null} when no unknown property caused it
     */
    public static FailureAnalysis ofUnknownProperty(Throwable failure) {
        return new UnknownCriticalTaskPropertyFailureAnalyzer().analyze(failure);
    }

}
