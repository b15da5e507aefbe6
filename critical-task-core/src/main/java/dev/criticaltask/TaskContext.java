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

import java.util.Optional;

/**
 * What a {@link SupervisedTask} (or a {@link SupervisedAsyncTask}) receives for one run:
 * its token, its name, which attempt this is, the heartbeat it reports progress with, and
 * the signal that it is ready.
 *
 * <p>
 * A context belongs to one attempt; a restart gets a new one with a fresh token. Its
 * methods may be called from any thread, but a heartbeat is meant to come from the task's
 * own work loop.
 */
public interface TaskContext {

    /**
     * {@return this attempt's token: cancelled when the task is asked to stop}
     */
    CancellationToken cancellation();

    /**
     * {@return the task's name}
     */
    String name();

    /**
     * {@return which run this is: 1 for the first, 2 after the first restart, and so on}
     */
    int attempt();

    /**
     * Reports progress. A task spawned with a heartbeat timeout that goes longer than the
     * timeout without calling this is {@link TaskState#STALLED}; the next heartbeat makes
     * it {@link TaskState#RUNNING} again (unless the stall was treated as a failure).
     * Cheap: a volatile write and a volatile read. A heartbeat counts for this context's
     * attempt only.
     */
    void heartbeat();

    /**
     * The leadership grant this attempt runs under, for a task with a role
     * ({@link CriticalTaskSpec#withLeadership(String)}): its term grows with every grant,
     * so the task can fence its writes with it (see {@link LeadershipTerm#isFencing()}).
     * When the grant is revoked the attempt's token is cancelled with a
     * {@link LeadershipRevokedException}.
     * @return the grant; empty for a task without a role
     */
    default Optional<LeadershipTerm> leadership() {
        return Optional.empty();
    }

    /**
     * Says that this attempt is ready: it has done what it must before others may rely on
     * it (a cache is warm, a connection is open). For a task spawned with
     * {@link CriticalTaskSpec#withAwaitReady(boolean) withAwaitReady(true)}, the tasks
     * that {@link CriticalTaskSpec#withDependsOn(java.util.Collection) depend on it}
     * start only then, its start-up timeout (if any) stops running, and the listeners
     * hear {@link CriticalTaskListener#ready}. A task that does not await its ready
     * signal is ready as soon as each attempt begins, and this call does nothing.
     *
     * <p>
     * Idempotent and cheap after the first call; callable from any thread. It counts for
     * this context's attempt only: a restarted attempt is not ready until it calls
     * {@code ready()} on its own context. A call after the attempt has ended does
     * nothing.
     */
    void ready();

}
