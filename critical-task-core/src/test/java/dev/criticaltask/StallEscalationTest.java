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

import dev.criticaltask.testsupport.SilentLogger;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 19, item 5: when a stall (on-stall {@code FAIL}, no restart left) has already
 * escalated and the interrupted task then throws, its own throwable is kept in the
 * failure, as it is on the path where the stall has not escalated yet.
 */
@Tag("core")
class StallEscalationTest {

    private final CriticalTaskRegistry registry = CriticalTaskRegistry.builder().logger(new SilentLogger()).build();

    @AfterEach
    void stop() throws InterruptedException {
        registry.stop(Duration.ofSeconds(10));
    }

    @Test
    @Timeout(30)
    void theTasksOwnThrowableIsKeptAfterItsStallEscalated() throws Exception {
        AtomicReference<IllegalStateException> thrown = new AtomicReference<>();
        CriticalTaskHandle handle = registry.spawn(CriticalTaskSpec.supervised("stuck", context -> {
            try {
                new CountDownLatch(1).await(); // stuck, without heartbeats; only the
                                               // interrupt ends it
            }
            catch (InterruptedException interrupted) {
                IllegalStateException own = new IllegalStateException("interrupted before the work was done");
                thrown.set(own);
                throw own;
            }
        }).withHeartbeat(Duration.ofMillis(100), StallAction.FAIL));

        CriticalTaskFailedException failure = catchThrowableOfType(CriticalTaskFailedException.class, handle::join);

        assertThat(failure).as("the join's failure").isNotNull().hasCauseInstanceOf(TaskStalledException.class);
        assertThat(registry.firstFailure()).containsSame(failure);
        assertThat(thrown.get()).as("what the task threw once interrupted").isNotNull();
        assertThat(reachableFrom(failure)).as("the failure's causes and suppressed exceptions, and theirs")
            .anySatisfy(found -> assertThat(found).isSameAs(thrown.get()));
    }

    /**
     * Every throwable reachable from {@code root} through causes and suppressed
     * exceptions.
     */
    private static List<Throwable> reachableFrom(Throwable root) {
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        List<Throwable> found = new ArrayList<>();
        Deque<Throwable> next = new ArrayDeque<>(List.of(root));
        while (!next.isEmpty()) {
            Throwable current = next.pop();
            if (!seen.add(current)) {
                continue;
            }
            found.add(current);
            if (current.getCause() != null) {
                next.push(current.getCause());
            }
            for (Throwable suppressed : current.getSuppressed()) {
                next.push(suppressed);
            }
        }
        return found;
    }

}
