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

/** What happens when a task misses its heartbeat. */
public enum StallAction {

    /**
     * Only report it: the task is {@link TaskState#STALLED} (visible in health, the
     * endpoint and metrics, and to listeners) until its next heartbeat.
     */
    REPORT,

    /**
     * Treat it as a failure: the attempt's token is cancelled and its thread interrupted,
     * and the stall, a {@link TaskStalledException}, goes through the restart policy.
     * When no restart is left, it escalates at once, even if the stuck thread never
     * returns.
     */
    FAIL

}
