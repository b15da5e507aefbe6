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

import java.util.concurrent.TimeUnit;

import dev.criticaltask.CriticalTaskFailedException;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Evidence for issue 18's failure row: what the contract makes a failing task build
 * before its parent's cancel can start, the {@link CriticalTaskFailedException} that
 * becomes the reason (its message names the task and the cause's {@code toString()}).
 * Baselines: a {@code RuntimeException} with the same cause and no stack trace of its own
 * (what the reason costs without a message), and the task's own throw,
 * {@code new IllegalStateException("boom")} with its stack trace, which the user's code
 * pays before the library runs at all.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(3)
@State(Scope.Thread)
public class FailureRecordBenchmark {

    private final Throwable cause = new IllegalStateException("boom");

    @Benchmark
    public CriticalTaskFailedException failedException() {
        return new CriticalTaskFailedException("failing", cause);
    }

    /**
     * The same reason with its message read once, as a log line or a health detail does
     * later.
     */
    @Benchmark
    public String failedExceptionWithMessage() {
        return new CriticalTaskFailedException("failing", cause).getMessage();
    }

    @Benchmark
    public RuntimeException reasonWithoutMessage() {
        return new RuntimeException(null, cause, true, false) {
        };
    }

    @Benchmark
    public Throwable tasksOwnThrow() {
        return new IllegalStateException("boom");
    }

}
