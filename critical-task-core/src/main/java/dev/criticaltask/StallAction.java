package dev.criticaltask;

/** What happens when a task misses its heartbeat. */
public enum StallAction {

    /**
     * Only report it: the task is {@link TaskState#STALLED} (visible in health, the endpoint and
     * metrics, and to listeners) until its next heartbeat.
     */
    REPORT,

    /**
     * Treat it as a failure: the attempt's token is cancelled and its thread interrupted, and the
     * stall, a {@link TaskStalledException}, goes through the restart policy. When no restart is
     * left, it escalates at once, even if the stuck thread never returns.
     */
    FAIL
}
