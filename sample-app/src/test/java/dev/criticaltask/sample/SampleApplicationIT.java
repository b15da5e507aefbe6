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

package dev.criticaltask.sample;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The packaged application, {@code java -jar target/sample-app.jar}, in a child process:
 * what a test JVM cannot show in-process, because the starter never exits a test's JVM.
 * Run by failsafe after the jar has been repackaged.
 */
@Tag("spring")
@Tag("child-jvm")
class SampleApplicationIT {

    /**
     * Far more than a start and a stop take even on a busy 2-core machine; a hang fails
     * the test.
     */
    private static final long TIMEOUT_SECONDS = 120;

    /**
     * A code no JVM or Spring path would produce by accident, to prove the configured one
     * is used.
     */
    private static final int EXIT_CODE = 3;

    @TempDir
    private Path logs;

    @Test
    void failingWorkerStopsItsSiblingsAndExitsWithTheConfiguredCode() throws Exception {
        Run run = runJar("chaos", "--sample.chaos.fail-after=1s", "--sample.prices.refresh-interval=250ms",
                "--critical-task.shutdown.exit-code=" + EXIT_CODE);

        assertThat(run.exitCode()).as(run.output()).isEqualTo(EXIT_CODE);
        assertThat(run.output())
            .contains("Critical task 'priceRefresher' failed: java.io.IOException: price feed unreachable")
            .contains("Heartbeat stopped after")
            .contains("Order processor stopped")
            .contains("Critical tasks stopped; critical task 'priceRefresher' failed, so the application shuts down")
            .contains("Exiting the process with status " + EXIT_CODE);
    }

    @Test
    void workerThatIgnoresCancellationIsReportedAndTheProcessStillExits() throws Exception {
        Run run = runJar("stubborn", "--sample.chaos.fail-after=1s", "--sample.prices.refresh-interval=250ms",
                "--sample.chaos.stubborn-worker=true", "--critical-task.shutdown.grace-period=1s",
                "--critical-task.shutdown.exit-code=" + EXIT_CODE);

        assertThat(run.exitCode()).as(run.output()).isEqualTo(EXIT_CODE);
        assertThat(run.output()).contains("Critical task 'stubbornWorker' was still running")
            .contains("\tat dev.criticaltask.sample.chaos.StubbornWorker.run(")
            .doesNotContain("Critical tasks stopped gracefully");
    }

    @Test
    void failingCriticalScheduledJobStopsTheWorkersAndExitsWithTheConfiguredCode() throws Exception {
        int port = freePort();
        Process process = startJar("audit", "--server.port=" + port, "--sample.chaos.http-enabled=true",
                "--sample.orders.audit.interval=250ms", "--sample.orders.audit.max-pending-age=1s",
                "--critical-task.shutdown.exit-code=" + EXIT_CODE);
        Path log = this.logs.resolve("audit.log");
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
                .until(() -> !process.isAlive() || Files.readString(log).contains("Started SampleApplication"));
            assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
            // The order processor starts only once the price refresher is ready (it
            // depends on it):
            // an order lost before then would be one that never reached a processor.
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
                .until(() -> !process.isAlive() || Http.get(port, "/actuator/health/readiness").statusCode() == 200);
            assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
            String id = JsonPath.parse(Http.postJson(port, "/chaos/lose-order", "").body()).read("$.order");

            assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
            String output = Files.readString(log);
            assertThat(process.exitValue()).as(output).isEqualTo(EXIT_CODE);
            assertThat(output)
                .contains("Critical task 'orderLedgerAudit.audit' crashed: java.lang.IllegalStateException: "
                        + "Order ledger audit failed: 1 order(s) ACCEPTED for longer than PT1S")
                .contains("the oldest " + id + " accepted at")
                .contains("Heartbeat stopped after")
                .contains("Order processor stopped")
                .contains("Critical tasks stopped; critical task")
                .contains("Exiting the process with status " + EXIT_CODE);
        }
        finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void sigtermDrainsTheWorkersAfterTheAcceptedOrders() throws Exception {
        int port = freePort();
        Process process = startJar("sigterm", "--server.port=" + port);
        Path log = this.logs.resolve("sigterm.log");
        try {
            await().atMost(Duration.ofSeconds(TIMEOUT_SECONDS))
                .until(() -> !process.isAlive() || Files.readString(log).contains("Started SampleApplication"));
            assertThat(process.isAlive()).as(Files.readString(log)).isTrue();
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("Prices loaded"));
            String id = JsonPath.parse(Http.postJson(port, "/orders", "{\"item\":\"tea\",\"quantity\":2}").body())
                .read("$.id");
            await().atMost(Duration.ofSeconds(30))
                .until(() -> Files.readString(log).contains("Order " + id + " processed"));

            process.destroy(); // SIGTERM on Linux and macOS

            assertThat(process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)).as(Files.readString(log)).isTrue();
            String output = Files.readString(log);
            // 128 + SIGTERM(15): the JVM's own status for a signal-initiated shutdown
            assertThat(process.exitValue()).as(output).isEqualTo(143);
            assertThat(output).contains("Order processor stopped")
                .contains("Heartbeat stopped after")
                .contains("Price refresher stopped after")
                .contains("Critical tasks stopped gracefully")
                .doesNotContain("Exiting the process");
        }
        finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private Run runJar(String name, String... args) throws IOException, InterruptedException {
        Path log = this.logs.resolve(name + ".log");
        Process process = startJar(name, prepend("--server.port=0", args));
        try {
            boolean exited = process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS);
            String output = Files.readString(log, StandardCharsets.UTF_8);
            assertThat(exited).as("exited within %ss:%n%s", TIMEOUT_SECONDS, output).isTrue();
            return new Run(process.exitValue(), output);
        }
        finally {
            process.destroyForcibly();
            process.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private static String[] prepend(String first, String... rest) {
        List<String> all = new ArrayList<>();
        all.add(first);
        all.addAll(List.of(rest));
        return all.toArray(String[]::new);
    }

    /**
     * Starts the packaged application, its output going to {@code <name>.log} in the temp
     * dir.
     */
    private Process startJar(String name, String... args) throws IOException {
        Path jar = Paths.get(System.getProperty("sample.jar", "target/sample-app.jar"));
        assertThat(jar).as("the repackaged application; run through 'mvn verify'").isRegularFile();
        List<String> command = new ArrayList<>(
                List.of(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-jar", jar.toString(),
                        "--spring.main.banner-mode=off"));
        command.addAll(List.of(args));
        // To a file, not a pipe: a full pipe would block the child.
        return new ProcessBuilder(command).redirectErrorStream(true)
            .redirectOutput(this.logs.resolve(name + ".log").toFile())
            .start();
    }

    private record Run(int exitCode, String output) {
    }

}
