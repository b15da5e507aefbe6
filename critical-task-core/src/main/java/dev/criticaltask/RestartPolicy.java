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
import java.util.Objects;
import java.util.function.Predicate;

/**
 * Whether a failed task is run again before its failure becomes fatal.
 *
 * <p>
 * {@link #never()} is the default and the original's behaviour: the first failure cancels
 * the parent. {@link #limited(int, Duration)} allows up to {@code maxRestarts} restarts
 * within a sliding window; each restart runs the task again, under the same name and with
 * a fresh child token, after an exponential backoff with jitter that stays between
 * {@link #initialBackoff()} and {@link #maxBackoff()}. The backoff ends at once, without
 * a restart, when the task or its parent is cancelled. When the budget is spent, or the
 * throwable is not {@linkplain #retryOn(Predicate) retried}, the failure escalates: it is
 * fatal exactly as with {@code never()}, and the {@link CriticalTaskFailedException}
 * carries the last cause, with the causes of the restarts still in the window as
 * suppressed exceptions.
 *
 * <p>
 * Instances are immutable and thread-safe; the {@code with…} methods return new policies.
 */
public final class RestartPolicy {

    /** The default first backoff of a limited policy. */
    public static final Duration DEFAULT_INITIAL_BACKOFF = Duration.ofMillis(100);

    /** The default ceiling of the backoff of a limited policy. */
    public static final Duration DEFAULT_MAX_BACKOFF = Duration.ofSeconds(10);

    /** The default share of the backoff that is randomised. */
    public static final double DEFAULT_JITTER = 0.2;

    private static final Predicate<Throwable> NOT_AN_ERROR = thrown -> !(thrown instanceof Error);

    private static final RestartPolicy NEVER = new RestartPolicy(0, Duration.ZERO, Duration.ZERO, Duration.ZERO, 0,
            thrown -> false);

    private final int maxRestarts;

    private final Duration within;

    private final Duration initialBackoff;

    private final Duration maxBackoff;

    private final double jitter;

    private final Predicate<? super Throwable> retryOn;

    private RestartPolicy(int maxRestarts, Duration within, Duration initialBackoff, Duration maxBackoff, double jitter,
            Predicate<? super Throwable> retryOn) {
        this.maxRestarts = maxRestarts;
        this.within = within;
        this.initialBackoff = initialBackoff;
        this.maxBackoff = maxBackoff;
        this.jitter = jitter;
        this.retryOn = retryOn;
    }

    /**
     * {@return the policy of no restart: the first failure is fatal}
     */
    public static RestartPolicy never() {
        return NEVER;
    }

    /**
     * Up to {@code maxRestarts} restarts within any sliding window of length
     * {@code within}, with the default backoff (100 ms doubling up to 10 s, 20 % jitter),
     * retrying any exception but never an {@link Error}.
     * @throws IllegalArgumentException when {@code maxRestarts} is negative or
     * {@code within} is not positive
     * @param maxRestarts how many restarts the window allows; not negative (0 is
     * {@link #never()})
     * @param within the length of the sliding window; positive
     * @return the policy
     */
    public static RestartPolicy limited(int maxRestarts, Duration within) {
        if (maxRestarts < 0) {
            throw new IllegalArgumentException("maxRestarts must not be negative, but was " + maxRestarts);
        }
        Objects.requireNonNull(within, "within must not be null");
        if (within.isZero() || within.isNegative()) {
            throw new IllegalArgumentException("within must be positive, but was " + within);
        }
        if (maxRestarts == 0) {
            return NEVER;
        }
        return new RestartPolicy(maxRestarts, within, DEFAULT_INITIAL_BACKOFF, DEFAULT_MAX_BACKOFF, DEFAULT_JITTER,
                NOT_AN_ERROR);
    }

    /**
     * The same backoff, jitter and choice of what is retried, with another budget. From
     * {@link #never()}, the defaults of {@link #limited(int, Duration)} apply.
     * @throws IllegalArgumentException when {@code maxRestarts} is negative or
     * {@code within} is not positive
     * @param maxRestarts how many restarts the window allows; not negative
     * @param within the length of the sliding window; positive
     * @return a new policy
     */
    public RestartPolicy withLimit(int maxRestarts, Duration within) {
        RestartPolicy limit = limited(maxRestarts, within);
        if (!allowsRestarts() || !limit.allowsRestarts()) {
            return limit;
        }
        return new RestartPolicy(maxRestarts, limit.within, initialBackoff, maxBackoff, jitter, retryOn);
    }

    /**
     * The same policy with another backoff: the first restart waits about
     * {@code initial}, each further restart in the window twice as long, never more than
     * {@code max}.
     * @throws IllegalArgumentException when {@code initial} is negative or {@code max} is
     * below it
     * @param initial the first backoff and the floor of every backoff; not negative
     * @param max the ceiling; not below {@code initial}
     * @return a new policy
     */
    public RestartPolicy withBackoff(Duration initial, Duration max) {
        Objects.requireNonNull(initial, "initial backoff must not be null");
        Objects.requireNonNull(max, "max backoff must not be null");
        if (initial.isNegative()) {
            throw new IllegalArgumentException("initial backoff must not be negative, but was " + initial);
        }
        if (max.compareTo(initial) < 0) {
            throw new IllegalArgumentException(
                    "max backoff (" + max + ") must not be below the initial backoff (" + initial + ")");
        }
        return new RestartPolicy(maxRestarts, within, initial, max, jitter, retryOn);
    }

    /**
     * The same policy with another jitter: each backoff is moved at random by up to this
     * share of itself, then kept between the initial and the maximum backoff.
     * @param jitter from 0 (none) to 1
     * @return a new policy
     */
    public RestartPolicy withJitter(double jitter) {
        if (!(jitter >= 0 && jitter <= 1)) {
            throw new IllegalArgumentException("jitter must be between 0 and 1, but was " + jitter);
        }
        return new RestartPolicy(maxRestarts, within, initialBackoff, maxBackoff, jitter, retryOn);
    }

    /**
     * The same policy, retrying only the throwables that {@code retryOn} accepts.
     *
     * <p>
     * The predicate is asked outside every lock, on the thread that handles the failure
     * (the task's own for a blocking task; for a stall treated as a failure, also the
     * supervision timer's), as the <a href="CriticalTaskListener.html#threads">thread
     * rules</a> state; it should be quick. One that throws counts as "not retried", and
     * its exception is kept, suppressed, by the throwable it was asked about.
     * @param retryOn which throwables are restarted
     * @return a new policy
     */
    public RestartPolicy retryOn(Predicate<? super Throwable> retryOn) {
        return new RestartPolicy(maxRestarts, within, initialBackoff, maxBackoff, jitter,
                Objects.requireNonNull(retryOn, "retryOn must not be null"));
    }

    /**
     * {@return whether this policy ever restarts}
     */
    public boolean allowsRestarts() {
        return maxRestarts > 0;
    }

    /**
     * {@return how many restarts the window allows}
     */
    public int maxRestarts() {
        return maxRestarts;
    }

    /**
     * {@return the length of the sliding window}
     */
    public Duration within() {
        return within;
    }

    /**
     * {@return the floor of the backoff}
     */
    public Duration initialBackoff() {
        return initialBackoff;
    }

    /**
     * {@return the ceiling of the backoff}
     */
    public Duration maxBackoff() {
        return maxBackoff;
    }

    /**
     * {@return the randomised share of each backoff}
     */
    public double jitter() {
        return jitter;
    }

    boolean retries(Throwable thrown) {
        return retryOn.test(thrown);
    }

    @Override
    public String toString() {
        return allowsRestarts() ? "RestartPolicy[" + maxRestarts + " restarts within " + within + ", backoff "
                + initialBackoff + ".." + maxBackoff + ", jitter " + jitter + "]" : "RestartPolicy[never]";
    }

}
