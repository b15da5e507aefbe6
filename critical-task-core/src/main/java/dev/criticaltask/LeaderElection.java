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
 * Decides which of several instances leads a role: the engine behind
 * {@link CriticalTaskSpec#withLeadership(String)}. The core ships
 * {@link LocalLeaderElection} (one process); the Spring Boot starter adapts Spring
 * Integration's lock-based election (JDBC, Redis, ZooKeeper).
 *
 * <p>
 * An implementation must be thread-safe, must deliver a candidacy's calls in order (see
 * {@link LeadershipListener}), and must hand out terms that grow with every grant of a
 * role.
 */
@FunctionalInterface
public interface LeaderElection {

    /**
     * Starts competing for {@code role}; {@code listener} hears of every grant and
     * revocation until the candidacy is closed.
     * @param role the role; not blank
     * @param listener what to tell
     * @return the candidacy, to yield or close
     */
    Candidacy campaign(String role, LeadershipListener listener);

}
