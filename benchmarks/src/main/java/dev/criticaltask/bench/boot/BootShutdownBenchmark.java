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

package dev.criticaltask.bench.boot;

import java.util.concurrent.CountDownLatch;
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
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Item 6b: shutdown ({@code context.close()}) of the application with 1,000 cooperative
 * critical tasks (each parked in {@code token.await()}, all started before the
 * measurement), on platform or virtual threads, against the same application and beans
 * without the starter. Single shot, one per JVM. Target: at most 100 ms beyond Boot's own
 * shutdown.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1, batchSize = 1)
@Fork(6)
@State(Scope.Thread)
public class BootShutdownBenchmark {

    @Param({ "PLATFORM", "VIRTUAL", "NONE" })
    public BenchApplication.Starter starter;

    @Param({ "1000" })
    public int tasks;

    private ConfigurableApplicationContext context;

    @Setup(Level.Iteration)
    public void start() throws InterruptedException {
        CountDownLatch started = new CountDownLatch(starter == BenchApplication.Starter.NONE ? 0 : tasks);
        context = BenchApplication.create(starter, tasks, started).run();
        if (!started.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("not all " + tasks + " critical tasks started");
        }
    }

    @Benchmark
    public ConfigurableApplicationContext shutdown() {
        context.close();
        if (context.isActive()) {
            throw new IllegalStateException("the context is still active");
        }
        return context;
    }

}
