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

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Issue 19's interleavings inside one seeded round of {@link SeededStressTest}, drawn
 * from a stream of the round's seed of their own, so that the round's other draws stay
 * what they were:
 * <ul>
 * <li>item 6: a finite top task's name is spawned again the moment its handle says it is
 * finished; the spawn must be accepted;
 * <li>item 11: (platform rounds) a spawner thread whose spawns the registry's executor
 * refuses, and whose other spawns take the names of live tasks, races {@code stop}; a
 * reader thread reads {@code tasks()} and {@code find()} all round. No refused spawn may
 * be named by the stop, stay in the task list, or leave a handed-out handle running; and
 * (item 2) no handle the reader reads has a finish time while it is running;
 * <li>item 9: tasks of a registry of their own, with a heartbeat timeout of 0.5 to 2 ms
 * and zero-backoff restarts, whose attempts end about when their checks come due, race
 * the round; no attempt may fail for a stall longer than the time since it began.
 * </ul>
 */
final class RaceInterleavings {

    /** What the interleavings did over all rounds. */
    static final class Counts {

        final AtomicInteger respawns = new AtomicInteger();

        final AtomicInteger refusalRounds = new AtomicInteger();

        final AtomicInteger executorRefusals = new AtomicInteger();

        final AtomicInteger nameRefusals = new AtomicInteger();

        final AtomicInteger readerRounds = new AtomicInteger();

        final AtomicInteger phantomsSeen = new AtomicInteger();

        final AtomicInteger racerRounds = new AtomicInteger();

        final AtomicInteger racerRestarts = new AtomicInteger();

        final AtomicInteger racerStalls = new AtomicInteger();

        final AtomicInteger racerEscalations = new AtomicInteger();

        @Override
        public String toString() {
            return "issue 19: " + respawns + " names spawned again at once, " + refusalRounds + " rounds with "
                    + executorRefusals + " executor refusals and " + nameRefusals + " live-name refusals racing stop, "
                    + readerRounds + " rounds with a reader (" + phantomsSeen + " refused spawns seen by it), "
                    + racerRounds + " rounds of heartbeat racers (" + racerRestarts + " restarts, " + racerStalls
                    + " of them stalls, " + racerEscalations + " stalls escalated after another timeout)";
        }

    }

    /**
     * {@code -Dreliability.races=false} leaves them out, to compare the rounds' times
     * with and without.
     */
    static final boolean ENABLED = !"false".equals(System.getProperty("reliability.races"));

    private final long seed;

    private final SplittableRandom random;

    private final List<String> problems;

    private final Counts counts;

    private final String refusedPrefix;

    private final boolean refusals;

    private final int refusalsBeforeStop;

    private final boolean reader;

    private final HeartbeatRacers racers;

    private final RefusingThreads threads;

    private boolean[] respawn = new boolean[0];

    private volatile boolean reading = true;

    private volatile String lastRefused = "";

    private final Set<CriticalTaskHandle> seen = Collections
        .synchronizedSet(Collections.newSetFromMap(new IdentityHashMap<>()));

    private Thread readerThread;

    private Thread spawnerThread;

    RaceInterleavings(long seed, boolean virtual, List<String> problems, Counts counts) {
        this.seed = seed;
        this.problems = problems;
        this.counts = counts;
        SplittableRandom third = new SplittableRandom(seed);
        third.split(); // the asynchronous part's stream
        this.random = third.split();
        this.refusedPrefix = "s" + seed + "-refused-";
        // each costs the round threads that compete for the CPU: one round in eight or so
        this.refusals = ENABLED && !virtual && random.nextInt(8) == 0;
        this.refusalsBeforeStop = 1 + random.nextInt(8);
        this.reader = ENABLED && (refusals || random.nextInt(16) == 0);
        boolean racing = ENABLED && random.nextInt(8) == 0;
        Duration racerTimeout = Duration.ofNanos(500_000L << random.nextInt(3));
        this.racers = racing ? new HeartbeatRacers("s" + seed, racerTimeout, problems, counts) : null;
        this.threads = refusals ? new RefusingThreads("s" + seed) : null;
    }

    /** Runs the round's tasks on threads of a refusing executor in refusal rounds. */
    CriticalTaskRegistry.Builder configure(CriticalTaskRegistry.Builder builder) {
        return threads != null ? builder.executor(threads) : builder;
    }

    /**
     * Draws, for each top task in order, whether its name is spawned again once it has
     * finished.
     */
    void drawRespawns(int topTasks) {
        respawn = new boolean[topTasks];
        for (int i = 0; i < topTasks; i++) {
            respawn[i] = random.nextInt(4) == 0 && ENABLED;
        }
    }

    boolean respawns(int topTask) {
        return respawn[topTask];
    }

    /**
     * Waits, spinning, until {@code finished} says it is finished, then spawns its name
     * again at once and waits for that successor to end; returns the successor, or null
     * when refused.
     */
    CriticalTaskHandle respawn(CriticalTaskRegistry registry, CriticalTaskHandle finished) throws InterruptedException {
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!finished.isFinished() && System.nanoTime() - until < 0) {
            Thread.onSpinWait();
        }
        String name = finished.description();
        CountDownLatch checked = new CountDownLatch(1);
        CriticalTaskHandle successor;
        try {
            successor = registry.spawn(name, token -> checked.await());
        }
        catch (IllegalArgumentException taken) {
            problems.add("the name " + name + " was refused once its handle said " + finished.state() + ": "
                    + taken.getMessage());
            return null;
        }
        counts.respawns.incrementAndGet();
        if (registry.find(name).orElse(null) != successor) {
            problems.add("find(" + name + ") is not the live task just spawned under that name");
        }
        checked.countDown();
        if (!successor.join(Duration.ofSeconds(10))) {
            problems.add("the successor of " + name + " did not end");
        }
        return successor;
    }

    /**
     * Starts the heartbeat racers, in a registry of their own: their escalations, by
     * design, do not touch the round.
     */
    void startRacers(boolean virtual) {
        if (racers != null) {
            racers.start(virtual);
        }
    }

    /** Starts the reader of {@code tasks()} and {@code find()}. */
    void startReader(CriticalTaskRegistry registry) {
        if (!reader) {
            return;
        }
        counts.readerRounds.incrementAndGet();
        readerThread = new Thread(() -> {
            while (reading) {
                for (CriticalTaskHandle task : registry.tasks()) {
                    read(task);
                }
                registry.find(lastRefused).ifPresent(this::read);
                Thread.yield(); // a reader, not a hog: the round's own threads come first
            }
        }, "stress-reader-" + seed);
        readerThread.setDaemon(true);
        readerThread.start();
    }

    private void read(CriticalTaskHandle task) {
        Optional<Instant> finishedAt = task.finishedAt();
        TaskState state = task.state();
        if (finishedAt.isPresent() && !state.isTerminal()) {
            problems.add(task + " was read " + state + " with the finish time " + finishedAt.get());
        }
        seen.add(task);
    }

    /**
     * Starts the refused spawns, which go on until the stop refuses them; {@code live}:
     * names that stay live until after the stop.
     */
    void beforeStop(CriticalTaskRegistry registry, List<String> live) throws InterruptedException {
        if (!refusals) {
            return;
        }
        counts.refusalRounds.incrementAndGet();
        CountDownLatch ready = new CountDownLatch(1);
        spawnerThread = new Thread(() -> {
            threads.refuser = Thread.currentThread();
            for (int n = 0;; n++) {
                boolean taken = !live.isEmpty() && n % 3 == 2;
                String name = taken ? live.get(n % live.size()) : refusedPrefix + n;
                if (!taken) {
                    lastRefused = name;
                }
                try {
                    registry.spawn(name, token -> problems.add("the refused spawn " + name + " ran"));
                    problems.add("the spawn of " + name + " was accepted from the refused thread");
                    return;
                }
                catch (RejectedExecutionException refused) {
                    counts.executorRefusals.incrementAndGet();
                }
                catch (IllegalArgumentException alreadyLive) {
                    counts.nameRefusals.incrementAndGet();
                }
                catch (IllegalStateException stopping) {
                    return;
                }
                finally {
                    if (n + 1 >= refusalsBeforeStop) {
                        ready.countDown();
                    }
                }
            }
        }, "stress-spawner-" + seed);
        spawnerThread.start();
        if (!ready.await(10, TimeUnit.SECONDS)) {
            problems.add("the refused spawns did not begin");
        }
    }

    /**
     * Once stop returned: the refused spawns have ended, none is a straggler; the racers
     * stop too.
     */
    void afterStop(StopReport report) throws InterruptedException {
        if (spawnerThread != null) {
            spawnerThread.join(TimeUnit.SECONDS.toMillis(10));
            if (spawnerThread.isAlive()) {
                problems.add("the refused spawns went on after stop");
            }
            report.unstopped()
                .stream()
                .filter(task -> task.name().startsWith(refusedPrefix))
                .forEach(task -> problems.add("the stop report names the refused spawn " + task.name()
                        + (task.stackTrace().isEmpty() ? " (no thread)" : "")));
        }
        if (racers != null) {
            racers.stop();
        }
    }

    /**
     * Once every task has ended: nothing of a refused spawn is left, or was handed out
     * and is still running.
     */
    void finish(CriticalTaskRegistry registry, List<CriticalTaskHandle> tops) throws InterruptedException {
        reading = false;
        if (readerThread != null) {
            readerThread.join(TimeUnit.SECONDS.toMillis(10));
        }
        Set<CriticalTaskHandle> known = Collections.newSetFromMap(new IdentityHashMap<>());
        known.addAll(tops);
        List<CriticalTaskHandle> running = new ArrayList<>();
        synchronized (seen) {
            for (CriticalTaskHandle task : seen) {
                if (!known.contains(task)) {
                    counts.phantomsSeen.incrementAndGet();
                    if (!task.isFinished()) {
                        running.add(task);
                    }
                }
            }
        }
        if (!running.isEmpty()) {
            problems.add("the reader was handed " + running.size()
                    + " handles that no spawn accepted and that are still " + "running, such as " + running.get(0));
        }
        registry.tasks()
            .stream()
            .filter(task -> task.description().startsWith(refusedPrefix))
            .forEach(task -> problems.add("the task list keeps the refused spawn " + task));
    }

    /**
     * One thread per task, named like the default ones; refuses what the spawner thread
     * spawns.
     */
    private static final class RefusingThreads implements Executor {

        private final String round;

        private final AtomicInteger number = new AtomicInteger();

        volatile Thread refuser;

        RefusingThreads(String round) {
            this.round = round;
        }

        @Override
        public void execute(Runnable command) {
            if (Thread.currentThread() == refuser) {
                throw new RejectedExecutionException("the stress refuses the spawns of this thread");
            }
            new Thread(command, "critical-task-stress-" + round + "-" + number.incrementAndGet()).start();
        }

    }

}
