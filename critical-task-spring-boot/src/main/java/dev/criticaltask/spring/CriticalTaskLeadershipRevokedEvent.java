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

package dev.criticaltask.spring;

import java.util.Objects;

import dev.criticaltask.LeadershipRevokedException;
import dev.criticaltask.Revocation;

import org.springframework.context.ApplicationEvent;

/**
 * Published when this instance stops leading a role that critical tasks name: the role's
 * tasks are being cancelled gracefully and wait in {@code STANDBY}. Once per revocation,
 * on the thread that revoked (the election's, the lease guard's, or the one that stops
 * the application).
 */
public final class CriticalTaskLeadershipRevokedEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    /** The revocation. */
    private final LeadershipRevokedException revocation;

    /**
     * Creates a new event.
     * @param source the election
     * @param revocation the revocation
     */
    public CriticalTaskLeadershipRevokedEvent(Object source, LeadershipRevokedException revocation) {
        super(source);
        this.revocation = Objects.requireNonNull(revocation, "revocation must not be null");
    }

    /**
     * The role.
     * @return the role
     */
    public String getRole() {
        return this.revocation.role();
    }

    /**
     * The term that ended.
     * @return the term
     */
    public long getTerm() {
        return this.revocation.term();
    }

    /**
     * Why it ended.
     * @return the reason
     */
    public Revocation getReason() {
        return this.revocation.reason();
    }

}
