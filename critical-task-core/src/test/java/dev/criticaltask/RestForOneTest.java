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

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;

import dev.criticaltask.testsupport.SilentLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Dependents follow what they depend on (issue 15): a restart of a task stops its
 * dependents first and starts them again once it is ready (rest for one); a dependent's
 * own restart leaves what it depends on alone; a spent budget escalates; a failure during
 * start-up stops what started and is reported once.
 */
@Tag("core")
@Timeout(30)
class RestForOneTest {

    private static final RestartPolicy ONE_QUICK_RESTART = RestartPolicy.limited(1, Duration.ofMinutes(1))
        .withBackoff(Duration.ZERO, Duration.ZERO);

    private final List<String> events = new CopyOnWriteArrayList<>();

    private final CriticalTaskRegistry registry = CriticalTaskRegistry.builder().logger(new SilentLogger()).build();

    @AfterEach
    void stop() throws InterruptedException {
        registry.stop(Duration.ofSeconds(10));
    }

    @Test
    void aRestartOfADependencyStopsItsDependentsFirstAndStartsThemAgainOnceItIsReady() throws Exception {
        Semaphore fail = new Semaphore(0);
        CountDownLatch secondReady = new CountDownLatch(1);
        CriticalTaskSpec prices = CriticalTaskSpec.supervised("prices", context -> {
            events.add("prices " + context.attempt() + " started");
            if (context.attempt() == 2) {
                // the dependents stopped before this attempt began
                secondReady.await();
            }
            events.add("prices " + context.attempt() + " ready");
            context.ready();
            if (context.attempt() == 1) {
                fail.acquire();
                events.add("prices 1 fails");
                throw new IOException("feed lost");
            }
            context.cancellation().await();
        }).withAwaitReady(true).withRestartPolicy(ONE_QUICK_RESTART);
        CriticalTaskSpec orders = dependent("orders", "prices");
        CriticalTaskSpec invoices = dependent("invoices", "orders");
        List<CriticalTaskHandle> handles = registry.spawnAll(List.of(prices, orders, invoices));
        await().until(() -> events.contains("invoices 1 started"));

        fail.release();
        await().until(() -> events.contains("prices 2 started"));
        assertThat(events).containsSubsequence("prices 1 fails", "invoices 1 stopped", "prices 2 started")
            .containsSubsequence("prices 1 fails", "orders 1 stopped", "prices 2 started");
        assertThat(events).doesNotContain("orders 2 started");
        assertThat(handles.get(1).isReady()).isFalse();

        secondReady.countDown();
        await().until(() -> events.contains("invoices 2 started"));
        assertThat(events).containsSubsequence("prices 2 ready", "orders 2 started", "invoices 2 started");
        assertThat(handles.get(1).restartCount()).as("not a restart of its own").isZero();
        assertThat(handles.get(2).restartCount()).isZero();
        assertThat(handles.get(0).restartCount()).isEqualTo(1);
        assertThat(handles).allMatch(handle -> handle.state() == TaskState.RUNNING);
        assertThat(registry.rootToken().isCancelled()).isFalse();
    }

    @Test
    void aDependentsOwnRestartLeavesWhatItDependsOnAlone() throws Exception {
        CountDownLatch pricesRunning = new CountDownLatch(1);
        CriticalTaskSpec prices = CriticalTaskSpec.supervised("prices", context -> {
            events.add("prices " + context.attempt() + " started");
            pricesRunning.countDown();
            context.cancellation().await();
        });
        AtomicInteger attempts = new AtomicInteger();
        CriticalTaskSpec orders = CriticalTaskSpec.supervised("orders", context -> {
            events.add("orders " + context.attempt() + " started");
            if (attempts.incrementAndGet() == 1) {
                throw new IOException("order queue lost");
            }
            context.cancellation().await();
        }).withRestartPolicy(ONE_QUICK_RESTART).withDependsOn("prices");
        List<CriticalTaskHandle> handles = registry.spawnAll(List.of(prices, orders));
        await().until(() -> events.contains("orders 2 started"));

        assertThat(handles.get(0).attempt()).isEqualTo(1);
        assertThat(handles.get(0).restartCount()).isZero();
        assertThat(events).containsOnlyOnce("prices 1 started");
        assertThat(handles.get(1).restartCount()).isEqualTo(1);
    }

    @Test
    void aSpentBudgetEscalatesAndTheFailureIsReportedOnce() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        registry.addListener(new CriticalTaskListener() {
            @Override
            public void failed(CriticalTaskHandle task, CriticalTaskFailedException failure) {
                failures.incrementAndGet();
            }
        });
        CriticalTaskSpec prices = CriticalTaskSpec.supervised("prices", context -> {
            context.ready();
            throw new IOException("feed lost, attempt " + context.attempt());
        }).withAwaitReady(true).withRestartPolicy(ONE_QUICK_RESTART);
        List<CriticalTaskHandle> handles = registry.spawnAll(List.of(prices, dependent("orders", "prices")));

        CriticalTaskFailedException failure = Outcomes.failureOf(handles.get(0));

        assertThat(failure.getCause()).hasMessage("feed lost, attempt 2");
        handles.get(1).join();
        assertThat(handles.get(1).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(registry.firstFailure()).containsSame(failure);
        assertThat(failures).hasValue(1);
    }

    @Test
    void aFailureDuringStartUpStopsWhatStartedAndNeverStartsTheRest() throws Exception {
        AtomicInteger failures = new AtomicInteger();
        registry.addListener(new CriticalTaskListener() {
            @Override
            public void failed(CriticalTaskHandle task, CriticalTaskFailedException failure) {
                failures.incrementAndGet();
            }
        });
        CountDownLatch auditRunning = new CountDownLatch(1);
        CriticalTaskSpec audit = CriticalTaskSpec.of("audit", token -> {
            auditRunning.countDown();
            token.await();
            events.add("audit stopped");
        });
        CriticalTaskSpec prices = CriticalTaskSpec.supervised("prices", context -> {
            auditRunning.await();
            throw new IOException("no prices");
        }).withAwaitReady(true);
        List<CriticalTaskHandle> handles = registry
            .spawnAll(List.of(audit, prices, dependent("orders", "prices"), dependent("invoices", "orders")));

        Outcomes.failureOf(handles.get(1));
        for (CriticalTaskHandle handle : handles) {
            handle.completion().toCompletableFuture().handle((done, failed) -> done).join();
        }

        assertThat(events).containsExactly("audit stopped");
        assertThat(handles.get(2).startedAt()).isEmpty();
        assertThat(handles.get(3).startedAt()).isEmpty();
        assertThat(handles.get(2).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(failures).hasValue(1);
    }

    private CriticalTaskSpec dependent(String name, String dependency) {
        // says it is ready after it logged its start, so that the log shows the order
        return CriticalTaskSpec.supervised(name, context -> {
            events.add(name + " " + context.attempt() + " started");
            context.ready();
            try {
                context.cancellation().await();
            }
            finally {
                events.add(name + " " + context.attempt() + " stopped");
            }
        }).withAwaitReady(true).withDependsOn(dependency);
    }

}
