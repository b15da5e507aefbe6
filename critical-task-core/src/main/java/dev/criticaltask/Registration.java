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

/**
 * A handle on something registered, such as a cancellation callback or a registry
 * listener.
 *
 * <p>
 * {@link #close()} unregisters it. Closing is idempotent and thread-safe. Once
 * {@code close()} has returned, a callback that had not started yet will never start; one
 * that was already running when {@code close()} was called may still be running.
 */
@FunctionalInterface
public interface Registration extends AutoCloseable {

    /**
     * Unregisters; does nothing when already closed, or when the callback has already
     * run.
     */
    @Override
    void close();

}
