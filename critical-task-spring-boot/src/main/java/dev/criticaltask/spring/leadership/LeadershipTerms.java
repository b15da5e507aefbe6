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

import dev.criticaltask.LeadershipTerm;

/**
 * Hands out the term of each grant of a role. Implementations are thread-safe.
 */
public interface LeadershipTerms {

    /**
     * The term of a grant that the election has just made to this instance: larger than
     * every earlier term of the role.
     * @param role the role
     * @return the grant's term
     * @throws RuntimeException when no term can be given (the store is unreachable, or
     * this instance no longer holds the role's lock): the grant is then refused and the
     * election competes again
     */
    LeadershipTerm next(String role);

}
