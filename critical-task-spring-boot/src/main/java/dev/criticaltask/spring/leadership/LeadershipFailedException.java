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

package dev.criticaltask.spring.leadership;

import java.io.Serial;

/**
 * The leader election of a role failed more often than
 * {@code critical-task.leadership.restart.*} allows: critical, as a task's own failure
 * is. Its cause is the last error of the engine (the lock store unreachable, a table
 * missing). The message names the role and the budget, never the cause's message.
 */
public final class LeadershipFailedException extends RuntimeException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The role. */
    private final String role;

    /**
     * Creates the exception.
     * @param role the role
     * @param errors how many engine errors came within the window
     * @param within the window
     * @param cause the last one
     */
    public LeadershipFailedException(String role, int errors, java.time.Duration within, Throwable cause) {
        super("Leader election of role '" + role + "' failed " + errors + " times within " + within + "; last: "
                + cause.getClass().getName(), cause);
        this.role = role;
    }

    /**
     * The role whose election failed.
     * @return the role
     */
    public String getRole() {
        return this.role;
    }

}
