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
import static org.assertj.core.api.Assertions.fail;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 19, item 11: a spawn that is refused leaves nothing behind, even while it is
 * being refused. A {@link CriticalTaskRegistry#stop(Duration) stop} racing it does not
 * wait out its grace for a task that never ran, nor report it as a straggler;
 * {@link CriticalTaskRegistry#find(String) find} and {@link CriticalTaskRegistry#tasks()
 * tasks} never hand out a handle of it that stays running.
 */
@Tag("core")
class RefusedSpawnRaceTest {

    /** The grace of the racing stop: long, so that waiting it out shows. */
    private static final Duration GRACE = Duration.ofSeconds(4);

    /** How long the stop may take once the refusal is through. */
    private static final Duration STOP_BOUND = Duration.ofSeconds(2);

    @Test
    @Timeout(30)
    void anExecutorsRefusalRacingStopLeavesNoPhantomTask() throws Exception {
        SlowRefusal refusal = new SlowRefusal();
        refusal.spawnAndAwaitTheExecutor();

        // while the executor refuses: a stop
        CompletableFuture<StopReport> stopping = stopOnItsOwnThread(refusal.registry, GRACE);
        await().atMost(Duration.ofSeconds(10)).until(refusal.registry::isStopping);
        refusal.refuse();

        StopReport report = reportWithin(stopping, STOP_BOUND);
        assertThat(report.unstopped()).as("stragglers of a stop racing a refused spawn: %s", report.describe())
            .isEmpty();
    }

    @Test
    @Timeout(30)
    void aHandleHandedOutWhileTheExecutorRefusesDoesNotStayRunning() throws Exception {
        SlowRefusal refusal = new SlowRefusal();
        refusal.spawnAndAwaitTheExecutor();

        // while the executor refuses: the readers
        List<CriticalTaskHandle> handedOut = new ArrayList<>();
        refusal.registry.find("refused").ifPresent(handedOut::add);
        refusal.registry.tasks().stream().filter(task -> task.description().equals("refused")).forEach(handedOut::add);
        refusal.refuse();

        assertThat(refusal.registry.find("refused")).as("find() once the spawn was refused").isEmpty();
        assertThat(refusal.registry.tasks()).as("tasks() once the spawn was refused").isEmpty();
        for (CriticalTaskHandle phantom : handedOut) {
            await("the end of " + phantom + ", handed out while its spawn was refused").atMost(STOP_BOUND)
                .until(phantom::isFinished);
        }
        StopReport report = reportWithin(stopOnItsOwnThread(refusal.registry, GRACE), STOP_BOUND);
        assertThat(report.unstopped()).as("stragglers: %s", report.describe()).isEmpty();
    }

    @Test
    @Timeout(30)
    void refusalsOfALiveNameRacingStopTasksAndFindLeaveNoPhantomTask() throws Exception {
        CriticalTaskRegistry registry = CriticalTaskRegistry.builder().interruptWait(Duration.ofMillis(100)).build();
        CriticalTaskHandle live = registry.spawn("taken", CancellationToken::await);
        AtomicInteger refusals = new AtomicInteger();
        AtomicReference<Throwable> unexpected = new AtomicReference<>();
        Thread spawner = new Thread(() -> {
            while (true) {
                try {
                    registry.spawn("taken", token -> fail("a second 'taken' ran"));
                    unexpected.set(new AssertionError("a second live 'taken' was accepted"));
                    return;
                }
                catch (IllegalArgumentException taken) {
                    refusals.incrementAndGet();
                }
                catch (IllegalStateException stopping) {
                    return; // the stop has begun
                }
                catch (Throwable other) {
                    unexpected.set(other);
                    return;
                }
            }
        }, "spawner");
        Set<CriticalTaskHandle> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        Thread reader = new Thread(() -> {
            while (spawner.isAlive() || !registry.isStopping()) {
                registry.find("taken").ifPresent(seen::add);
                registry.tasks().stream().filter(task -> task.description().equals("taken")).forEach(seen::add);
            }
        }, "reader");
        spawner.start();
        reader.start();
        await().atMost(Duration.ofSeconds(10)).until(() -> refusals.get() >= 1_000);

        StopReport report = reportWithin(stopOnItsOwnThread(registry, GRACE), STOP_BOUND);
        spawner.join(TimeUnit.SECONDS.toMillis(10));
        reader.join(TimeUnit.SECONDS.toMillis(10));

        assertThat(unexpected.get()).as("what a refused spawn threw instead, after %d refusals", refusals.get())
            .isNull();
        assertThat(report.unstopped()).as("stragglers: %s", report.describe()).isEmpty();
        assertThat(live.state()).isEqualTo(TaskState.CANCELLED);
        assertThat(seen)
            .as("the handles named 'taken' that find() and tasks() handed out during %d refusals", refusals.get())
            .containsExactly(live);
    }

    /**
     * A spawn on its own thread whose executor takes its time to refuse (as one that
     * first tries a full queue does), until {@link #refuse()}.
     */
    private static final class SlowRefusal {

        final CountDownLatch executing = new CountDownLatch(1);

        final CountDownLatch refusing = new CountDownLatch(1);

        final CriticalTaskRegistry registry = CriticalTaskRegistry.builder().executor(command -> {
            executing.countDown();
            StopBoundedByUserCodeTest.awaitDeaf(refusing);
            throw new RejectedExecutionException("no room for another task");
        }).interruptWait(Duration.ofMillis(100)).build();

        final AtomicReference<Throwable> outcome = new AtomicReference<>();

        final Thread spawner = new Thread(() -> {
            try {
                registry.spawn("refused", token -> fail("a refused task ran"));
            }
            catch (Throwable refused) {
                outcome.set(refused);
            }
        }, "spawner");

        void spawnAndAwaitTheExecutor() throws InterruptedException {
            spawner.start();
            assertThat(executing.await(10, TimeUnit.SECONDS)).as("the executor was asked").isTrue();
        }

        void refuse() throws InterruptedException {
            refusing.countDown();
            spawner.join(TimeUnit.SECONDS.toMillis(10));
            assertThat(outcome.get()).as("the spawn's outcome").isInstanceOf(RejectedExecutionException.class);
        }

    }

    private static CompletableFuture<StopReport> stopOnItsOwnThread(CriticalTaskRegistry registry, Duration grace) {
        CompletableFuture<StopReport> stopping = new CompletableFuture<>();
        Thread stopper = new Thread(() -> {
            try {
                stopping.complete(registry.stop(grace));
            }
            catch (Throwable failed) {
                stopping.completeExceptionally(failed);
            }
        }, "stopper");
        stopper.setDaemon(true);
        stopper.start();
        return stopping;
    }

    private static StopReport reportWithin(CompletableFuture<StopReport> stopping, Duration bound) throws Exception {
        long before = System.nanoTime();
        try {
            return stopping.get(bound.toMillis(), TimeUnit.MILLISECONDS);
        }
        catch (TimeoutException waiting) {
            StopReport late = stopping.get(GRACE.toSeconds() + 10, TimeUnit.SECONDS);
            return fail("stop(" + GRACE + ") returned " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - before)
                    + " ms after the refusal (bound " + bound.toMillis() + " ms), reporting: " + late.describe());
        }
    }

}
