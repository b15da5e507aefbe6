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

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Issue 19, item 10: {@code spawn(...).detach()} settles the handle while the handle is
 * still reachable. Without a reachability fence, the collector may find the handle
 * unreachable once {@code detach()} has read what it needs from it, and its cleaning
 * action may then run before the handle is marked settled: a false "abandoned handle"
 * report (an ERROR log naming the task, and {@link CriticalTaskHandle#abandonedCount()}
 * one up).
 *
 * <p>
 * Once the JIT has inlined the whole of {@code detach()} into a loop, that window holds
 * no safepoint, so no collection can land in it: in a plain JVM it is not hit. A child
 * JVM makes it reachable without changing what the code means: the settling step of the
 * handle's ownership runs interpreted and is never inlined (so a collection can stop the
 * thread inside it while its compiled caller has already dropped the handle), and a small
 * young generation collects every few milliseconds. A correct handle stays reachable
 * until it is settled whatever the JIT does, so the flags only decide how often a missing
 * fence shows. (The flags name that step by its class and method; if they are renamed,
 * the window closes again and the test only guards.)
 */
@Tag("core")
@Tag("child-jvm")
class DetachReachabilityTest {

    /** How long the child detaches handles. */
    static final Duration BUDGET = Duration.ofSeconds(3);

    private static final Pattern OUTCOME = Pattern.compile("DETACHED (\\d+) ABANDONED (\\d+)");

    @Test
    @Timeout(120)
    @EnabledIfSystemProperty(named = "java.vm.name", matches = ".*(HotSpot|OpenJDK).*",
            disabledReason = "the child JVM's JIT flags are HotSpot's")
    void aDetachedHandleIsNeverReportedAsAbandoned() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        String settle = "dev.criticaltask.CriticalTaskHandle$Ownership::settle";
        Process child = new ProcessBuilder(List.of(java.toString(), "-Xmx128m", "-Xmn2m", "-XX:CompileCommand=quiet",
                "-XX:CompileCommand=dontinline," + settle, "-XX:CompileCommand=exclude," + settle,
                "-Ddev.criticaltask.spawnSites=off", "-cp", System.getProperty("java.class.path"),
                Detacher.class.getName()))
            .redirectErrorStream(true)
            .start();
        String output;
        try {
            output = new String(child.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(child.waitFor(60, TimeUnit.SECONDS)).as("the child JVM ended").isTrue();
        }
        finally {
            child.destroyForcibly();
        }
        assertThat(child.exitValue()).as("the child's exit status; its output:%n%s", output).isZero();
        Matcher outcome = OUTCOME.matcher(output);
        assertThat(outcome.find()).as("the child's outcome line in:%n%s", output).isTrue();
        long detached = Long.parseLong(outcome.group(1));
        long abandoned = Long.parseLong(outcome.group(2));
        assertThat(detached).isPositive();
        assertThat(abandoned)
            .as("handles reported abandoned, of %d detached ones; the child's output:%n%s", detached, output)
            .isZero();
    }

    /**
     * The child JVM: its threads detach handles for {@link #BUDGET}, then prints how many
     * were reported abandoned.
     */
    static final class Detacher {

        /**
         * Runs the task inside {@code spawn}: a spawn then costs no thread, and the loop
         * stays tight.
         */
        private static final Executor CALLER_RUNS = Runnable::run;

        /**
         * Threads that detach at once: more of them in the window when a collection
         * comes.
         */
        private static final int THREADS = 4;

        public static void main(String[] args) throws InterruptedException {
            CancellationToken parent = CancellationToken.create();
            CriticalTask nothing = token -> {
            };
            AtomicLong detached = new AtomicLong();
            long until = System.nanoTime() + BUDGET.toNanos();
            List<Thread> detachers = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                detachers.add(new Thread(() -> {
                    while (System.nanoTime() - until < 0) {
                        for (int i = 0; i < 1_000; i++) {
                            CriticalTaskHandle.spawn("detached", nothing, parent, CALLER_RUNS).detach();
                        }
                        detached.addAndGet(1_000);
                    }
                }, "detacher-" + t));
            }
            for (Thread detacher : detachers) {
                detacher.start();
            }
            for (Thread detacher : detachers) {
                detacher.join();
            }
            // every detached handle is unreachable now: a report of any would follow this
            // collection
            System.gc();
            try {
                if (CriticalTaskHandle.abandonedCount() > 0) {
                    throw new ConditionTimeoutException("reported already");
                }
                await().during(Duration.ofMillis(300))
                    .atMost(Duration.ofSeconds(5))
                    .until(CriticalTaskHandle::abandonedCount, reported -> reported == 0);
            }
            catch (ConditionTimeoutException reported) {
                // the count below says how many
            }
            System.out.println("DETACHED " + detached + " ABANDONED " + CriticalTaskHandle.abandonedCount());
        }

    }

}
