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

    /**
     * Stops the registry on a new thread named {@code stopper}; the stage holds the
     * report.
     */
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
