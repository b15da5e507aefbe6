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

import dev.criticaltask.testsupport.CapturedLogs;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.logging.Logger;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Issue 19, item 7: a handle spawned with
 * {@link CriticalTaskHandle#spawn(String, CriticalTask, CancellationToken)} directly on a
 * registry's {@link CriticalTaskRegistry#rootToken() root token} has no registry
 * observer, yet once its failure has cancelled the root, the registry's
 * {@link CriticalTaskRegistry#firstFailure()} returns that failure, as DESIGN.md promises
 * for any failure that cancels the root.
 */
@Tag("core")
class RootTokenSpawnFailureTest {

    /** Rounds, so that a record that lags the root's cancel is seen too. */
    private static final int ROUNDS = 20;

    @Test
    @Timeout(60)
    void aFailureOfAHandleSpawnedOnTheRootTokenIsTheRegistrysFirstFailure() throws Exception {
        // the handle logs its failure through java.util.logging: captured here, off the
        // console
        Logger handleLogger = Logger.getLogger(CriticalTaskHandle.class.getName());
        boolean useParentHandlers = handleLogger.getUseParentHandlers();
        handleLogger.setUseParentHandlers(false);
        try (CapturedLogs logs = CapturedLogs.of(CriticalTaskHandle.class)) {
            for (int round = 0; round < ROUNDS; round++) {
                try (CriticalTaskRegistry registry = CriticalTaskRegistry.builder().build()) {
                    CancellationToken root = registry.rootToken();
                    CriticalTaskHandle.spawn("beside-the-registry", token -> {
                        throw new IOException("failed beside the registry");
                    }, root).detach();

                    assertThat(root.await(Duration.ofSeconds(10))).as("round %d: the root was cancelled", round)
                        .isTrue();
                    Optional<CriticalTaskFailedException> first = registry.firstFailure();
                    Throwable reason = root.reason().orElse(null);

                    assertThat(reason).as("round %d: the root's reason", round)
                        .isInstanceOf(CriticalTaskFailedException.class);
                    assertThat(first).as("round %d: firstFailure() once the root was cancelled by a failure", round)
                        .containsSame((CriticalTaskFailedException) reason);
                }
            }
        }
        finally {
            handleLogger.setUseParentHandlers(useParentHandlers);
        }
    }

}
