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

package dev.criticaltask.reliability.spring;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import dev.criticaltask.CriticalTask;
import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskListener;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.reliability.SeededRounds;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.event.EventListener;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Seeded rounds of a real application (run by {@code SpringApplication}, in-process, so
 * never exited) through stop and start, {@code restart()} and {@code pause()} cycles with
 * failures racing each one, then its close (issue #12). Its three task beans draw what
 * they do at each start from the round's seed: wait for the token, throw
 * {@code InterruptedException} once cancelled, straggle until interrupted, fail a moment
 * after the start (racing the next stop), or fail once cancelled (during a stop, or
 * during the close: issue #19, item 1).
 *
 * <p>
 * After every round exactly one outcome holds: a shutdown (a task failed before the
 * close: one {@code CriticalTaskFailedEvent}, the context closed by the starter), a
 * failure during the close (recorded, heard, one event), or a clean stop (no failure, no
 * event). Every task that threw was heard failing. No start ran after the failure, and no
 * task thread of the round is left. {@code -Dreliability.seed=N} replays one round.
 */
@Tag("spring")
class SpringGenerationStressTest {

    static final long BASE_SEED = 0x5B61_0000L;

    static final int WIDTH = 3;

    static final Duration BOUND = Duration.ofSeconds(30);

    static volatile Script script = new Script(0);

    static final AtomicInteger failedEvents = new AtomicInteger();

    enum Kind {

        AWAIT, INTERRUPTED_WHEN_CANCELLED, STRAGGLER, FAIL_RACING_STOP, FAIL_WHEN_CANCELLED

    }

    enum Cycle {

        STOP_START, RESTART, PAUSE_RESTART

    }

    /** What one round does, drawn from its seed before it starts. */
    static final class Script {

        final long seed;

        final int generations;

        final Kind[][] kinds;

        final int[][] delays;

        final Cycle[] cycles;

        final int[] spins;

        /** Starts per task bean so far: the generation it runs in. */
        final AtomicInteger[] starts = new AtomicInteger[WIDTH];

        final CountDownLatch[] begun;

        final Set<String> threw = ConcurrentHashMap.newKeySet();

        final List<CriticalTaskHandle> failedHeard = new CopyOnWriteArrayList<>();

        volatile CriticalTaskRegistry registry;

        Script(long seed) {
            this.seed = seed;
            SplittableRandom random = new SplittableRandom(seed);
            this.generations = 2 + random.nextInt(3);
            this.kinds = new Kind[this.generations][WIDTH];
            this.delays = new int[this.generations][WIDTH];
            this.cycles = new Cycle[this.generations];
            this.spins = new int[this.generations];
            this.begun = new CountDownLatch[this.generations];
            for (int g = 0; g < this.generations; g++) {
                boolean last = g == this.generations - 1;
                for (int i = 0; i < WIDTH; i++) {
                    int roll = random.nextInt(100);
                    this.kinds[g][i] = (last && roll < 15) ? Kind.FAIL_WHEN_CANCELLED
                            : (roll < 35) ? Kind.AWAIT
                                    : (roll < 60) ? Kind.INTERRUPTED_WHEN_CANCELLED
                                            : (roll < 75) ? Kind.STRAGGLER : (roll < 83) ? Kind.FAIL_RACING_STOP
                                                    : (roll < 88) ? Kind.FAIL_WHEN_CANCELLED : Kind.AWAIT;
                    this.delays[g][i] = random.nextInt(2_000);
                }
                this.cycles[g] = Cycle.values()[random.nextInt(Cycle.values().length)];
                this.spins[g] = random.nextInt(2_000);
                this.begun[g] = new CountDownLatch(WIDTH);
            }
            for (int i = 0; i < WIDTH; i++) {
                this.starts[i] = new AtomicInteger();
            }
        }

        CriticalTask worker(int index) {
            return (token) -> {
                int generation = this.starts[index].getAndIncrement();
                if (generation >= this.generations) {
                    throw new AssertionError("a start after the script's last generation");
                }
                this.begun[generation].countDown();
                String name = "w" + index + "@" + generation;
                switch (this.kinds[generation][index]) {
                    case AWAIT -> token.await();
                    case INTERRUPTED_WHEN_CANCELLED -> {
                        token.await();
                        throw new InterruptedException("stopping");
                    }
                    case STRAGGLER -> Thread.sleep(BOUND.toMillis());
                    case FAIL_RACING_STOP -> {
                        spin(this.delays[generation][index]);
                        this.threw.add(name);
                        throw new IllegalStateException("crashed racing the stop: " + name);
                    }
                    case FAIL_WHEN_CANCELLED -> {
                        token.await();
                        this.threw.add(name);
                        throw new IOException("failed while stopping: " + name);
                    }
                }
            };
        }

    }

    @Configuration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CriticalTaskAutoConfiguration.class)
    static class Workers {

        @Bean
        CriticalTask w0() {
            return script.worker(0);
        }

        @Bean
        CriticalTask w1() {
            return script.worker(1);
        }

        @Bean
        CriticalTask w2() {
            return script.worker(2);
        }

        /**
         * Before any task starts: a failure at once may close the context before run
         * returns.
         */
        @Bean
        SmartInitializingSingleton watchRegistry(CriticalTaskRegistry registry) {
            Script round = script;
            return () -> {
                round.registry = registry;
                registry.addListener(new CriticalTaskListener() {
                    @Override
                    public void failed(CriticalTaskHandle task, CriticalTaskFailedException failure) {
                        round.failedHeard.add(task);
                    }
                });
            };
        }

        @EventListener
        void failed(CriticalTaskFailedEvent event) {
            failedEvents.incrementAndGet();
        }

    }

    @Test
    void seededStopStartRoundsOfARealApplication() {
        SeededRounds.run("Spring generation stress", BASE_SEED, "reliability.springGenerationRounds", 20,
                SpringGenerationStressTest::round);
    }

    static String round(long seed) throws Exception {
        Script round = new Script(seed);
        script = round;
        failedEvents.set(0);
        ConfigurableApplicationContext context = SpringFaultContextTest.run(Workers.class,
                "--critical-task.shutdown.grace-period=20ms", "--spring.main.register-shutdown-hook=false");
        CriticalTaskRegistry registry = round.registry;
        List<CriticalTaskHandle> failedHeard = round.failedHeard;
        boolean failedBeforeClose = false;
        for (int g = 0; g < round.generations; g++) {
            // every worker of this generation has begun, unless a failure stopped the
            // starts
            if (!round.begun[g].await(BOUND.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("seed " + seed + ": generation " + g + " never began");
            }
            spin(round.spins[g]);
            boolean last = g == round.generations - 1;
            if (last) {
                failedBeforeClose = registry.rootToken().isCancelled();
                break;
            }
            try {
                switch (round.cycles[g]) {
                    case STOP_START -> {
                        context.stop();
                        context.start();
                    }
                    case RESTART -> context.restart();
                    case PAUSE_RESTART -> {
                        context.pause();
                        context.restart();
                    }
                }
            }
            catch (RuntimeException closing) {
                // the starter closes the context after a failure, racing these calls:
                // Spring
                // then fails them (closed already, or a bean it cannot create any more)
                check(seed, registry.rootToken().isCancelled(), "a cycle failed without a failure: " + closing);
            }
            if (registry.rootToken().isCancelled()) {
                failedBeforeClose = true;
                break;
            }
        }
        if (failedBeforeClose) {
            await("the starter closes the context after the failure").atMost(BOUND).until(() -> !context.isActive());
        }
        else {
            context.close();
        }
        await("no worker thread of the round is left").atMost(BOUND).until(() -> workerThreads().isEmpty());
        int events = failedEvents.get();
        check(seed, registry.rootToken().isCancelled(), "the root outlived the close");
        for (String thrower : round.threw) {
            check(seed, registry.firstFailure().isPresent(), thrower + " threw, yet firstFailure() is empty: lost");
        }
        check(seed, failedHeard.size() >= Math.min(1, round.threw.size()),
                "tasks " + round.threw + " threw, but the listeners heard " + failedHeard.size());
        if (registry.firstFailure().isEmpty()) {
            check(seed, events == 0, "no failure, yet " + events + " failure events");
            return "clean stop";
        }
        if (failedBeforeClose || registry.rootToken().reason().isPresent()) {
            check(seed, events == 1, "a failure before the close published " + events + " failure events");
            check(seed, registry.rootToken().reason().isPresent(), "the root's reason is missing");
            return "shutdown";
        }
        // a failure during the close is still a failure (issue #19, item 1)
        check(seed, events == 1, "a failure during the close published " + events + " failure events");
        return "failure during the close";
    }

    static List<String> workerThreads() {
        return SpringFaultContextTest.ourThreads()
            .stream()
            .filter((name) -> name.startsWith("critical-task-w"))
            .toList();
    }

    static void check(long seed, boolean condition, String message) {
        if (!condition) {
            throw new AssertionError("seed " + seed + ": " + message);
        }
    }

    static void spin(int micros) {
        long until = System.nanoTime() + TimeUnit.MICROSECONDS.toNanos(micros);
        while (System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
    }

}
