package dev.criticaltask;

import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * One thread that watches the heartbeats of every task of a registry: each watched attempt has one
 * scheduled check, due when its heartbeat timeout would run out, so a stall is found within the
 * timeout plus the scheduler's latency, with no thread per task.
 */
final class HeartbeatMonitor {

    static final String THREAD_NAME = "dev.criticaltask.heartbeat-monitor";

    private final ScheduledThreadPoolExecutor scheduler;

    HeartbeatMonitor() {
        scheduler = new ScheduledThreadPoolExecutor(1, runnable -> {
            Thread thread = new Thread(runnable, THREAD_NAME);
            thread.setDaemon(true);
            return thread;
        });
        scheduler.setRemoveOnCancelPolicy(true);
        scheduler.setExecuteExistingDelayedTasksAfterShutdownPolicy(false);
    }

    /** Schedules a check; null once the monitor is shut down. */
    ScheduledFuture<?> schedule(Runnable check, long delayNanos) {
        return scheduler.schedule(check, Math.max(0, delayNanos), TimeUnit.NANOSECONDS);
    }

    boolean isShutdown() {
        return scheduler.isShutdown();
    }

    void shutdown() {
        scheduler.shutdownNow();
    }
}
