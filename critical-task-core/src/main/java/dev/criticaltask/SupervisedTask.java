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

/**
 * A critical task that takes a {@link TaskContext}: for work that reports heartbeats or
 * wants to know its attempt number. Otherwise it behaves exactly like a
 * {@link CriticalTask}: the same outcomes, the same failure semantics.
 */
@FunctionalInterface
public interface SupervisedTask {

    /**
     * Runs the work until it is done or until the context's token is cancelled.
     * @param context this attempt's token, name, attempt number and heartbeat
     * @throws Exception any failure; it goes through the task's restart policy, then
     * cancels the parent token
     */
    void run(TaskContext context) throws Exception;

}
