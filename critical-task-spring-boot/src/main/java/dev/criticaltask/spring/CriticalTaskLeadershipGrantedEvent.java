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

import dev.criticaltask.LeadershipTerm;

import org.springframework.context.ApplicationEvent;

/**
 * Published when this instance is granted the leadership of a role that critical tasks
 * name ({@code critical-task.tasks.<name>.leadership.role}): the role's tasks run from
 * now on. Once per grant, on the election's thread, before the tasks start.
 */
public final class CriticalTaskLeadershipGrantedEvent extends ApplicationEvent {

    private static final long serialVersionUID = 1L;

    /** The grant. */
    private final LeadershipTerm term;

    /**
     * Creates a new event.
     * @param source the election
     * @param term the grant
     */
    public CriticalTaskLeadershipGrantedEvent(Object source, LeadershipTerm term) {
        super(source);
        this.term = Objects.requireNonNull(term, "term must not be null");
    }

    /**
     * The role.
     * @return the role
     */
    public String getRole() {
        return this.term.role();
    }

    /**
     * The grant, with its term.
     * @return the grant
     */
    public LeadershipTerm getTerm() {
        return this.term;
    }

}
