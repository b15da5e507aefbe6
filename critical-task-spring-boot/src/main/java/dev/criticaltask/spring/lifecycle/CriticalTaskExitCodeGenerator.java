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

import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.criticaltask.CriticalTaskFailedException;
import dev.criticaltask.CriticalTaskRegistry;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.ExitCodeExceptionMapper;
import org.springframework.boot.ExitCodeGenerator;
import org.springframework.core.Ordered;

/**
 * The exit code of a task failure, as an {@link ExitCodeGenerator} bean: 0 while no task
 * has failed, then the failure's own code. So {@code SpringApplication.exit(context)}
 * returns it, by Spring Boot's rules, beside the application's own generators: the first
 * generator (in {@link Ordered order}) that returns a non-zero code wins, and this one
 * has the last order ({@link Ordered#LOWEST_PRECEDENCE}), so that an ordered generator of
 * the application's that returns a code wins over it. A generator without an order ties
 * with it, and ties keep the beans' registration order: the application's own beans come
 * before the auto-configurations', but a generator registered after this one comes after
 * it.
 *
 * <p>
 * The failure's own code is found as {@code SpringApplication} finds the code of a failed
 * start-up, applied to the failed task's cause: the first non-zero code of the
 * {@link ExitCodeExceptionMapper} beans (in order); else the code of the first
 * {@link ExitCodeGenerator} in the cause's chain; else
 * {@code critical-task.shutdown.exit-code}.
 *
 * <p>
 * The code is worked out at the first call after the failure, and kept: it can be read
 * after the context has closed (hold on to this bean), without touching the context.
 * Thread-safe; the mappers run on the calling thread, under no lock: threads that ask at
 * the same time may each work it out, and the first to finish sets the code that all of
 * them return.
 *
 * <p>
 * The shutdown that follows a failure asks for it while the context is still open (so the
 * mappers are looked up before the close), works out the application's exit code from all
 * the generators, and records it here: from then on this generator returns that code, the
 * one published in the {@code ExitCodeEvent} and used as the process's status, even when
 * a generator of the application's gave it.
 */
public final class CriticalTaskExitCodeGenerator implements ExitCodeGenerator, Ordered {

    private static final Log logger = LogFactory.getLog(CriticalTaskExitCodeGenerator.class);

    private final CriticalTaskRegistry registry;

    private final int exitCode;

    private final Supplier<? extends Iterable<ExitCodeExceptionMapper>> mappers;

    /** The failure's own code, once worked out: the first to finish wins. */
    private final AtomicReference<@Nullable Integer> code = new AtomicReference<>();

    /** The application's exit code, once the shutdown has worked it out. */
    private volatile @Nullable Integer recorded;

    /**
     * Creates the generator of one registry's failures.
     * @param registry the registry whose first failure is the application's
     * @param exitCode the code when no mapper and no cause gives one, from 1 to 255
     * @param mappers the mappers to apply to the failed task's cause, in order; asked
     * once, after the failure
     */
    public CriticalTaskExitCodeGenerator(CriticalTaskRegistry registry, int exitCode,
            Supplier<? extends Iterable<ExitCodeExceptionMapper>> mappers) {
        this.registry = Objects.requireNonNull(registry, "registry must not be null");
        if (exitCode < 1 || exitCode > 255) {
            throw new IllegalArgumentException("exitCode must be from 1 to 255, but was " + exitCode);
        }
        this.exitCode = exitCode;
        this.mappers = Objects.requireNonNull(mappers, "mappers must not be null");
    }

    /**
     * {@return 0 while no task has failed, then the failure's own code, and once the
     * shutdown has worked out the application's exit code, that code; never 0 after a
     * failure}
     */
    @Override
    public int getExitCode() {
        Integer outcome = this.recorded;
        if (outcome != null) {
            return outcome;
        }
        Integer known = this.code.get();
        if (known != null) {
            return known;
        }
        return this.registry.firstFailure().map(this::codeOf).orElse(0);
    }

    private int codeOf(CriticalTaskFailedException failure) {
        // user code (the mappers, the cause's getExitCode()) runs under no lock of ours
        Integer computed = compute(failure);
        return this.code.compareAndSet(null, computed) ? computed : Objects.requireNonNull(this.code.get());
    }

    /**
     * Records the exit code that the shutdown worked out (published in the
     * {@code ExitCodeEvent}, used as the process's status), to be returned from now on.
     * @param exitCode the application's exit code, not 0
     */
    void record(int exitCode) {
        this.recorded = exitCode;
    }

    private int compute(CriticalTaskFailedException failure) {
        Throwable cause = (failure.getCause() != null) ? failure.getCause() : failure;
        int mapped = mapped(cause);
        if (mapped != 0) {
            return mapped;
        }
        for (Throwable candidate = cause; candidate != null; candidate = candidate.getCause()) {
            if (candidate instanceof ExitCodeGenerator generator) {
                int generated = generator.getExitCode();
                if (generated != 0) {
                    return generated;
                }
            }
        }
        return this.exitCode;
    }

    /** As {@code SpringApplication} does: the first non-zero code wins. */
    private int mapped(Throwable cause) {
        Iterable<ExitCodeExceptionMapper> candidates;
        try {
            candidates = this.mappers.get();
        }
        catch (RuntimeException ex) {
            logger.warn("Could not look up the ExitCodeExceptionMapper beans; using the failure's own exit code", ex);
            return 0;
        }
        for (ExitCodeExceptionMapper mapper : candidates) {
            try {
                int mapped = mapper.getExitCode(cause);
                if (mapped != 0) {
                    return mapped;
                }
            }
            catch (RuntimeException ex) {
                // the failure's code must still be found; Spring skips a throwing mapper
                // too
                logger.warn("ExitCodeExceptionMapper " + mapper.getClass().getName() + " threw; skipping it", ex);
            }
        }
        return 0;
    }

    /**
     * {@return {@link Ordered#LOWEST_PRECEDENCE}: the application's ordered generators
     * come first, unordered ones in registration order}
     */
    @Override
    public int getOrder() {
        return Ordered.LOWEST_PRECEDENCE;
    }

}
