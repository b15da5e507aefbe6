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
import java.util.concurrent.atomic.AtomicIntegerFieldUpdater;

import org.jspecify.annotations.Nullable;

/**
 * One run of a task's body: its number, its own token and, for a task with a heartbeat
 * timeout, the watch of its heartbeats, for a task with a start-up timeout, the watch of
 * its ready signal. It is the {@link TaskContext} a {@link SupervisedTask} receives, and
 * what a stall, a time-out or an interrupt names, so that none can reach another attempt.
 */
final class Attempt implements TaskContext {

    private static final AtomicIntegerFieldUpdater<Attempt> READIED = AtomicIntegerFieldUpdater
        .newUpdater(Attempt.class, "readied");

    private final TaskRun run;

    private final int number;

    private final CancellationToken token;

    private final @Nullable HeartbeatWatch watch;

    private final boolean awaitsReady;

    private final @Nullable StartupWatch startup;

    /** 1 once {@link #ready()} was called. */
    private volatile int readied;

    /**
     * Set before a task it depends on, restarting, cancels this attempt: its end is then
     * no end of the task.
     */
    private volatile boolean stoppedForDependency;

    private final RoleGroup.@Nullable Grant grant;

    /** Links this attempt's token to its grant's revocation; closed when it ends. */
    private final @Nullable Registration revocation;

    Attempt(TaskRun run, int number, CancellationToken token, CriticalTaskSpec spec, @Nullable SupervisionTimer timer,
            RoleGroup.@Nullable Grant grant) {
        this.run = run;
        this.number = number;
        this.token = token;
        this.grant = grant;
        if (grant != null) {
            grant.enter();
        }
        // runs at once when the grant is revoked already: no revocation is lost
        this.revocation = grant == null ? null
                : grant.revoked()
                    .onCancel(() -> token.cancel(grant.revoked()
                        .reason()
                        .orElseGet(() -> new LeadershipRevokedException(grant.term().role(), grant.term().term(),
                                Revocation.LOST))));
        long heartbeatTimeoutNanos = spec.heartbeatTimeoutNanos();
        this.watch = heartbeatTimeoutNanos > 0 && timer != null
                ? new HeartbeatWatch(run, this, heartbeatTimeoutNanos, spec.stallAction(), timer) : null;
        this.awaitsReady = spec.awaitsReady();
        // only a task that says when it is ready has a start-up to time: the others pay
        // nothing for it
        long startupTimeoutNanos = awaitsReady && timer != null
                ? spec.startupTimeout().map(CancellationToken::saturatedNanos).orElse(0L) : 0;
        this.startup = startupTimeoutNanos > 0 && timer != null
                ? new StartupWatch(run, this, startupTimeoutNanos, timer) : null;
    }

    @Override
    public CancellationToken cancellation() {
        return token;
    }

    @Override
    public String name() {
        return run.description();
    }

    @Override
    public int attempt() {
        return number;
    }

    @Override
    public void heartbeat() {
        HeartbeatWatch watching = watch;
        if (watching != null) {
            watching.beat();
        }
    }

    @Override
    public void ready() {
        if (!awaitsReady || !READIED.compareAndSet(this, 0, 1)) {
            return;
        }
        StartupWatch timing = startup;
        if (timing == null || timing.ready()) {
            run.gate().attemptReady(this);
        }
    }

    @Override
    public Optional<LeadershipTerm> leadership() {
        RoleGroup.Grant granted = grant;
        return granted == null ? Optional.empty() : Optional.of(granted.term());
    }

    RoleGroup.@Nullable Grant grant() {
        return grant;
    }

    /**
     * Unlinks the attempt from its grant, which may outlive it.
     * @return whether the attempt's token was cancelled by the grant's revocation
     */
    boolean endLeadership() {
        Registration link = revocation;
        if (link != null) {
            link.close();
        }
        if (grant != null) {
            grant.exit();
        }
        return grant != null && token.isCancelled()
                && token.reason().orElse(null) instanceof LeadershipRevokedException;
    }

    @Nullable HeartbeatWatch watch() {
        return watch;
    }

    @Nullable StartupWatch startup() {
        return startup;
    }

    /** This attempt is stopped because a task it depends on restarts. */
    void markStoppedForDependency() {
        stoppedForDependency = true;
    }

    boolean isStoppedForDependency() {
        return stoppedForDependency;
    }

}
