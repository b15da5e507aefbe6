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
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;

import dev.criticaltask.testsupport.SilentLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * {@link CriticalTaskRegistry#pause(Duration)} and {@link CriticalTaskRegistry#resume()}:
 * a stop that is not a shutdown, and the generation after it.
 */
@Tag("core")
class RegistryGenerationsTest {

    private static final Duration LONG = Duration.ofSeconds(10);

    private final CriticalTaskRegistry registry = CriticalTaskRegistry.builder()
        .logger(new SilentLogger())
        .interruptWait(Duration.ofSeconds(2))
        .build();

    @AfterEach
    void stop() throws InterruptedException {
        registry.stop(LONG);
    }

    @Test
    void pauseStopsEveryTaskGracefullyAndLeavesTheRootAlone() throws Exception {
        CriticalTaskHandle first = registry.spawn("first", CancellationToken::await);
        CriticalTaskHandle second = registry.spawn("second", CancellationToken::await);

        StopReport report = registry.pause(LONG);

        assertThat(report.isClean()).isTrue();
        assertThat(first.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(second.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(registry.rootToken().isCancelled()).isFalse();
        assertThat(registry.isPaused()).isTrue();
        assertThat(registry.isStopping()).isFalse();
        assertThat(registry.firstFailure()).isEmpty();
    }

    @Test
    void spawnWhilePausedIsRefusedAndChangesNothing() throws Exception {
        registry.pause(LONG);

        assertThatThrownBy(() -> registry.spawn("late", CancellationToken::await))
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("Cannot spawn critical task 'late': the registry is paused (its tasks are stopped until it "
                    + "is resumed)");
        assertThat(registry.tasks()).isEmpty();
        assertThat(registry.find("late")).isEmpty();
    }

    @Test
    void resumeRunsTheSameNamesAgainUnderFreshTokensAndForgetsTheOldGeneration() throws Exception {
        CriticalTaskHandle old = registry.spawn("worker", CancellationToken::await);
        CriticalTaskHandle finite = registry.spawn("finite", token -> {
        });
        finite.join();
        registry.pause(LONG);

        registry.resume();
        CriticalTaskHandle fresh = registry.spawn("worker", CancellationToken::await);

        assertThat(registry.isPaused()).isFalse();
        assertThat(fresh).isNotSameAs(old);
        assertThat(fresh.isCancelled()).isFalse();
        assertThat(old.state()).isEqualTo(TaskState.CANCELLED);
        // the earlier generation's finished tasks are history: every reader sees only the
        // current one
        assertThat(registry.tasks()).containsExactly(fresh);
        assertThat(registry.find("worker")).containsSame(fresh);
        assertThat(registry.find("finite")).isEmpty();
        // no memory held for the stopped generation
        assertThat(registry.rootToken().linkedCount()).isEqualTo(1);
    }

    @Test
    void aFailureWhilePausingCancelsTheRootWithIt() throws Exception {
        CriticalTaskHandle failing = registry.spawn("failing", token -> {
            token.await();
            throw new IOException("disk gone while stopping");
        });

        registry.pause(LONG);

        assertThat(failing.state()).isEqualTo(TaskState.FAILED);
        assertThat(registry.rootToken().isCancelled()).isTrue();
        assertThat(registry.rootToken().reason()).containsSame(failing.failure().orElseThrow());
        assertThat(registry.firstFailure()).containsSame(failing.failure().orElseThrow());
    }

    @Test
    void aTaskOfANewGenerationThatFailsCancelsTheRoot() throws Exception {
        registry.spawn("worker", CancellationToken::await);
        registry.pause(LONG);
        registry.resume();
        CountDownLatch fail = new CountDownLatch(1);
        CriticalTaskHandle failing = registry.spawn("worker", token -> {
            fail.await();
            throw new IllegalStateException("boom");
        });

        fail.countDown();

        assertThat(registry.rootToken().await(LONG)).isTrue();
        assertThatThrownBy(() -> failing.join(LONG)).isInstanceOf(CriticalTaskFailedException.class);
        assertThat(registry.firstFailure()).containsSame(failing.failure().orElseThrow());
    }

    @Test
    void pauseReportsAndInterruptsAStragglerAsStopDoes() throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        CriticalTaskHandle stubborn = registry.spawn("stubborn", token -> {
            running.countDown();
            Thread.sleep(LONG.toMillis());
        });
        running.await();

        StopReport report = registry.pause(Duration.ZERO);

        assertThat(report.unstopped()).extracting(UnstoppedTask::name).containsExactly("stubborn");
        assertThat(stubborn.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(registry.rootToken().isCancelled()).isFalse();
    }

    @Test
    void noSupervisionTimerThreadOfAPausedGenerationIsLeft() throws Exception {
        CriticalTaskSpec watched = CriticalTaskSpec.supervised("watched", context -> {
            while (!context.cancellation().isCancelled()) {
                context.heartbeat();
                context.cancellation().await(Duration.ofMillis(5));
            }
        }).withHeartbeat(Duration.ofSeconds(5), StallAction.REPORT);
        registry.spawn(watched);
        await().atMost(LONG).until(() -> !timerThreads().isEmpty());
        Set<Thread> before = timerThreads();

        registry.pause(LONG);

        await().atMost(LONG).until(() -> before.stream().noneMatch(Thread::isAlive));
        registry.resume();
        List<Duration> stalls = new CopyOnWriteArrayList<>();
        registry.addListener(new CriticalTaskListener() {
            @Override
            public void stalled(CriticalTaskHandle task, Duration silentFor) {
                stalls.add(silentFor);
            }
        });
        // the new generation is watched by a timer of its own
        registry.spawn(CriticalTaskSpec.supervised("silent", context -> context.cancellation().await())
            .withHeartbeat(Duration.ofMillis(50), StallAction.REPORT));
        await().atMost(LONG).until(() -> !stalls.isEmpty());
    }

    @Test
    void resumeDoesNothingOnceStopped() throws Exception {
        registry.pause(LONG);
        registry.stop(LONG);

        registry.resume();

        assertThat(registry.isStopping()).isTrue();
        assertThat(registry.rootToken().isCancelled()).isTrue();
        assertThatThrownBy(() -> registry.spawn("late", CancellationToken::await))
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("the registry is stopping");
    }

    @Test
    void pauseRefusesANegativeGraceAndChangesNothing() {
        assertThatThrownBy(() -> registry.pause(Duration.ofSeconds(-1))).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("grace must not be negative, but was PT-1S");
        assertThat(registry.isPaused()).isFalse();
    }

    private static Set<Thread> timerThreads() {
        return Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter(thread -> thread.getName().equals(SupervisionTimer.THREAD_NAME))
            .collect(Collectors.toSet());
    }

}
