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

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One thread that keeps the time for the supervision of every task of a registry: each
 * watched attempt has one scheduled heartbeat check, due when its heartbeat timeout would
 * run out, so a stall is found within the timeout plus the scheduler's latency; and each
 * asynchronous task that waits out a restart backoff has one scheduled relaunch. No
 * thread per task.
 *
 * <p>
 * Shut down when its registry stops, after the root token was cancelled: a relaunch it
 * drops then belonged to a task that the cancellation has already ended.
 */
final class SupervisionTimer {

    static final String THREAD_NAME = "dev.criticaltask.supervision-timer";

    private final ScheduledThreadPoolExecutor scheduler;

    SupervisionTimer() {
        this(new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        }));
    }

    /**
     * A timer on this scheduler: tests give one whose clock they move by hand, so that a
     * time-out is decided by the test and not by a wait.
     */
    SupervisionTimer(ScheduledThreadPoolExecutor scheduler) {
        this.scheduler = scheduler;
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /**
     * Schedules an action.
     * @throws java.util.concurrent.RejectedExecutionException once the timer is shut down
     */
    ScheduledFuture<?> schedule(Runnable action, long delayNanos) {
        return scheduler.schedule(action, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    boolean isShutdown() {
        return scheduler.isShutdown();
    }

    void shutdown() {
        scheduler.shutdownNow();
    }

}
