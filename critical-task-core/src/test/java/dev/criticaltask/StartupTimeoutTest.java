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

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;

import dev.criticaltask.testsupport.SilentLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The start-up timeout (issue 15), on a supervision clock the test moves by hand: the
 * time-out is decided by {@link ManualScheduler#advance}, never by a wait.
 */
@Tag("core")
@Timeout(30)
class StartupTimeoutTest {

    private final ManualScheduler clock = new ManualScheduler();

    private final CriticalTaskRegistry registry = CriticalTaskRegistry.builder()
        .logger(new SilentLogger())
        .supervisionScheduler(() -> clock)
        .build();

    private final List<Throwable> restartCauses = new CopyOnWriteArrayList<>();

    @AfterEach
    void stop() throws InterruptedException {
        registry.stop(Duration.ofSeconds(10));
    }

    @Test
    void aTaskNotReadyInTimeFailsWithTheTimeoutAsCauseAndCancelsTheRoot() throws Exception {
        CountDownLatch waiting = new CountDownLatch(1);
        CriticalTaskHandle slow = registry.spawn(CriticalTaskSpec.supervised("slow", context -> {
            waiting.countDown();
            context.cancellation().await(); // never ready
        }).withAwaitReady(true).withStartupTimeout(Duration.ofSeconds(5)));
        waiting.await();
        clock.awaitPending(1);

        clock.advance(Duration.ofMillis(4999));
        assertThat(slow.state()).isEqualTo(TaskState.RUNNING);
        assertThat(registry.rootToken().isCancelled()).isFalse();

        clock.advance(Duration.ofMillis(1));
        CriticalTaskFailedException failure = Outcomes.failureOf(slow);
        assertThat(failure.getCause()).isInstanceOf(TaskStartTimeoutException.class)
            .hasMessage("Critical task 'slow' was not ready within its start-up timeout of 5000 ms (attempt 1)");
        assertThat(((TaskStartTimeoutException) failure.getCause()).timeout()).isEqualTo(Duration.ofSeconds(5));
        assertThat(registry.firstFailure()).containsSame(failure);
        assertThat(registry.rootToken().isCancelled()).isTrue();
    }

    @Test
    void aFatalTimeoutOnTheRealTimerIsLoggedOnceAtError() throws Exception {
        SilentLogger logger = new SilentLogger();
        CriticalTaskRegistry real = CriticalTaskRegistry.builder().logger(logger).build();
        try {
            CriticalTaskHandle slow = real.spawn(CriticalTaskSpec.supervised("slow", context -> {
                context.cancellation().await();
            }).withAwaitReady(true).withStartupTimeout(Duration.ofMillis(50)));
            Outcomes.failureOf(slow);
            await().until(() -> logger.errors.get() == 1);
        }
        finally {
            real.stop(Duration.ofSeconds(5));
        }
        assertThat(logger.errors).hasValue(1);
    }

    @Test
    void aTaskReadyInTimeIsNeverTimedOut() throws Exception {
        CountDownLatch readied = new CountDownLatch(1);
        CriticalTaskHandle quick = registry.spawn(CriticalTaskSpec.supervised("quick", context -> {
            context.ready();
            readied.countDown();
            context.cancellation().await();
        }).withAwaitReady(true).withStartupTimeout(Duration.ofSeconds(5)));
        readied.await();

        clock.advance(Duration.ofMinutes(1));

        assertThat(quick.state()).isEqualTo(TaskState.RUNNING);
        assertThat(quick.isReady()).isTrue();
        assertThat(registry.rootToken().isCancelled()).isFalse();
    }

    @Test
    void aTimeoutGoesThroughTheRestartPolicyAndTheRestartedAttemptHasItsOwnTimeout() throws Exception {
        registry.addListener(new CriticalTaskListener() {
            @Override
            public void restarted(CriticalTaskHandle task, Throwable cause, Duration backoff) {
                restartCauses.add(cause);
            }
        });
        CountDownLatch secondAttempt = new CountDownLatch(1);
        CriticalTaskHandle flaky = registry.spawn(CriticalTaskSpec.supervised("flaky", context -> {
            if (context.attempt() == 2) {
                secondAttempt.countDown();
            }
            context.cancellation().await();
        })
            .withRestartPolicy(
                    RestartPolicy.limited(1, Duration.ofMinutes(1)).withBackoff(Duration.ZERO, Duration.ZERO))
            .withAwaitReady(true)
            .withStartupTimeout(Duration.ofSeconds(2)));
        clock.awaitPending(1);

        clock.advance(Duration.ofSeconds(2));
        secondAttempt.await();
        assertThat(restartCauses).singleElement().isInstanceOf(TaskStartTimeoutException.class);
        assertThat(flaky.restartCount()).isEqualTo(1);
        assertThat(flaky.isReady()).isFalse();

        clock.awaitPending(1); // the second attempt's own time-out
        clock.advance(Duration.ofSeconds(2));
        CriticalTaskFailedException failure = Outcomes.failureOf(flaky);
        assertThat(failure.getCause()).isInstanceOf(TaskStartTimeoutException.class)
            .hasMessageContaining("(attempt 2)");
    }

    @Test
    void theTimeSpentWaitingForADependencyDoesNotCount() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        CriticalTaskSpec dependency = CriticalTaskSpec.supervised("dependency", context -> {
            release.await();
            context.ready();
            context.cancellation().await();
        }).withAwaitReady(true);
        CriticalTaskSpec dependent = CriticalTaskSpec.supervised("dependent", context -> {
            context.cancellation().await();
        }).withAwaitReady(true).withStartupTimeout(Duration.ofSeconds(1)).withDependsOn("dependency");
        List<CriticalTaskHandle> handles = registry.spawnAll(List.of(dependency, dependent));

        clock.advance(Duration.ofMinutes(5)); // nothing is scheduled while it waits
        assertThat(handles.get(1).state()).isEqualTo(TaskState.RUNNING);

        release.countDown();
        await().until(() -> handles.get(1).startedAt().isPresent());
        clock.awaitPending(1);
        clock.advance(Duration.ofSeconds(1));
        assertThat(Outcomes.failureOf(handles.get(1)).getCause()).isInstanceOf(TaskStartTimeoutException.class);
    }

}
