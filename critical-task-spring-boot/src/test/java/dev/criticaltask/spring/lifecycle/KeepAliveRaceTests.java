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

package dev.criticaltask.spring.lifecycle;

import java.time.Duration;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskListener;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.testsupport.SilentLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.context.support.GenericApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Issue #19, item 8: a task that starts while the keep-alive thread is on its way out
 * must still be kept alive. The last task ends, the keep-alive thread leaves its wait,
 * and a new task's {@code started} lands before that thread has cleared itself: the new
 * task must not be left with nothing keeping the JVM alive.
 */
@Tag("spring")
@Tag("threads")
class KeepAliveRaceTests {

    /** How long the race is run; it is over at the first lost keep-alive. */
    private static final Duration RACE = Duration.ofSeconds(4);

    private static final Duration LONG = Duration.ofSeconds(10);

    private final ExecutorService threads = Executors.newCachedThreadPool((runnable) -> {
        Thread thread = new Thread(runnable, "keep-alive-race-task");
        thread.setDaemon(true);
        return thread;
    });

    /**
     * Tasks on virtual threads where the JDK has them (the JDK 25 pass of
     * {@code .ci/run}), which never keep a JVM alive, so everything rests on the
     * keep-alive thread; on daemon platform threads before Java 21.
     */
    private final CriticalTaskRegistry registry = (CriticalTaskRegistry.virtualThreadsAvailable()
            ? CriticalTaskRegistry.builder().virtualThreads(true)
            : CriticalTaskRegistry.builder().executor(this.threads))
        .logger(new SilentLogger())
        .build();

    private final GenericApplicationContext context = new GenericApplicationContext();

    @AfterEach
    void stop() throws InterruptedException {
        this.registry.stop(LONG);
        this.threads.shutdownNow();
    }

    @Test
    void whenATaskStartsAsTheKeepAliveThreadEndsShouldKeepTheNewTaskAlive() throws Exception {
        KeepAlive keepAlive = new KeepAlive(this.registry,
                new FailureShutdown(this.context, this.registry, new ProcessExit(1, false, true), LONG));
        this.registry.addListener(keepAlive);
        Map<CriticalTaskHandle, CountDownLatch> started = new ConcurrentHashMap<>();
        // after the keep-alive: when this hears of a start, the keep-alive has heard of
        // it
        this.registry.addListener(new CriticalTaskListener() {
            @Override
            public void started(CriticalTaskHandle task) {
                started.computeIfAbsent(task, (key) -> new CountDownLatch(1)).countDown();
            }
        });
        SplittableRandom random = new SplittableRandom(19_8);
        long deadline = System.nanoTime() + RACE.toNanos();
        int rounds = 0;
        while (System.nanoTime() - deadline < 0) {
            rounds++;
            CountDownLatch release = new CountDownLatch(1);
            CriticalTaskHandle last = this.registry.spawn("last", (token) -> release.await());
            awaitStart(started, last);
            assertThat(keepAlive.thread()).isNotNull();
            release.countDown();
            // lands the next start anywhere around the keep-alive thread's exit
            spin(random.nextInt(20_000));
            CriticalTaskHandle next = this.registry.spawn("next", CancellationToken::await);
            awaitStart(started, next);
            if (!isKeptAlive(keepAlive)) {
                fail("Round " + rounds + ": task 'next' is running but no keep-alive thread is: " + next.state());
            }
            next.cancel();
            next.join(LONG);
            awaitGone(keepAlive);
            started.clear();
        }
        assertThat(rounds).isPositive();
    }

    private static void awaitStart(Map<CriticalTaskHandle, CountDownLatch> started, CriticalTaskHandle task)
            throws InterruptedException {
        assertThat(
                started.computeIfAbsent(task, (key) -> new CountDownLatch(1)).await(LONG.toSeconds(), TimeUnit.SECONDS))
            .isTrue();
    }

    /**
     * Whether a keep-alive thread waits, once the one seen has settled: it waits in the
     * loop, or it ended and another took its place.
     */
    private static boolean isKeptAlive(KeepAlive keepAlive) {
        long deadline = System.nanoTime() + LONG.toNanos();
        while (System.nanoTime() - deadline < 0) {
            Thread thread = keepAlive.thread();
            if (thread == null) {
                return false;
            }
            Thread.State state = thread.getState();
            if (state == Thread.State.WAITING) {
                return true;
            }
            if (state == Thread.State.TERMINATED && keepAlive.thread() == thread) {
                // ended without clearing itself: cannot happen, but is not alive either
                return false;
            }
            Thread.onSpinWait();
        }
        throw new AssertionError("the keep-alive thread neither waited nor ended within " + LONG);
    }

    private static void awaitGone(KeepAlive keepAlive) throws InterruptedException {
        Thread thread = keepAlive.thread();
        if (thread != null) {
            thread.join(LONG.toMillis());
        }
    }

    private static void spin(int iterations) {
        for (int i = 0; i < iterations; i++) {
            Thread.onSpinWait();
        }
    }

}
