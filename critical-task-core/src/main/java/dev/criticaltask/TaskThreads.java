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

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Objects;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;

import org.jspecify.annotations.Nullable;

/**
 * The default executor: one new thread per task, named
 * {@code critical-task-<description>}, never a bounded pool that long-running tasks could
 * starve. Virtual threads are looked up at run time, so the library compiles for Java 17
 * and uses them on 21+.
 */
final class TaskThreads implements Executor {

    static final String THREAD_NAME_PREFIX = "critical-task-";

    private static final TaskThreads PLATFORM = new TaskThreads(null, false);

    private static final @Nullable ThreadFactory VIRTUAL_FACTORY = lookUpVirtualThreadFactory();

    private final @Nullable ThreadFactory factory;

    private final boolean daemon;

    private TaskThreads(@Nullable ThreadFactory factory, boolean daemon) {
        this.factory = factory;
        this.daemon = daemon;
    }

    /**
     * Platform threads that keep the JVM alive while they run, like
     * {@code new Thread(...)}.
     */
    static TaskThreads platform() {
        return PLATFORM;
    }

    static TaskThreads platform(boolean daemon) {
        return daemon ? new TaskThreads(null, true) : PLATFORM;
    }

    /**
     * Threads from the given factory; the factory's own names and daemon flags are kept.
     */
    static TaskThreads from(ThreadFactory factory) {
        return new TaskThreads(Objects.requireNonNull(factory, "threadFactory must not be null"), false);
    }

    /**
     * Virtual threads.
     * @throws IllegalStateException on a Java version without virtual threads
     */
    static TaskThreads virtual() {
        ThreadFactory virtual = VIRTUAL_FACTORY;
        if (virtual == null) {
            throw new IllegalStateException(
                    "Virtual threads need Java 21 or later; this is Java " + Runtime.version().feature());
        }
        return new TaskThreads(virtual, true);
    }

    /** Whether this JVM offers virtual threads. */
    static boolean virtualThreadsAvailable() {
        return VIRTUAL_FACTORY != null;
    }

    @Override
    public void execute(Runnable command) {
        Objects.requireNonNull(command, "command must not be null");
        String name = command instanceof TaskRun run ? THREAD_NAME_PREFIX + run.description() : null;
        Thread thread;
        if (factory == null) {
            thread = name != null ? new Thread(command, name) : new Thread(command);
            thread.setDaemon(daemon);
        }
        else {
            thread = factory.newThread(command);
            if (thread == null) {
                throw new IllegalStateException("The thread factory " + factory + " returned no thread");
            }
            if (name != null && factory == VIRTUAL_FACTORY) {
                thread.setName(name);
            }
        }
        thread.start();
    }

    private static @Nullable ThreadFactory lookUpVirtualThreadFactory() {
        if (Runtime.version().feature() < 21) {
            return null;
        }
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            Class<?> builderClass = Class.forName("java.lang.Thread$Builder$OfVirtual");
            MethodHandle ofVirtual = lookup.findStatic(Thread.class, "ofVirtual", MethodType.methodType(builderClass));
            Class<?> baseBuilder = Class.forName("java.lang.Thread$Builder");
            MethodHandle factory = lookup.findVirtual(baseBuilder, "factory",
                    MethodType.methodType(ThreadFactory.class));
            return (ThreadFactory) factory.invoke(ofVirtual.invoke());
        }
        catch (Throwable unavailable) {
            return null;
        }
    }

}
