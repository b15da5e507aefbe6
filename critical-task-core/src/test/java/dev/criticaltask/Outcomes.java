package dev.criticaltask;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** How the tests of the failure and stop paths wait for an outcome. */
final class Outcomes {

    private Outcomes() {
    }

    /** Joins a task that must fail, and returns its failure. */
    static CriticalTaskFailedException failureOf(CriticalTaskHandle handle) throws InterruptedException {
        try {
            handle.join();
        }
        catch (CriticalTaskFailedException failure) {
            return failure;
        }
        throw new AssertionError("expected " + handle + " to fail");
    }

    /** Stops the registry on a new thread named {@code stopper}; the stage holds the report. */
    static CompletableFuture<StopReport> stopOnAnotherThread(CriticalTaskRegistry registry, Duration grace) {
        CompletableFuture<StopReport> stopped = new CompletableFuture<>();
        Thread stopper = new Thread(() -> {
            try {
                stopped.complete(registry.stop(grace));
            }
            catch (Throwable ex) {
                stopped.completeExceptionally(ex);
            }
        }, "stopper");
        stopper.start();
        return stopped;
    }
}
