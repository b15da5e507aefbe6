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

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.jspecify.annotations.Nullable;

/**
 * The sliding-window arithmetic of one task's {@link RestartPolicy}. Times are
 * {@link System#nanoTime()} readings passed in by the caller, so tests need no clock and
 * no sleeps.
 *
 * <p>
 * Thread-safe: the task's thread and the supervision timer's may ask at once. The
 * policy's {@linkplain RestartPolicy#retryOn(java.util.function.Predicate) predicate},
 * which is user code, is asked before the window's lock is taken, never while it is held;
 * a predicate that throws counts as "not retried", and its exception is kept, suppressed,
 * by the failure it was asked about.
 */
final class RestartBudget {

    private final RestartPolicy policy;

    private final Random random;

    /** When each restart still in the window happened, and why; oldest first. */
    private final ArrayDeque<Restart> restarts = new ArrayDeque<>();

    RestartBudget(RestartPolicy policy, Random random) {
        this.policy = policy;
        this.random = random;
    }

    /**
     * Decides about a failure at {@code now}: the backoff before the restart, in
     * nanoseconds, or {@code -1} when the failure escalates. A restart is counted at
     * once.
     */
    long onFailure(long now, Throwable thrown) {
        if (!retries(thrown)) {
            return -1;
        }
        synchronized (this) {
            if (!hasRoom(now)) {
                return -1;
            }
            long backoff = backoffNanos(restarts.size());
            restarts.addLast(new Restart(now, thrown));
            return backoff;
        }
    }

    /** Whether a failure at {@code now} would be restarted, without counting it. */
    boolean wouldRestart(long now, Throwable thrown) {
        if (!retries(thrown)) {
            return false;
        }
        synchronized (this) {
            return hasRoom(now);
        }
    }

    /** Asks the policy, holding no lock. */
    private boolean retries(Throwable thrown) {
        if (!policy.allowsRestarts()) {
            return false;
        }
        try {
            return policy.retries(thrown);
        }
        catch (RuntimeException | Error predicateFailed) {
            if (predicateFailed != thrown) {
                thrown.addSuppressed(predicateFailed);
            }
            return false;
        }
    }

    /** Guarded by {@code this}. */
    private boolean hasRoom(long now) {
        forgetBefore(now - CancellationToken.saturatedNanos(policy.within()));
        return restarts.size() < policy.maxRestarts();
    }

    /**
     * The causes of the restarts still in the window, oldest first: the suppressed causes
     * of an escalation.
     */
    synchronized List<Throwable> earlierCauses() {
        List<Throwable> causes = new ArrayList<>(restarts.size());
        for (Restart restart : restarts) {
            causes.add(restart.cause);
        }
        return causes;
    }

    private void forgetBefore(long windowStart) {
        for (Restart oldest = restarts.peekFirst(); oldest != null
                && oldest.at - windowStart < 0; oldest = restarts.peekFirst()) {
            restarts.removeFirst();
        }
    }

    /**
     * Exponential in the restarts already in the window, jittered, then kept between
     * floor and ceiling. {@link Random} is thread-safe.
     */
    long backoffNanos(int restartsInWindow) {
        long floor = CancellationToken.saturatedNanos(policy.initialBackoff());
        long ceiling = CancellationToken.saturatedNanos(policy.maxBackoff());
        double exponential = floor * Math.pow(2, Math.min(restartsInWindow, 62));
        double jittered = exponential * (1 + policy.jitter() * (2 * random.nextDouble() - 1));
        return (long) Math.max(floor, Math.min(ceiling, jittered));
    }

    private static final class Restart {

        final long at;

        final Throwable cause;

        Restart(long at, Throwable cause) {
            this.at = at;
            this.cause = cause;
        }

    }

    static @Nullable RestartBudget of(RestartPolicy policy) {
        return policy.allowsRestarts() ? new RestartBudget(policy, new Random()) : null;
    }

}
