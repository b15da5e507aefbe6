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

package dev.criticaltask;

import java.util.List;
import java.util.Objects;

/**
 * A task that was still running when its registry's grace period ran out.
 *
 * @param name the task's name
 * @param stackTrace where its thread was at that moment, innermost frame first; empty
 * when the task had no thread yet
 */
public record UnstoppedTask(String name, List<StackTraceElement> stackTrace) {

    /**
     * Copies the stack, so the record stays immutable.
     * @param name the task's name
     * @param stackTrace where its thread was; empty when the task had no thread
     */
    public UnstoppedTask {
        Objects.requireNonNull(name, "name must not be null");
        stackTrace = List.copyOf(stackTrace);
    }
}
