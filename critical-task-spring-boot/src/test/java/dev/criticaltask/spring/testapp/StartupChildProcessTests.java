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

package dev.criticaltask.spring.testapp;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.criticaltask.testsupport.ChildProcess;
import dev.criticaltask.testsupport.ChildProcesses;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Start-up readiness in a real JVM with Kubernetes-style probes over HTTP (issue 15):
 * {@code /actuator/health/readiness} answers 503 until the task that awaits its ready
 * signal is ready, then 200, while liveness answers 200 throughout; a start-up timeout
 * exits the process with the failure's exit code; a SIGTERM during start-up ends within
 * the grace period.
 */
@Tag("spring")
@Tag("child-jvm")
class StartupChildProcessTests {

    private static final Pattern PORT = Pattern.compile("Tomcat started on port (\\d+)");

    private static final HttpClient CLIENT = HttpClient.newHttpClient();

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses(StartupTestApplication.class);

    @TempDir
    Path directory;

    @Test
    void readinessProbeAnswers503UntilTheTaskIsReadyThen200() throws Exception {
        Path readyFile = this.directory.resolve("prices-loaded");
        ChildProcess child = this.children.start(arguments(readyFile));
        int port = port(child);
        child.awaitOutput("READY");
        assertThat(get(port, "/actuator/health/readiness")).isEqualTo(503);
        assertThat(get(port, "/actuator/health/liveness")).isEqualTo(200);
        assertThat(child.output()).contains("PRICES LOADING").doesNotContain("ORDERS STARTED");

        Files.createFile(readyFile);

        await().atMost(Duration.ofSeconds(20)).until(() -> get(port, "/actuator/health/readiness") == 200);
        assertThat(get(port, "/actuator/health/liveness")).isEqualTo(200);
        String output = child.output();
        assertThat(output.indexOf("PRICES READY")).isPositive().isLessThan(output.indexOf("ORDERS STARTED"));
        assertThat(output).contains("AVAILABILITY ACCEPTING_TRAFFIC");
        child.process().destroy();
        assertThat(child.awaitExit()).isEqualTo(143);
        output = child.output();
        assertThat(output.indexOf("ORDERS STOPPED")).as("dependents stop first")
            .isPositive()
            .isLessThan(output.indexOf("PRICES STOPPED"));
    }

    @Test
    void aStartupTimeoutExitsTheProcessWithTheExitCode() throws Exception {
        ChildProcess child = this.children.start(arguments(this.directory.resolve("never"),
                "--critical-task.tasks.prices.startup.timeout=1s", "--critical-task.shutdown.exit-code=7"));
        assertThat(child.awaitExit()).isEqualTo(7);
        String output = child.output();
        assertThat(output)
            .contains("EVENT task=prices cause=dev.criticaltask.TaskStartTimeoutException",
                    "Exiting the process with status 7")
            .doesNotContain("ORDERS STARTED");
    }

    @Test
    void aSigtermDuringStartUpEndsWithinTheGracePeriod() throws Exception {
        ChildProcess child = this.children.start(arguments(this.directory.resolve("never")));
        int port = port(child);
        child.awaitOutput("PRICES LOADING");
        assertThat(get(port, "/actuator/health/readiness")).isEqualTo(503);
        long before = System.nanoTime();
        child.process().destroy();
        assertThat(child.awaitExit()).isEqualTo(143);
        assertThat(Duration.ofNanos(System.nanoTime() - before)).isLessThan(Duration.ofSeconds(10));
        String output = child.output();
        assertThat(output).contains("PRICES STOPPED BEFORE READY", "Critical tasks stopped gracefully")
            .doesNotContain("ORDERS STARTED", "did not stop within the grace period");
    }

    private static String[] arguments(Path readyFile, String... more) {
        String[] common = { "--server.port=0", "--startup.ready-file=" + readyFile,
                "--management.endpoint.health.probes.enabled=true",
                "--critical-task.tasks.prices.startup.await-ready=true",
                "--critical-task.tasks.orders.depends-on=prices", "--critical-task.shutdown.grace-period=10s" };
        String[] all = new String[common.length + more.length];
        System.arraycopy(common, 0, all, 0, common.length);
        System.arraycopy(more, 0, all, common.length, more.length);
        return all;
    }

    private static int port(ChildProcess child) throws IOException {
        child.awaitOutput("Tomcat started on port");
        Matcher matcher = PORT.matcher(child.output());
        assertThat(matcher.find()).isTrue();
        return Integer.parseInt(matcher.group(1));
    }

    private static int get(int port, String path) throws IOException, InterruptedException {
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .GET()
            .build();
        return CLIENT.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
    }

}
