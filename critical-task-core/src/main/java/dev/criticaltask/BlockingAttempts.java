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

import java.time.Duration;

/**
 * How a blocking task runs: every attempt on the one thread the executor gave the task,
 * backoffs included, each attempt's body called on that thread until it returns or
 * throws.
 */
final class BlockingAttempts {

    private BlockingAttempts() {
    }

    /**
     * Runs the attempts of {@code run} on the calling thread until the task has ended.
     */
    static void run(TaskRun run) {
        for (Attempt attempt = run.attempts().begin(); attempt != null; attempt = run.attempts().begin()) {
            Throwable thrown = null;
            try {
                run.body().run(attempt);
            }
            catch (Throwable ex) {
                thrown = ex;
            }
            long backoff = run.attempts().ended(attempt, thrown);
            if (backoff < 0 || !awaitBackoff(run, backoff)) {
                return;
            }
        }
    }

    /** Waits out a backoff on the task's thread; true when the next attempt is to run. */
    private static boolean awaitBackoff(TaskRun run, long backoffNanos) {
        // an interrupt meant for the failed attempt (a stall) must neither cut the
        // backoff short nor
        // hit the next attempt; a stop cancels the token before it interrupts, so none is
        // lost
        Thread.interrupted();
        CancellationToken token = run.token();
        boolean cancelled;
        try {
            cancelled = token.await(Duration.ofNanos(backoffNanos));
        }
        catch (InterruptedException interrupted) {
            cancelled = token.isCancelled();
            if (!cancelled) {
                // interrupted by someone else than a stop: the restart cannot wait, and
                // the last failure stands
                run.finish(TaskState.FAILED,
                        run.escalation().escalate(run.published().lastRestartCause().orElseThrow()));
                return false;
            }
        }
        if (cancelled) {
            // shutdown during the backoff: no restart after the parent was cancelled
            run.finish(TaskState.CANCELLED, null);
            return false;
        }
        return true;
    }

}
