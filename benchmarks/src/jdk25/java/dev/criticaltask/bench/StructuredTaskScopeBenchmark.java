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

package dev.criticaltask.bench;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.StructuredTaskScope;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Item 2's JDK 25 baseline (preview API, built only by the {@code jdk25} profile): the same shape as
 * {@link FailurePropagationBenchmark} with {@link StructuredTaskScope#open()} (its default joiner
 * cancels the scope on the first failure and interrupts the other subtasks). N subtasks park on a
 * latch that nobody counts down; one more parks on the trigger and throws once released. Measured:
 * from the release until {@code join()} has thrown and {@code close()} has returned, i.e. until
 * every subtask's thread has finished.
 *
 * <p>The scope is opened and forked in the iteration set-up, which JMH runs on the benchmark thread,
 * so that the benchmark thread owns the scope.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 30, batchSize = 1)
@Measurement(iterations = 50, batchSize = 1)
@Fork(value = 2, jvmArgsAppend = "--enable-preview")
@State(Scope.Thread)
public class StructuredTaskScopeBenchmark {

    @Param({ "1", "100", "10000" })
    public int siblings;

    private StructuredTaskScope<Object, Void> scope;

    private CountDownLatch trigger;

    private boolean joined;

    @Setup(Level.Iteration)
    public void setUp() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(siblings + 1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch never = new CountDownLatch(1);
        trigger = release;
        joined = false;
        scope = StructuredTaskScope.open();
        for (int i = 0; i < siblings; i++) {
            scope.fork(() -> {
                started.countDown();
                never.await();
                return null;
            });
        }
        scope.fork(() -> {
            started.countDown();
            release.await();
            throw new IllegalStateException("boom");
        });
        started.await();
    }

    @TearDown(Level.Iteration)
    public void tearDown() {
        if (!joined) {
            throw new IllegalStateException("the scope did not fail");
        }
    }

    @Benchmark
    public Object structuredTaskScope() throws InterruptedException {
        trigger.countDown();
        try {
            scope.join();
        }
        catch (StructuredTaskScope.FailedException expected) {
            joined = true;
        }
        finally {
            scope.close();
        }
        return scope;
    }
}
