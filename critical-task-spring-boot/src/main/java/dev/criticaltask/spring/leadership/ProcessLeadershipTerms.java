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

import java.time.Clock;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.AtomicLong;

import dev.criticaltask.LeadershipTerm;

/**
 * Terms counted in this process, for a lock registry without a database (Redis,
 * ZooKeeper): they grow with every grant here, but order nothing across replicas, and say
 * so ({@link LeadershipTerm#isFencing()} is false). Thread-safe.
 */
public final class ProcessLeadershipTerms implements LeadershipTerms {

    /**
     * Creates terms that start at zero for every role.
     */
    public ProcessLeadershipTerms() {
    }

    private final ConcurrentMap<String, AtomicLong> terms = new ConcurrentHashMap<>();

    @Override
    public LeadershipTerm next(String role) {
        long term = this.terms.computeIfAbsent(role, (key) -> new AtomicLong()).incrementAndGet();
        return new LeadershipTerm(role, term, Clock.systemUTC().instant(), false);
    }

}
