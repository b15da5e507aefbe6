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

package dev.criticaltask.reactor;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.atomic.AtomicInteger;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.RestartPolicy;
import dev.criticaltask.TaskState;
import dev.criticaltask.testsupport.SilentLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;
import reactor.test.publisher.PublisherProbe;
import reactor.test.publisher.TestPublisher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIOException;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The adapter that runs a {@link ReactiveCriticalTask} as an
 * {@link dev.criticaltask.AsyncCriticalTask}: its stage on its own, and the task it makes
 * on a registry.
 */
@Tag("reactor")
class ReactiveTaskAdapterTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CancellationToken token = CancellationToken.create();

    private final CriticalTaskRegistry registry = CriticalTaskRegistry.builder()
        .daemonThreads(true)
        // the failures here are on purpose
        .logger(new SilentLogger())
        .build();

    @AfterEach
    void stopRegistry() throws InterruptedException {
        this.registry.stop(TIMEOUT);
    }

    // --- the stage
    // -----------------------------------------------------------------------------

    @Test
    void theStageCompletesWhenTheMonoCompletes() throws Exception {
        PublisherProbe<Void> probe = PublisherProbe.empty();
        CompletionStage<?> stage = adapt((token) -> probe.mono()).start(this.token);
        StepVerifier.create(Mono.fromCompletionStage(stage)).expectComplete().verify(TIMEOUT);
        probe.assertWasSubscribed();
        probe.assertWasNotCancelled();
    }

    @Test
    void valuesAreRequestedWithoutBoundAndIgnored() throws Exception {
        TestPublisher<String> values = TestPublisher.create();
        CompletableFuture<?> stage = adapt((token) -> values.flux()).start(this.token).toCompletableFuture();
        values.assertMinRequested(Long.MAX_VALUE);
        values.next("a", "b", "c");
        assertThat(stage).isNotDone();
        values.complete();
        StepVerifier.create(Mono.fromCompletionStage(stage)).expectComplete().verify(TIMEOUT);
    }

    @Test
    void anErrorSignalFailsTheStageWithWhatWasSignalled() throws Exception {
        IOException checked = new IOException("feed down");
        IllegalStateException unchecked = new IllegalStateException("bug");
        AssertionError error = new AssertionError("broken invariant");
        for (Throwable signalled : new Throwable[] { checked, unchecked, error }) {
            CompletionStage<?> stage = adapt((token) -> Flux.concat(Flux.just(1, 2), Flux.error(signalled)))
                .start(this.token);
            StepVerifier.create(Mono.fromCompletionStage(stage))
                .expectErrorSatisfies((thrown) -> assertThat(thrown).isSameAs(signalled))
                .verify(TIMEOUT);
        }
    }

    @Test
    void cancellingTheTokenCancelsTheSubscriptionAndEndsTheStage() throws Exception {
        PublisherProbe<Object> probe = PublisherProbe.of(Flux.never());
        CompletableFuture<?> stage = adapt((token) -> probe.flux()).start(this.token).toCompletableFuture();
        probe.assertWasSubscribed();
        probe.assertWasNotCancelled();
        this.token.cancel();
        probe.assertWasCancelled();
        // normally: after the token was cancelled, that is a graceful stop
        assertThat(stage).isCompleted();
    }

    @Test
    void cancellingTheStageFromOutsideCancelsTheSubscription() throws Exception {
        PublisherProbe<Object> probe = PublisherProbe.of(Mono.never());
        CompletableFuture<?> stage = adapt((token) -> probe.mono()).start(this.token).toCompletableFuture();
        stage.cancel(false);
        probe.assertWasCancelled();
        assertThat(this.token.isCancelled()).as("the token is the task's, not the stage's").isFalse();
    }

    @Test
    void completingTheStageFromOutsideCancelsTheSubscription() throws Exception {
        PublisherProbe<Object> probe = PublisherProbe.of(Flux.never());
        CompletableFuture<?> stage = adapt((token) -> probe.flux()).start(this.token).toCompletableFuture();
        stage.completeExceptionally(new IllegalStateException("given up on"));
        probe.assertWasCancelled();
    }

    @Test
    void aTokenCancelledBeforeStartMeansNoSubscription() throws Exception {
        PublisherProbe<Object> probe = PublisherProbe.of(Flux.never());
        this.token.cancel();
        CompletableFuture<?> stage = adapt((token) -> probe.flux()).start(this.token).toCompletableFuture();
        assertThat(stage).isCompleted();
        probe.assertWasNotSubscribed();
    }

    @Test
    void aTokenCancelledWhileAPublisherEmitsInsideSubscribeStopsIt() {
        // Flux.generate emits on the subscribing thread until cancelled: without the
        // registration
        // made before subscribing, start would never return
        AtomicInteger emitted = new AtomicInteger();
        CompletableFuture<?> stage = assertTimeoutPreemptively(TIMEOUT, () -> adapt((token) -> Flux.generate((sink) -> {
            if (emitted.incrementAndGet() == 100) {
                token.cancel();
            }
            sink.next(emitted.get());
        })).start(this.token).toCompletableFuture());
        assertThat(stage).isCompleted();
        assertThat(emitted).hasValue(100);
    }

    @Test
    void runThrowingIsThrownFromStart() {
        assertThatIOException().isThrownBy(() -> adapt((token) -> {
            throw new IOException("no connection");
        }).start(this.token)).withMessage("no connection");
    }

    @Test
    void runReturningNullIsThrownFromStart() {
        assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> adapt((token) -> null).start(this.token))
            .withMessageContaining("ReactiveCriticalTask.run returned null");
    }

    @Test
    void runAcceptsAMonoAndAFluxWithoutCasts() {
        // compiles: the point of Publisher<?> as the return type
        ReactiveCriticalTask mono = (token) -> Mono.just("one").then();
        ReactiveCriticalTask flux = (token) -> Flux.interval(Duration.ofSeconds(1)).map(Long::toHexString);
        assertThat(mono).isNotNull();
        assertThat(flux).isNotNull();
    }

    // --- the task on a registry
    // ------------------------------------------------------------------

    @Test
    void asAsyncSpawnsAReactiveTaskAtRunTime() throws InterruptedException {
        PublisherProbe<Void> probe = PublisherProbe.of(Mono.never());
        CriticalTaskHandle handle = this.registry.spawnAsync("events",
                ReactiveCriticalTask.asAsync((cancellation) -> probe.flux()));
        await(probe::wasSubscribed);

        handle.cancel();

        assertThat(handle.join(TIMEOUT)).isTrue();
        assertThat(handle.state()).isEqualTo(TaskState.CANCELLED);
        probe.assertWasCancelled();
        assertThatExceptionOfType(NullPointerException.class).isThrownBy(() -> ReactiveCriticalTask.asAsync(null))
            .withMessage("task must not be null");
    }

    @Test
    void anErrorSignalIsAFailureOfTheTaskThatCancelsTheRoot() {
        IOException cause = new IOException("feed down");
        CriticalTaskHandle handle = spawn("failing",
                (token) -> Mono.delay(Duration.ofMillis(10)).then(Mono.error(cause)));
        StepVerifier.create(Mono.fromCompletionStage(handle.completion()))
            .expectErrorSatisfies((thrown) -> assertThat(thrown).isInstanceOf(CriticalTaskFailedException.class)
                .hasMessageContaining("failing")
                .cause()
                .isSameAs(cause))
            .verify(TIMEOUT);
        assertThat(handle.state()).isEqualTo(TaskState.FAILED);
        assertThat(this.registry.firstFailure()).hasValueSatisfying((failure) -> assertThat(failure).hasCause(cause));
        assertThat(this.registry.rootToken().isCancelled()).isTrue();
    }

    @Test
    void anErrorIsAFailureToo() {
        CriticalTaskHandle handle = spawn("crashing", (token) -> Mono.error(new AssertionError("broken invariant")));
        StepVerifier.create(Mono.fromCompletionStage(handle.completion()))
            .expectErrorSatisfies((thrown) -> assertThat(thrown).hasCauseInstanceOf(AssertionError.class)
                .hasMessageContaining("crashed"))
            .verify(TIMEOUT);
    }

    @Test
    void runThrowingIsAFailureOfTheTask() {
        CriticalTaskHandle throwing = spawn("throwing", (token) -> {
            throw new IOException("no connection");
        });
        StepVerifier.create(Mono.fromCompletionStage(throwing.completion()))
            .expectErrorSatisfies(
                    (thrown) -> assertThat(thrown).hasCauseInstanceOf(IOException.class).hasMessageContaining("failed"))
            .verify(TIMEOUT);
        assertThat(this.registry.rootToken().isCancelled()).isTrue();
    }

    @Test
    void runReturningNullIsAFailureOfTheTask() {
        CriticalTaskHandle returningNull = spawn("null", (token) -> null);
        StepVerifier.create(Mono.fromCompletionStage(returningNull.completion()))
            .expectErrorSatisfies((thrown) -> assertThat(thrown).cause()
                .isInstanceOf(NullPointerException.class)
                .hasMessageContaining("ReactiveCriticalTask.run returned null"))
            .verify(TIMEOUT);
        assertThat(this.registry.firstFailure()).isPresent();
    }

    @Test
    void anEndlessFluxThatCompletesIsCompletedAndShutsNothingDown() {
        TestPublisher<Long> endless = TestPublisher.create();
        CriticalTaskHandle handle = spawn("endless", (token) -> endless.flux());
        await(endless::wasSubscribed);
        endless.next(1L, 2L, 3L);
        endless.complete();
        StepVerifier.create(Mono.fromCompletionStage(handle.completion())).expectComplete().verify(TIMEOUT);
        assertThat(handle.state()).isEqualTo(TaskState.COMPLETED);
        assertThat(this.registry.rootToken().isCancelled()).isFalse();
        assertThat(this.registry.firstFailure()).isEmpty();
    }

    @Test
    void stoppingTheRegistryCancelsTheSubscriptionAndTheTaskEndsCancelled() throws InterruptedException {
        PublisherProbe<Object> probe = PublisherProbe.of(Flux.never());
        CriticalTaskHandle handle = spawn("endless", (token) -> probe.flux());
        await(probe::wasSubscribed);
        assertThat(this.registry.stop(TIMEOUT).isClean()).isTrue();
        probe.assertWasCancelled();
        assertThat(handle.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(this.registry.firstFailure()).isEmpty();
    }

    @Test
    void aRestartCallsRunAgainAndSubscribesAgain() throws InterruptedException {
        AtomicInteger runs = new AtomicInteger();
        PublisherProbe<Object> probe = PublisherProbe.of(Flux
            .defer(() -> (runs.get() < 3) ? Flux.error(new IOException("attempt " + runs.get())) : Flux.never()));
        CriticalTaskHandle handle = this.registry
            .spawn(CriticalTaskSpec.async("flaky", new ReactiveTaskAdapter((token) -> {
                runs.incrementAndGet();
                return probe.flux();
            }))
                .withRestartPolicy(RestartPolicy.limited(5, Duration.ofMinutes(1))
                    .withBackoff(Duration.ofMillis(1), Duration.ofMillis(1))));
        await(() -> probe.subscribeCount() == 3);
        assertThat(runs).hasValue(3);
        assertThat(handle.restartCount()).isEqualTo(2);
        assertThat(handle.state()).isEqualTo(TaskState.RUNNING);
        this.registry.stop(TIMEOUT);
        probe.assertWasCancelled();
        assertThat(handle.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(this.registry.firstFailure()).isEmpty();
    }

    private CriticalTaskHandle spawn(String name, ReactiveCriticalTask task) {
        return this.registry.spawnAsync(name, new ReactiveTaskAdapter(task));
    }

    private static ReactiveTaskAdapter adapt(ReactiveCriticalTask task) {
        return new ReactiveTaskAdapter(task);
    }

    private static void await(java.util.concurrent.Callable<Boolean> condition) {
        org.awaitility.Awaitility.await().atMost(TIMEOUT).until(condition);
    }

}
