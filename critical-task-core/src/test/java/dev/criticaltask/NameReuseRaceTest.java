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

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 19, item 6: a handle that says it is finished has given its name back. A spawn of
 * the same name right after {@link CriticalTaskHandle#isFinished()} turned true is
 * accepted, whichever way the task ended, and while another thread reads the task list.
 */
@Tag("core")
class NameReuseRaceTest {

    /** How long the spawns go on at most; the first refusal ends them at once. */
    private static final Duration BUDGET = Duration.ofSeconds(3);

    @Test
    @Timeout(30)
    void aNameIsFreeOnceItsHandleSaysFinished() throws Exception {
        int spawns = 0;
        IllegalArgumentException refused = null;
        long started = System.nanoTime();
        CriticalTaskRegistry registry = CriticalTaskRegistry.builder().build();
        // a reader of the task list, as health and the endpoint are, keeps the registry
        // busy
        Thread reader = new Thread(() -> {
            while (!registry.isStopping()) {
                registry.tasks();
            }
        }, "task-list-reader");
        reader.setDaemon(true);
        reader.start();
        try (registry) {
            CountDownLatch go = new CountDownLatch(1);
            boolean cancelled = false;
            CriticalTaskHandle previous = registry.spawn("reused", waitFor(go, cancelled));
            spawns++;
            while (System.nanoTime() - started < BUDGET.toNanos()) {
                // the end comes on the task's thread, completed or cancelled, while this
                // thread watches
                if (cancelled) {
                    previous.cancel();
                }
                else {
                    go.countDown();
                }
                while (!previous.isFinished()) {
                    Thread.onSpinWait();
                }
                go = new CountDownLatch(1);
                cancelled = !cancelled;
                try {
                    previous = registry.spawn("reused", waitFor(go, cancelled));
                    spawns++;
                }
                catch (IllegalArgumentException taken) {
                    refused = taken;
                    break;
                }
            }
            previous.cancel();
        }
        reader.join();
        assertThat(refused).as("a spawn of the name of a finished handle, after %d spawns", spawns).isNull();
    }

    /** Waits for the latch, or, for a task that is to be cancelled, for its token. */
    private static CriticalTask waitFor(CountDownLatch go, boolean cancelled) {
        return token -> {
            if (cancelled) {
                token.await();
            }
            else {
                go.await();
            }
        };
    }

}
