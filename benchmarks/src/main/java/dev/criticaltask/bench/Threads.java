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

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executor;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.logging.Level;
import java.util.logging.Logger;

import dev.criticaltask.CriticalTaskRegistry;

/**
 * The two kinds of thread every benchmark can run on, chosen by a {@code threads}
 * parameter: {@code platform} or {@code virtual}. The module compiles with
 * {@code --release 17}, so virtual threads are found at run time through method handles,
 * as the core does; asking for them on Java 17 to 20 fails the benchmark's set-up with a
 * clear message.
 */
public final class Threads {

    public static final String PLATFORM = "platform";

    public static final String VIRTUAL = "virtual";

    private static final MethodHandle START_VIRTUAL = lookUp("startVirtualThread",
            MethodType.methodType(Thread.class, Runnable.class));

    private static final MethodHandle VIRTUAL_PER_TASK = lookUp("newVirtualThreadPerTaskExecutor",
            MethodType.methodType(ExecutorService.class));

    /** Keeps the logger configuration alive: java.util.logging holds loggers weakly. */
    private static final Logger QUIET = Logger.getLogger("dev.criticaltask");

    private Threads() {
    }

    private static MethodHandle lookUp(String name, MethodType type) {
        Class<?> owner = name.startsWith("new") ? Executors.class : Thread.class;
        try {
            return MethodHandles.publicLookup().findStatic(owner, name, type);
        }
        catch (ReflectiveOperationException unavailable) {
            return null;
        }
    }

    public static boolean virtualAvailable() {
        return START_VIRTUAL != null;
    }

    static void requireKnown(String kind) {
        if (VIRTUAL.equals(kind)) {
            if (!virtualAvailable()) {
                throw new IllegalStateException("threads=virtual needs Java 21+; this is Java "
                        + Runtime.version().feature() + ". Run with -p threads=platform");
            }
        }
        else if (!PLATFORM.equals(kind)) {
            throw new IllegalArgumentException("threads must be platform or virtual, not " + kind);
        }
    }

    /** Starts {@code task} on a new thread of the given kind. */
    public static Thread start(String kind, Runnable task) {
        if (VIRTUAL.equals(kind)) {
            try {
                return (Thread) START_VIRTUAL.invokeExact(task);
            }
            catch (RuntimeException | Error ex) {
                throw ex;
            }
            catch (Throwable ex) {
                throw new IllegalStateException(ex);
            }
        }
        Thread thread = new Thread(task);
        thread.start();
        return thread;
    }

    /**
     * An executor that starts one new thread of the given kind per task, like the core's
     * default.
     */
    public static Executor perTask(String kind) {
        requireKnown(kind);
        return VIRTUAL.equals(kind) ? task -> start(VIRTUAL, task) : task -> start(PLATFORM, task);
    }

    /**
     * The {@code ExecutorService} baseline: one virtual thread per task, or for platform
     * threads a cached pool (which re-uses idle threads, so it does not pay for a thread
     * start per task).
     */
    public static ExecutorService executorService(String kind) {
        requireKnown(kind);
        if (VIRTUAL.equals(kind)) {
            try {
                return (ExecutorService) VIRTUAL_PER_TASK.invokeExact();
            }
            catch (Throwable ex) {
                throw new IllegalStateException(ex);
            }
        }
        return Executors.newCachedThreadPool(daemonFactory());
    }

    /**
     * A registry whose tasks run on new threads of the given kind (the library's own
     * executors).
     */
    public static CriticalTaskRegistry registry(String kind) {
        requireKnown(kind);
        return CriticalTaskRegistry.builder().virtualThreads(VIRTUAL.equals(kind)).build();
    }

    private static ThreadFactory daemonFactory() {
        return task -> {
            Thread thread = new Thread(task);
            thread.setDaemon(true);
            return thread;
        };
    }

    /**
     * Turns off the library's logging (java.util.logging, behind System.Logger): the
     * benchmarks make tasks fail thousands of times, and printing each failure with its
     * stack trace would measure the console. Computing the failure (exception, stack
     * trace) is still measured.
     */
    public static void silenceLibraryLogging() {
        QUIET.setLevel(Level.OFF);
    }

}
