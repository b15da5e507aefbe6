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

package dev.criticaltask.spring.scheduling;

import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.RestartPolicy;
import dev.criticaltask.TaskState;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A job's task on a real registry: pending while runs succeed, failed by a run's
 * exception, re-armed by a restart, stopped gracefully by cancellation, and quiet (a WARN
 * line) once stopped.
 */
@Tag("spring")
@ExtendWith(OutputCaptureExtension.class)
class CriticalJobTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CriticalJob job = new CriticalJob("bean.tick", "bean", method(), CriticalJobStatus.Trigger.SCHEDULED);

    @Test
    void staysRunningWhileRunsSucceedAndFailsWithTheFirstException() throws Exception {
        try (CriticalTaskRegistry registry = new CriticalTaskRegistry()) {
            CriticalTaskHandle task = registry.spawn(CriticalTaskSpec.async(job.name(), job));
            job.supervisedBy(registry);
            job.runEnded(job.runStarted(), null);
            assertThat(task.state()).isEqualTo(TaskState.RUNNING);
            IllegalStateException failure = new IllegalStateException("run failed");
            job.runEnded(job.runStarted(), failure);
            await().atMost(TIMEOUT).until(() -> task.state() == TaskState.FAILED);
            assertThat(task.failure().orElseThrow().getCause()).isSameAs(failure);
            assertThat(registry.rootToken().isCancelled()).isTrue();
            CriticalJobStatus status = job.status(null, null);
            assertThat(status.runs()).isEqualTo(2);
            assertThat(status.failures()).isOne();
            assertThat(status.lastOutcome()).isEqualTo(CriticalJobStatus.Outcome.FAILURE);
            assertThat(status.lastRunDuration()).isNotNull();
        }
    }

    @Test
    void aRestartReArmsTheTaskAndAFailureQueuedDuringTheBackoffFailsItAtOnce() throws Exception {
        try (CriticalTaskRegistry registry = new CriticalTaskRegistry()) {
            // a long backoff, so that the second failure certainly arrives between two
            // attempts
            CriticalTaskHandle task = registry.spawn(CriticalTaskSpec.async(job.name(), job)
                .withRestartPolicy(RestartPolicy.limited(1, Duration.ofMinutes(1))
                    .withBackoff(Duration.ofMillis(300), Duration.ofMillis(300))
                    .withJitter(0)));
            job.supervisedBy(registry);
            job.fail(new IllegalStateException("first"));
            await().atMost(TIMEOUT).until(() -> task.restartCount() == 1);
            job.fail(new IllegalStateException("second, during the backoff"));
            await().atMost(TIMEOUT).until(() -> task.state() == TaskState.FAILED);
            assertThat(task.failure().orElseThrow().getCause()).hasMessage("second, during the backoff");
        }
    }

    /**
     * The root's cancel has begun but not reached the job's attempt yet (found by
     * review).
     */
    @Test
    void aFailureWhileTheRootIsBeingCancelledIsOnlyLogged(CapturedOutput output) throws Exception {
        try (CriticalTaskRegistry registry = new CriticalTaskRegistry()) {
            CountDownLatch walkEntered = new CountDownLatch(1);
            CountDownLatch releaseWalk = new CountDownLatch(1);
            // registered before the task, so the cancel runs it before it reaches the
            // job's attempt
            registry.rootToken().onCancel(() -> {
                walkEntered.countDown();
                try {
                    releaseWalk.await();
                }
                catch (InterruptedException ex) {
                    Thread.currentThread().interrupt();
                }
            });
            CriticalTaskHandle task = registry.spawn(CriticalTaskSpec.async(job.name(), job));
            job.supervisedBy(registry);
            await().atMost(TIMEOUT).until(() -> task.attempt() == 1);
            Thread canceller = new Thread(registry.rootToken()::cancel, "canceller");
            canceller.start();
            assertThat(walkEntered.await(10, TimeUnit.SECONDS)).isTrue();

            job.fail(new IllegalStateException("while closing"));

            releaseWalk.countDown();
            canceller.join();
            assertThat(task.join(TIMEOUT)).isTrue();
            assertThat(task.state()).isEqualTo(TaskState.CANCELLED);
            assertThat(registry.firstFailure()).isEmpty();
        }
        assertThat(output)
            .contains("Critical job 'bean.tick' (CriticalJobTests.tick() of bean 'bean') failed after its "
                    + "task had stopped; the application is shutting down: java.lang.IllegalStateException: while closing");
    }

    @Test
    void cancellationIsAGracefulStopAndALaterFailureIsOnlyLogged(CapturedOutput output) throws Exception {
        try (CriticalTaskRegistry registry = new CriticalTaskRegistry()) {
            CriticalTaskHandle task = registry.spawn(CriticalTaskSpec.async(job.name(), job));
            job.supervisedBy(registry);
            await().atMost(TIMEOUT).until(() -> task.startedAt().isPresent());
            registry.stop(Duration.ofSeconds(5));
            assertThat(task.state()).isEqualTo(TaskState.CANCELLED);
            job.fail(new IllegalStateException("too late"));
            assertThat(registry.firstFailure()).isEmpty();
        }
        assertThat(output)
            .contains("Critical job 'bean.tick' (CriticalJobTests.tick() of bean 'bean') failed after its "
                    + "task had stopped; the application is shutting down: java.lang.IllegalStateException: too late");
    }

    @Test
    void failuresBeforeTheTaskStartsAreQueuedUpToABound(CapturedOutput output) throws Exception {
        for (int i = 0; i <= CriticalJob.MAX_QUEUED_FAILURES; i++) {
            job.fail(new IllegalStateException("early " + i));
        }
        assertThat(output).contains("failed while " + CriticalJob.MAX_QUEUED_FAILURES
                + " earlier failures were waiting for its next attempt");
        try (CriticalTaskRegistry registry = new CriticalTaskRegistry()) {
            CriticalTaskHandle task = registry.spawn(CriticalTaskSpec.async(job.name(), job));
            await().atMost(TIMEOUT).until(() -> task.state() == TaskState.FAILED);
            assertThat(task.failure().orElseThrow().getCause()).hasMessage("early 0");
        }
    }

    void tick() {
    }

    private static java.lang.reflect.Method method() {
        try {
            return CriticalJobTests.class.getDeclaredMethod("tick");
        }
        catch (NoSuchMethodException ex) {
            throw new IllegalStateException(ex);
        }
    }

}
