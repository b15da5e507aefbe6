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
 * What a {@link LeaderElection} tells a candidate. For one candidacy the calls come in
 * order, never at the same time: a grant, then its revocation, then perhaps another grant
 * with a larger term. They may come on any thread (the election's own, or one that calls
 * into it) and must return quickly.
 */
public interface LeadershipListener {

    /**
     * This instance leads the role from now on, in {@code term}.
     * @param term the grant
     */
    void granted(LeadershipTerm term);

    /**
     * This instance no longer leads the role: {@code reason} names the term that ended
     * and why.
     * @param reason the revocation
     */
    void revoked(LeadershipRevokedException reason);

}
