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

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.RestartPolicy;
import dev.criticaltask.StallAction;

/**
 * The program behind the recording and the WARN line in docs/observability.md: a price
 * feed that fails twice and is restarted, an import stuck past its heartbeat, a worker
 * that ignores its cancellation when the registry stops, and a ledger audit that crashes.
 * From the repository's root, after {@code mvn -B -pl critical-task-core -am package -DskipTests}:
 *
 * <pre>
 * java -XX:StartFlightRecording=filename=app.jfr -cp critical-task-core/target/classes docs/examples/JfrDemo.java
 * jfr print --events dev.criticaltask.TaskFailed,dev.criticaltask.TaskRestarted,dev.criticaltask.TaskStalled,dev.criticaltask.TaskStraggler app.jfr
 * </pre>
 */
public class JfrDemo {

    public static void main(String[] args) throws Exception {
        CountDownLatch lock = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch stalled = new CountDownLatch(1);
        AtomicInteger feeds = new AtomicInteger();
        try (CriticalTaskRegistry registry = new CriticalTaskRegistry()) {
            registry.spawn(CriticalTaskSpec.of("price-feed", token -> {
                if (feeds.incrementAndGet() <= 2) {
                    throw new IOException("feed unreachable");
                }
                token.await();
            }).withRestartPolicy(RestartPolicy.limited(3, Duration.ofMinutes(1))
                .withBackoff(Duration.ofMillis(10), Duration.ofMillis(10))));
            registry.spawn(CriticalTaskSpec.supervised("nightly-import", context -> {
                context.heartbeat();
                BatchImport.waitForLock(lock, stalled);
                context.heartbeat();
            }).withHeartbeat(Duration.ofMillis(500), StallAction.REPORT));
            registry.spawn("stubborn", token -> {
                while (release.getCount() > 0) {
                    try {
                        release.await();
                    }
                    catch (InterruptedException ignored) {
                        // ignores its cancellation: a straggler when the registry stops
                    }
                }
            });
            stalled.await();
            Thread.sleep(600); // past the 500 ms heartbeat: the stall is what is shown
            lock.countDown(); // the import gets its lock and ends
            registry.stop(Duration.ofMillis(300));
            release.countDown();
        }
        try (CriticalTaskRegistry audits = new CriticalTaskRegistry()) {
            audits.spawn("ledger-audit", token -> {
                throw new IllegalStateException("ledger out of balance");
            });
            audits.rootToken().await();
        }
    }

    static final class BatchImport {

        static void waitForLock(CountDownLatch lock, CountDownLatch stalled) throws InterruptedException {
            stalled.countDown();
            lock.await();
        }

    }

}
