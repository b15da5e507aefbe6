package dev.criticaltask.spring;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.TaskState;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the starter relies on when it runs an {@link dev.criticaltask.AsyncCriticalTask} bean, held
 * on a bare registry: the stage is cancelled with the token, and {@code start} throwing, returning
 * null or a failed stage are failures.
 */
class AsyncCriticalTaskOnRegistryTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(10);

    private final CriticalTaskRegistry registry = CriticalTaskRegistry.builder()
        .daemonThreads(true)
        .logger(new CommonsLoggingSystemLogger(AsyncCriticalTaskOnRegistryTests.class.getName()))
        .build();

    // async callbacks of the stages run here, never in the common pool (one thread on two cores)
    private final ExecutorService executor = Executors.newSingleThreadExecutor();

    @AfterEach
    void stop() throws InterruptedException {
        this.registry.stop(TIMEOUT);
        this.executor.shutdownNow();
        assertThat(this.executor.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void cancellingTheTokenCancelsTheStage() {
        CompletableFuture<Void> stage = new CompletableFuture<>();
        CriticalTaskHandle handle = this.registry.spawnAsync("pending", (token) -> stage);
        await().atMost(TIMEOUT).until(() -> handle.startedAt().isPresent());
        handle.cancel();
        await().atMost(TIMEOUT).until(stage::isCancelled);
        await().atMost(TIMEOUT).until(handle::isFinished);
    }

    @Test
    @Disabled("core: AsyncStages.runBlocking's CompletableFuture.get throws the cancelled stage's CancellationException "
            + "itself, past its catch of ExecutionException and its graceful check, so the task ends FAILED "
            + "('crashed: java.util.concurrent.CancellationException') and the parent is cancelled; "
            + "enable once TaskRun runs AsyncCriticalTasks without it")
    void aStageCancelledByItsTokenEndsTheTaskGracefully() throws InterruptedException {
        CompletableFuture<Void> stage = new CompletableFuture<>();
        CriticalTaskHandle handle = this.registry.spawnAsync("pending", (token) -> stage);
        await().atMost(TIMEOUT).until(() -> handle.startedAt().isPresent());
        handle.cancel();
        assertThat(handle.join(TIMEOUT)).isTrue();
        assertThat(handle.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(this.registry.firstFailure()).isEmpty();
        assertThat(this.registry.rootToken().isCancelled()).as("a task's cancel never reaches the root").isFalse();
    }

    @Test
    void aStageThatCompletesOnceItsTokenIsCancelledEndsTheTaskGracefully() throws InterruptedException {
        // the way around the disabled test above, and the contract for stages that cannot be cancelled
        CriticalTaskHandle handle = this.registry.spawnAsync("watching",
                (token) -> token.whenCancelled().thenApplyAsync((ignored) -> "stopped", this.executor));
        await().atMost(TIMEOUT).until(() -> handle.startedAt().isPresent());
        handle.cancel();
        assertThat(handle.join(TIMEOUT)).isTrue();
        assertThat(handle.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(this.registry.firstFailure()).isEmpty();
    }

    @Test
    void startThrowingIsAFailureThatCancelsTheRoot() {
        CriticalTaskHandle handle = this.registry.spawnAsync("unstartable", (token) -> {
            throw new IOException("no route");
        });
        await().atMost(TIMEOUT).until(handle::isFinished);
        assertThat(handle.state()).isEqualTo(TaskState.FAILED);
        assertThat(handle.failure()).hasValueSatisfying((failure) -> assertThat(failure)
            .hasMessageContaining("'unstartable' failed")
            .cause()
            .isInstanceOf(IOException.class)
            .hasMessage("no route"));
        assertThat(this.registry.rootToken().reason()).get().isInstanceOf(CriticalTaskFailedException.class);
    }

    @Test
    void startReturningNullIsAFailure() {
        CriticalTaskHandle handle = this.registry.spawnAsync("nothing", (token) -> null);
        await().atMost(TIMEOUT).until(handle::isFinished);
        assertThat(handle.failure()).hasValueSatisfying((failure) -> assertThat(failure).cause()
            .isInstanceOf(NullPointerException.class)
            .hasMessageContaining("AsyncCriticalTask.start returned null"));
    }

    @Test
    void aStageFailedLaterIsAFailureWithItsCauseUnwrapped() {
        IOException cause = new IOException("lost the lease");
        CriticalTaskHandle handle = this.registry.spawnAsync("later", (token) -> CompletableFuture
            .supplyAsync(() -> {
                throw new CompletionException(cause);
            }, this.executor));
        await().atMost(TIMEOUT).until(handle::isFinished);
        assertThat(handle.failure()).hasValueSatisfying((failure) -> assertThat(failure).cause().isSameAs(cause));
        assertThat(this.registry.firstFailure()).isPresent();
    }

}
