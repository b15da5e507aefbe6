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

import java.time.Instant;
import java.util.Objects;

/**
 * One grant of a role's leadership to this instance: what a task of the role reads from
 * {@link TaskContext#leadership()} to fence its writes.
 *
 * <p>
 * {@code term} grows with every grant of the role. When {@code isFencing} is true it
 * grows across every instance that competes for the role (a store shared by all of them
 * hands it out), so a write that carries its term can be refused by a receiver that has
 * seen a larger one. When it is false the term counts grants in this process only and
 * fences nothing ({@link LocalLeaderElection}, or an election without a shared counter).
 *
 * @param role the role
 * @param term the grant's number: positive, larger than every earlier grant's
 * @param grantedAt when the grant was confirmed, on this instance's clock
 * @param isFencing whether terms are ordered across instances (see above)
 */
public record LeadershipTerm(String role, long term, Instant grantedAt, boolean isFencing) {

    /**
     * Checks the parts.
     * @param role the role; not blank
     * @param term the grant's number; positive
     * @param grantedAt when the grant was confirmed
     * @param isFencing whether terms are ordered across instances
     * @throws IllegalArgumentException when the role is blank or the term not positive
     */
    public LeadershipTerm {
        Objects.requireNonNull(role, "role must not be null");
        Objects.requireNonNull(grantedAt, "grantedAt must not be null");
        if (role.isBlank()) {
            throw new IllegalArgumentException("role must not be blank");
        }
        if (term <= 0) {
            throw new IllegalArgumentException("term must be positive, but was " + term);
        }
    }

}
