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
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;

import dev.criticaltask.testsupport.CapturedLogs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Issue 18: a forgotten handle is found through a phantom reference that the task's run
 * keeps reachable until the task ends, and a list keeps after that. Each place where the
 * reference lives has its test: a handle forgotten while its task runs (on a platform
 * thread, and parked on a virtual thread), forgotten after its task ended, and settled
 * after its task ended, which must take it off the list and never report it.
 */
@Tag("core")
class ForgottenHandleTest {

    private static final Duration LONG = Duration.ofSeconds(20);

    @Test
    void aHandleForgottenWhileItsTaskRunsOnAPlatformThreadShouldBeReported() throws Exception {
        forgetWhileRunning("forgotten-running-platform", TaskThreads.platform());
    }

    @Test
    void aHandleForgottenWhileItsTaskIsParkedOnAVirtualThreadShouldBeReported() throws Exception {
        assumeTrue(TaskThreads.virtualThreadsAvailable(), "virtual threads need Java 21");
        forgetWhileRunning("forgotten-running-virtual", TaskThreads.virtual());
    }

    @Test
    void aHandleForgottenAfterItsTaskEndedShouldBeReported() {
        CancellationToken parent = CancellationToken.create();
        try (CapturedLogs logs = CapturedLogs.of(CriticalTaskHandle.class)) {
            spawnEndAndForget(parent, "forgotten-ended");
            awaitReport(logs, "forgotten-ended");
        }
    }

    @Test
    void aHandleJoinedAfterItsTaskEndedShouldNotBeReported() throws Exception {
        CancellationToken parent = CancellationToken.create();
        try (CapturedLogs logs = CapturedLogs.of(CriticalTaskHandle.class)) {
            for (int i = 0; i < 100; i++) {
                CriticalTaskHandle joined = CriticalTaskHandle.spawn("joined-late", token -> {
                }, parent);
                awaitEnd(joined);
                joined.join();
                CriticalTaskHandle detached = CriticalTaskHandle.spawn("detached-late", token -> {
                }, parent);
                awaitEnd(detached);
                detached.detach();
            }
            // a forgotten one, spawned last, proves that the reports have been made since
            spawnEndAndForget(parent, "marker-after-late-joins");
            awaitReport(logs, "marker-after-late-joins");
            assertThat(logs.records()).noneMatch(record -> record.getMessage().contains("-late'"));
        }
    }

    private static void forgetWhileRunning(String name, Executor executor) throws Exception {
        CancellationToken parent = CancellationToken.create();
        CountDownLatch parked = new CountDownLatch(1);
        CountDownLatch returned = new CountDownLatch(1);
        try (CapturedLogs logs = CapturedLogs.of(CriticalTaskHandle.class)) {
            spawnAndForget(parent, name, token -> {
                parked.countDown();
                token.await();
                returned.countDown();
            }, executor);
            assertThat(parked.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
            awaitReport(logs, name);
            assertThat(returned.getCount()).as("the task still runs when its handle is reported").isEqualTo(1);
        }
        finally {
            parent.cancel();
        }
        assertThat(returned.await(LONG.toSeconds(), TimeUnit.SECONDS)).isTrue();
    }

    private static void spawnAndForget(CancellationToken parent, String name, CriticalTask task, Executor executor) {
        CriticalTaskHandle.spawn(name, task, parent, executor);
    }

    private static void spawnEndAndForget(CancellationToken parent, String name) {
        CriticalTaskHandle handle = CriticalTaskHandle.spawn(name, token -> {
        }, parent);
        awaitEnd(handle);
    }

    /** Without settling the handle, as join or completion() would. */
    private static void awaitEnd(CriticalTaskHandle handle) {
        await().atMost(LONG).pollDelay(Duration.ZERO).pollInterval(Duration.ofMillis(1)).until(handle::isFinished);
    }

    private static void awaitReport(CapturedLogs logs, String name) {
        await().atMost(LONG).until(() -> {
            System.gc();
            return logs.atLevel(Level.SEVERE)
                .stream()
                .anyMatch(record -> record.getMessage().contains("'" + name + "' was neither joined nor detached"));
        });
    }

}
