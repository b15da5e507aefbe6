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
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Item 6a: cold context start-up ({@code SpringApplication.run} until it returns, i.e.
 * until the context is refreshed and every critical task has been spawned), with 0 and
 * 100 {@code CriticalTask} beans, with the starter (tasks on platform threads) and
 * without it. Single shot, one measurement per JVM: each fork is a new JVM, so every
 * figure is a cold start, as a service's is. Target: 100 task beans cost at most 5 % over
 * 0.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1, batchSize = 1)
@Fork(6)
@State(Scope.Thread)
public class BootStartupBenchmark {

    @Param({ "PLATFORM", "NONE" })
    public BenchApplication.Starter starter;

    @Param({ "0", "100" })
    public int tasks;

    private ConfigurableApplicationContext context;

    @Benchmark
    public ConfigurableApplicationContext startup() {
        context = BenchApplication.create(starter, tasks, null).run();
        return context;
    }

    @TearDown(Level.Iteration)
    public void close() {
        if (context != null) {
            context.close();
            context = null;
        }
    }

}
