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

package dev.criticaltask.sample.chaos;

import java.util.concurrent.TimeUnit;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.CriticalTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How <em>not</em> to write a critical task: it never looks at its token and swallows
 * interrupts, so it cannot be stopped. On {@code sample.chaos.stubborn-worker=true} it
 * runs beside the real workers to show the stop report: after
 * {@code critical-task.shutdown.grace-period} the starter interrupts it, waits a little
 * more, then logs it as a task that did not stop, with its stack, and the process ends
 * anyway because task threads do not keep the JVM alive.
 */
final class StubbornWorker implements CriticalTask {

    private static final Logger logger = LoggerFactory.getLogger(StubbornWorker.class);

    @Override
    @SuppressWarnings({ "InfiniteLoopStatement", "BusyWait" })
    public void run(CancellationToken cancellation) {
        logger.warn("Stubborn worker started: it ignores cancellation and interrupts (sample.chaos.stubborn-worker)");
        while (true) {
            try {
                // The anti-pattern on purpose: a sleep that no cancellation can cut
                // short.
                TimeUnit.SECONDS.sleep(1);
            }
            catch (InterruptedException ex) {
                logger.warn("Stubborn worker interrupted; ignoring it");
            }
        }
    }

}
