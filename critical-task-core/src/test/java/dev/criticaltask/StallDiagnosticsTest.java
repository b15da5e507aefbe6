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
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentSkipListSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.logging.Level;

import dev.criticaltask.testsupport.CapturedLogs;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/**
 * A missed heartbeat captures where the stuck thread is: in the WARNING log, in what the
 * listeners hear and on the handle; on platform threads, and on virtual threads (Java
 * 21+, which {@code .ci/run} runs this tag on), which a {@code jcmd Thread.print} would
 * not show.
 */
@Tag("core")
class StallDiagnosticsTest {

    private static final Duration TIMEOUT = Duration.ofMillis(60);

    private final List<StallReport> heard = new CopyOnWriteArrayList<>();

    @Test
    void theStackOfAStuckPlatformThreadNamesTheMethodItIsStuckIn() throws Exception {
        assertStackNamesStuckMethod(CriticalTaskRegistry.builder(), "stall-platform");
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void theStackOfAStuckVirtualThreadNamesTheMethodItIsStuckIn() throws Exception {
        assertStackNamesStuckMethod(CriticalTaskRegistry.builder().virtualThreads(true), "stall-virtual");
    }

    private void assertStackNamesStuckMethod(CriticalTaskRegistry.Builder builder, String name) throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (CapturedLogs logs = CapturedLogs.of(StallDiagnosticsTest.class);
                CriticalTaskRegistry registry = builder.logger(System.getLogger(StallDiagnosticsTest.class.getName()))
                    .build()) {
            registry.addListener(listener());
            CriticalTaskHandle handle = registry.spawn(CriticalTaskSpec.supervised(name, context -> {
                context.heartbeat();
                stuckInTheBatchImport(release);
            }).withHeartbeat(TIMEOUT, StallAction.REPORT));
            await().atMost(Duration.ofSeconds(10)).until(() -> !heard.isEmpty());

            StallReport stall = heard.get(0);
            assertThat(stall.taskName()).isEqualTo(name);
            assertThat(stall.attempt()).isEqualTo(1);
            assertThat(stall.action()).isEqualTo(StallAction.REPORT);
            assertThat(stall.silentFor()).isGreaterThanOrEqualTo(TIMEOUT);
            assertThat(stall.threadName()).isEqualTo("critical-task-" + name);
            assertThat(stall.stackTrace()).anySatisfy(frame -> {
                assertThat(frame.getClassName()).isEqualTo(StallDiagnosticsTest.class.getName());
                assertThat(frame.getMethodName()).isEqualTo("stuckInTheBatchImport");
            });
            assertThat(handle.lastStall()).isPresent();
            assertThat(handle.lastStall().orElseThrow().stackTrace()).isNotEmpty();
            assertThat(logs.atLevel(Level.WARNING)).singleElement()
                .satisfies(record -> assertThat(record.getMessage())
                    .startsWith("Critical task '" + name + "' sent no heartbeat for")
                    .contains("on attempt 1; reported only")
                    .contains("thread 'critical-task-" + name + "' is at:")
                    .containsPattern(
                            "\n\tat .*StallDiagnosticsTest\\.stuckInTheBatchImport\\(StallDiagnosticsTest\\.java:\\d+\\)"));
            release.countDown();
        }
        finally {
            release.countDown();
        }
    }

    @Test
    void aTaskThatStaysStalledIsCapturedAgainAtMostOncePerTimeoutButHeardOnce() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        try (CriticalTaskRegistry registry = quietRegistry()) {
            registry.addListener(listener());
            CriticalTaskHandle handle = registry
                .spawn(CriticalTaskSpec.supervised("stall-long", context -> stuckInTheBatchImport(release))
                    .withHeartbeat(TIMEOUT, StallAction.REPORT));
            Set<Instant> captures = new ConcurrentSkipListSet<>();
            await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(2)).until(() -> {
                handle.lastStall().ifPresent(stall -> captures.add(stall.detectedAt()));
                return captures.size() >= 4;
            });
            release.countDown();

            List<Instant> times = new ArrayList<>(captures);
            for (int i = 1; i < times.size(); i++) {
                // each check is scheduled a whole timeout after the one before
                assertThat(Duration.between(times.get(i - 1), times.get(i))).as("capture %d after %d", i, i - 1)
                    .isGreaterThanOrEqualTo(TIMEOUT.minusMillis(2));
            }
            assertThat(heard).hasSize(1);
        }
        finally {
            release.countDown();
        }
    }

    @Test
    void aFailingStallIsCapturedBeforeTheInterruptWithTheMethodItWasStuckIn() throws Exception {
        try (CriticalTaskRegistry registry = quietRegistry()) {
            registry.addListener(listener());
            CriticalTaskHandle handle = registry.spawn(CriticalTaskSpec
                .supervised("stall-failing", context -> stuckInTheBatchImport(new CountDownLatch(1)))
                .withHeartbeat(TIMEOUT, StallAction.FAIL));
            assertThat(handle.run().awaitDone(Duration.ofSeconds(10).toNanos())).isTrue();
            assertThat(handle.state()).isEqualTo(TaskState.FAILED);
            assertThat(heard).singleElement().satisfies(stall -> {
                assertThat(stall.action()).isEqualTo(StallAction.FAIL);
                assertThat(stall.stackTrace()).extracting(StackTraceElement::getMethodName)
                    .contains("stuckInTheBatchImport");
                assertThat(stall.describe()).contains("the attempt is failed and interrupted");
            });
        }
    }

    private static void stuckInTheBatchImport(CountDownLatch release) throws InterruptedException {
        release.await();
    }

    private CriticalTaskListener listener() {
        return new CriticalTaskListener() {
            @Override
            public void stalled(CriticalTaskHandle task, StallReport stall) {
                heard.add(stall);
            }
        };
    }

    private static CriticalTaskRegistry quietRegistry() {
        return CriticalTaskRegistry.builder().logger(dev.criticaltask.testsupport.SilentLogger.discarding()).build();
    }

}
