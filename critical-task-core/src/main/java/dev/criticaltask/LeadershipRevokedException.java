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

import java.io.Serial;
import java.util.Objects;
import java.util.concurrent.CancellationException;

/**
 * The reason a task's token is cancelled with when its instance stops leading the task's
 * role. It is a graceful stop, not a failure: whatever the task does after it (returns,
 * throws {@link InterruptedException}, or throws anything else, such as a fenced write
 * refused) ends the attempt, and the task waits in {@link TaskState#STANDBY} until the
 * role is granted again, when it runs again from the start.
 */
public final class LeadershipRevokedException extends CancellationException {

    @Serial
    private static final long serialVersionUID = 1L;

    /** The role. */
    private final String role;

    /** The term that ended. */
    private final long term;

    /** Why it ended. */
    private final Revocation reason;

    /**
     * A revocation of {@code term} of {@code role}.
     * @param role the role
     * @param term the term that ended
     * @param reason why it ended
     */
    public LeadershipRevokedException(String role, long term, Revocation reason) {
        super("Leadership of role '" + Objects.requireNonNull(role, "role must not be null") + "' (term " + term
                + ") was revoked: " + Objects.requireNonNull(reason, "reason must not be null"));
        this.role = role;
        this.term = term;
        this.reason = reason;
    }

    /**
     * {@return the role}
     */
    public String role() {
        return role;
    }

    /**
     * {@return the term that ended}
     */
    public long term() {
        return term;
    }

    /**
     * {@return why it ended}
     */
    public Revocation reason() {
        return reason;
    }

}
