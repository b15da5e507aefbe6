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
 * Where a critical task is in its life. A task starts {@link #RUNNING} (or
 * {@link #STANDBY}, when it has a leadership role), may be {@link #STALLED} for a while
 * when it has a heartbeat, and moves exactly once to one of the three terminal states.
 */
public enum TaskState {

    /** Spawned and not yet ended (this includes a task still waiting for its thread). */
    RUNNING,
    /**
     * Running, but it has gone longer than its heartbeat timeout without a heartbeat. Not
     * terminal: the next heartbeat makes it {@link #RUNNING} again, unless the stall was
     * treated as a failure.
     */
    STALLED,
    /**
     * A task with a leadership role ({@link CriticalTaskSpec#withLeadership(String)})
     * waiting for this instance to lead the role: from its spawn until the first grant,
     * and again after each revocation ended its attempt. Not terminal, and not a failure:
     * a grant runs the task again from the start (attempt 1, the restart budget
     * untouched); a stop cancels it.
     */
    STANDBY,
    /** Returned normally without its token having been cancelled. */
    COMPLETED,
    /**
     * Stopped gracefully: returned, or threw {@link InterruptedException}, after its
     * token was cancelled. Also a task that never ran because its executor refused it
     * (its spawn threw).
     */
    CANCELLED,
    /** Threw; its parent token was cancelled because of it. */
    FAILED;

    /**
     * {@return whether this state is final}
     */
    public boolean isTerminal() {
        // named, not excluded: a state added later (one a task passes through) is not
        // terminal
        return this == COMPLETED || this == CANCELLED || this == FAILED;
    }

}
