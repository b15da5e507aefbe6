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

package dev.criticaltask.testsupport;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A JVM that {@link ChildProcesses} started, and its output so far.
 */
public final class ChildProcess {

    /** The longest wait for a child's exit or for a line of its output. */
    public static final Duration TIMEOUT = Duration.ofSeconds(60);

    private final Process process;

    private final Path log;

    ChildProcess(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /**
     * The running process, to signal it ({@code destroy()} sends SIGTERM).
     * @return the process
     */
    public Process process() {
        return this.process;
    }

    /**
     * Waits for the child to end, at most {@link #TIMEOUT}.
     * @return its exit code
     * @throws InterruptedException when interrupted while waiting
     * @throws IOException when the output cannot be read for the failure message
     * @throws AssertionError when it did not end in time, with its output
     */
    public int awaitExit() throws InterruptedException, IOException {
        if (!this.process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
            throw new AssertionError("The child JVM did not end within " + TIMEOUT + "; output:\n" + output());
        }
        return this.process.exitValue();
    }

    /**
     * Waits until the output contains {@code marker}, at most {@link #TIMEOUT}.
     * @param marker what to wait for
     * @throws IOException when the output cannot be read
     * @throws AssertionError when the child ended, or the time ran out, without printing
     * it
     */
    public void awaitOutput(String marker) throws IOException {
        await().atMost(TIMEOUT).until(() -> output().contains(marker) || !this.process.isAlive());
        assertThat(output()).contains(marker);
    }

    /**
     * What the child printed so far, standard output and error together.
     * @return the output
     * @throws IOException when it cannot be read
     */
    public String output() throws IOException {
        return Files.readString(this.log, StandardCharsets.UTF_8);
    }

}
