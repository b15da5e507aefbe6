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
 * One instance's candidacy for a role, as {@link LeaderElection#campaign} returns it.
 * Thread-safe.
 */
public interface Candidacy extends AutoCloseable {

    /**
     * Gives the role up if this instance leads it ({@link Revocation#YIELDED}), and
     * competes again. Does nothing when it does not lead.
     */
    void yield();

    /**
     * Stops competing and releases the role at once if this instance leads it, so that
     * another instance can take it without waiting for a lock to expire. Idempotent; no
     * grant follows it. A revocation it causes is {@link Revocation#RELEASED}.
     */
    @Override
    void close();

}
