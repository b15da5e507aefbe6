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

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.Registration;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Group;
import org.openjdk.jmh.annotations.GroupThreads;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Item 4: the cost of {@code isCancelled()} (a volatile read), and of
 * {@code onCancel(...)} followed by {@code close()} on one token, uncontended and from 2
 * threads at once ({@code @Group}, both threads on the same token: every register and
 * unregister takes the token's lock); and of a child token per request under a long-lived
 * root.
 *
 * <p>
 * Baselines: {@link AtomicBoolean#get()} for the read; for register/unregister, adding
 * and removing an element of a {@link ConcurrentHashMap#newKeySet()} (a lock-free-read
 * concurrent set).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class TokenBenchmark {

    private static final Runnable ACTION = () -> {
    };

    @State(Scope.Benchmark)
    public static class Shared {

        final CancellationToken token = CancellationToken.create();

        final CancellationToken cancelled = cancelledToken();

        final AtomicBoolean flag = new AtomicBoolean();

        final Set<Object> set = ConcurrentHashMap.newKeySet();

        private static CancellationToken cancelledToken() {
            CancellationToken token = CancellationToken.create();
            token.cancel();
            return token;
        }

    }

    @Benchmark
    @Threads(1)
    public boolean isCancelled(Shared state) {
        return state.token.isCancelled();
    }

    @Benchmark
    @Threads(1)
    public boolean isCancelledWhenCancelled(Shared state) {
        return state.cancelled.isCancelled();
    }

    @Benchmark
    @Threads(1)
    public boolean atomicBooleanGet(Shared state) {
        return state.flag.get();
    }

    @Benchmark
    @Threads(1)
    public Registration onCancelClose(Shared state) {
        Registration registration = state.token.onCancel(ACTION);
        registration.close();
        return registration;
    }

    @Benchmark
    @Group("onCancelCloseContended")
    @GroupThreads(2)
    public Registration onCancelCloseContended(Shared state) {
        Registration registration = state.token.onCancel(ACTION);
        registration.close();
        return registration;
    }

    /**
     * A child per request under a long-lived root, ended by its own cancel (which unlinks
     * it).
     */
    @Benchmark
    @Threads(1)
    public CancellationToken childCancel(Shared state) {
        CancellationToken child = state.token.child();
        child.cancel();
        return child;
    }

    /**
     * The same with a callback registered and closed on the child (the first one links it
     * to the root).
     */
    @Benchmark
    @Threads(1)
    public CancellationToken childOnCancelCloseCancel(Shared state) {
        CancellationToken child = state.token.child();
        child.onCancel(ACTION).close();
        child.cancel();
        return child;
    }

    /**
     * A bare child that is dropped: the collector takes it and the reaper thread its
     * record (issue #13). Before that change the root kept every one, so this has no
     * baseline of that code.
     */
    @Benchmark
    @Threads(1)
    public CancellationToken childDropped(Shared state) {
        return state.token.child();
    }

    @Benchmark
    @Threads(1)
    public boolean concurrentSetAddRemove(Shared state) {
        Object element = new Object();
        state.set.add(element);
        return state.set.remove(element);
    }

    @Benchmark
    @Group("concurrentSetAddRemoveContended")
    @GroupThreads(2)
    public boolean concurrentSetAddRemoveContended(Shared state) {
        Object element = new Object();
        state.set.add(element);
        return state.set.remove(element);
    }

}
