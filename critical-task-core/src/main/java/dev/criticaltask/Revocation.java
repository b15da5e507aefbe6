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
 * Why an instance stopped leading a role: the {@link LeadershipRevokedException#reason()}
 * that the role's tasks are cancelled with.
 */
public enum Revocation {

    /** Another instance holds the role now: this instance's lock was lost. */
    LOST,
    /**
     * This instance could not confirm its lock in time, and stopped its tasks before the
     * lock could expire under them.
     */
    LEASE_EXPIRED,
    /** This instance gave the role up to let another take it, and competes again. */
    YIELDED,
    /** This instance released the role for good: it stops, or its tasks have ended. */
    RELEASED,
    /**
     * The election itself failed (its store unreachable, say); this instance competes
     * again after a backoff.
     */
    ENGINE_ERROR

}
