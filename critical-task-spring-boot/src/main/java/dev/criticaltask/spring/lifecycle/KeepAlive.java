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

package dev.criticaltask.spring.lifecycle;

import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskListener;
import dev.criticaltask.CriticalTaskRegistry;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the JVM alive while critical tasks run, the way {@code spring.main.keep-alive}
 * does: task threads are daemon threads (virtual threads always are), so a service
 * without a web server whose only work is its tasks would otherwise exit with 0 as soon
 * as {@code main} returns.
 *
 * <p>
 * One non-daemon thread waits while the lifecycle runs, the root token is not cancelled
 * and at least one task is live; it is started again when a task is spawned after the
 * last one ended, and when the lifecycle starts again after a stop. A stopped (or paused)
 * context does not keep the JVM alive. Before the thread ends it hands a failure over to
 * the {@link FailureShutdown}, whose own non-daemon thread then keeps the JVM alive until
 * the exit code is set.
 */
final class KeepAlive implements CriticalTaskListener {

    static final String THREAD_NAME = "critical-task-keep-alive";

    private final CriticalTaskRegistry registry;

    private final FailureShutdown failureShutdown;

    private final Object monitor = new Object();

    private @Nullable Thread thread;

    private boolean stopped;

    KeepAlive(CriticalTaskRegistry registry, FailureShutdown failureShutdown) {
        this.registry = registry;
        this.failureShutdown = failureShutdown;
    }

    /**
     * The lifecycle has started: starts the keep-alive thread if a task is live and none
     * runs yet.
     */
    void start() {
        synchronized (this.monitor) {
            this.stopped = false;
            startIfNeeded();
        }
    }

    /** Guarded by {@code monitor}. */
    private void startIfNeeded() {
        if (this.thread == null && shouldStayAlive()) {
            Thread keepAlive = new Thread(this::keepAlive, THREAD_NAME);
            keepAlive.setDaemon(false);
            this.thread = keepAlive;
            keepAlive.start();
        }
    }

    /**
     * Lets the keep-alive thread end: the lifecycle has stopped, until it starts again.
     */
    void stop() {
        synchronized (this.monitor) {
            this.stopped = true;
            this.monitor.notifyAll();
        }
    }

    /** Makes the keep-alive thread look again at the root token and the tasks. */
    void wake() {
        synchronized (this.monitor) {
            this.monitor.notifyAll();
        }
    }

    @Override
    public void started(CriticalTaskHandle task) {
        synchronized (this.monitor) {
            startIfNeeded();
        }
    }

    @Override
    public void completed(CriticalTaskHandle task) {
        wake();
    }

    @Override
    public void cancelled(CriticalTaskHandle task) {
        wake();
    }

    @Override
    public void failed(CriticalTaskHandle task, CriticalTaskFailedException failure) {
        wake();
    }

    private void keepAlive() {
        boolean interrupted = false;
        synchronized (this.monitor) {
            try {
                while (shouldStayAlive()) {
                    this.monitor.wait();
                }
            }
            catch (InterruptedException ex) {
                interrupted = true;
            }
            finally {
                // In the same step as the decision to end: a task that starts from now on
                // sees no thread and starts one (issue #19, item 8).
                if (this.thread == Thread.currentThread()) {
                    this.thread = null;
                }
            }
        }
        // Hand over before this thread ends, so that a failure's exit code cannot lose
        // the
        // race against the JVM ending with 0 for want of non-daemon threads.
        // The registry's first failure, not only the root's reason: a task that fails
        // after a stop cancelled the root without a reason has failed all the same.
        this.registry.firstFailure().ifPresent(this.failureShutdown::trigger);
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * {@return the keep-alive thread, if one runs or is about to end}
     */
    @Nullable Thread thread() {
        synchronized (this.monitor) {
            return this.thread;
        }
    }

    private boolean shouldStayAlive() {
        if (this.stopped || this.registry.rootToken().isCancelled()) {
            return false;
        }
        for (CriticalTaskHandle task : this.registry.tasks()) {
            if (!task.isFinished()) {
                return true;
            }
        }
        return false;
    }

}
