package dev.criticaltask.spring.testapp;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What only a real JVM can show: exit codes, SIGTERM, and a process that ends although a task
 * ignores every request to stop. Each test runs {@link CriticalTaskTestApplication} on the test
 * classpath.
 */
class ChildProcessTests {

    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void destroyProcesses() {
        for (Process process : this.processes) {
            process.destroyForcibly();
        }
    }

    @Test
    void failingTaskExitsTheProcessWithOne() throws Exception {
        Child child = start("fail");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        assertThat(count(output, "EVENT task=failing cause=java.lang.IllegalStateException: boom")).isOne();
        assertThat(output).contains("AVAILABILITY BROKEN", "AVAILABILITY REFUSING_TRAFFIC",
                "WORKER worker STOPPED GRACEFULLY", "Exiting the process with status 1");
        assertThat(count(output, "CLOSED thread=critical-task-failure-shutdown")).isOne();
        // logged once, by the core through Spring's logging, with the stack
        assertThat(count(output, "Critical task 'failing' crashed: java.lang.IllegalStateException: boom")).isOne();
        assertThat(output).contains("ERROR").contains("\tat dev.criticaltask.spring.testapp.");
    }

    @Test
    void failingTaskExitsTheProcessWithTheConfiguredCode() throws Exception {
        Child child = start("fail", "--critical-task.shutdown.exit-code=42");
        assertThat(child.awaitExit()).isEqualTo(42);
        assertThat(child.output()).contains("Exiting the process with status 42");
    }

    @Test
    void failingTaskClosesTheContextWithoutExitWhenExitProcessIsOff() throws Exception {
        Child child = start("fail", "--critical-task.shutdown.exit-process=false");
        // nothing keeps the JVM alive once the context is closed: it ends normally
        assertThat(child.awaitExit()).isZero();
        assertThat(child.output()).contains("CLOSED thread=critical-task-failure-shutdown",
                "Not exiting the process: critical-task.shutdown.exit-process is false");
    }

    @Test
    void failingTaskOfAWebApplicationExitsWithOneAfterTheWebServerStopped() throws Exception {
        Child child = start("web-fail", "--server.port=0");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        assertThat(output).contains("Tomcat started on port");
        assertThat(count(output, "EVENT task=failing")).isOne();
        assertThat(count(output, "CLOSED thread=critical-task-failure-shutdown")).isOne();
        // the web server stops before the tasks do
        assertThat(output.indexOf("Commencing graceful shutdown")).isPositive()
            .isLessThan(output.indexOf("Stopping critical tasks"));
        assertThat(output).contains("WORKER worker STOPPED GRACEFULLY", "Exiting the process with status 1");
    }

    @Test
    void twoSimultaneousFailuresShutDownOnce() throws Exception {
        Child child = start("two-failures");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        assertThat(count(output, "EVENT task=")).isOne();
        assertThat(count(output, "CLOSED thread=")).isOne();
        assertThat(count(output, "AVAILABILITY BROKEN")).isOne();
        assertThat(count(output, "Exiting the process with status 1")).isOne();
    }

    @Test
    void serviceWithoutWebServerStaysAliveWhileTasksRunAndSigtermDrainsThem() throws Exception {
        Child child = start("drain");
        child.awaitOutput("MAIN RETURNED");
        // main has returned and the task threads are daemon threads: only the keep-alive holds on
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(child.process::isAlive);
        child.process.destroy();
        int exitCode = child.awaitExit();
        assertThat(exitCode).isEqualTo(143);
        String output = child.output();
        assertThat(output).contains("WORKER first STOPPED GRACEFULLY", "WORKER second STOPPED GRACEFULLY",
                "Critical tasks stopped gracefully", "CLOSED thread=");
        assertThat(output).doesNotContain("EVENT task=", "did not stop within the grace period");
    }

    @Test
    void failureDuringASigtermShutdownNeitherHangsNorExitsAgain() throws Exception {
        Child child = start("fail-on-close");
        child.awaitOutput("READY");
        child.process.destroy();
        assertThat(child.awaitExit()).isEqualTo(143);
        String output = child.output();
        assertThat(output).contains("Critical task 'failing' crashed")
            .contains("WORKER worker STOPPED GRACEFULLY")
            .doesNotContain("Exiting the process with status");
    }

    @Test
    void serviceWhoseTasksCompleteEndsWithZero() throws Exception {
        Child child = start("complete");
        assertThat(child.awaitExit()).isZero();
        assertThat(child.output()).contains("TASK COMPLETED", "MAIN RETURNED").doesNotContain("EVENT task=");
    }

    @Test
    void taskIgnoringCancellationIsNamedWithItsStackAndTheProcessStillEnds() throws Exception {
        Child child = start("stubborn-fail", "--critical-task.shutdown.grace-period=500ms");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        assertThat(output).contains("Critical task 'stubborn' was still running")
            .contains("CriticalTaskTestApplication$StubbornLoop.spin(")
            .contains("STUBBORN IGNORED AN INTERRUPT");
    }

    @Test
    void taskIgnoringCancellationDuringSigtermIsReportedAndTheProcessStillEnds() throws Exception {
        Child child = start("stubborn", "--critical-task.shutdown.grace-period=500ms");
        child.awaitOutput("READY");
        child.process.destroy();
        assertThat(child.awaitExit()).isEqualTo(143);
        assertThat(child.output()).contains("Critical task 'stubborn' was still running")
            .contains("CriticalTaskTestApplication$StubbornLoop.spin(");
    }

    @Test
    void failureDuringStartupExitsNonZeroWithoutHanging() throws Exception {
        Child child = start("startup-failure");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        assertThat(count(output, "EVENT task=early cause=java.lang.IllegalStateException: failed during start-up"))
            .isOne();
        // the shutdown waited for the start-up to end before closing the context
        assertThat(output.indexOf("SLOW START ENDS")).isPositive().isLessThan(output.indexOf("CLOSED thread="));
    }

    @Test
    void failureWhileTheStartupHangsExitsNonZeroAfterTheGracePeriod() throws Exception {
        Child child = start("startup-hang", "--critical-task.shutdown.grace-period=1s");
        assertThat(child.awaitExit()).isEqualTo(1);
        assertThat(child.output()).contains("HANGING START BEGINS")
            .contains("did not finish starting within PT1S of the failure of critical task 'early'")
            .contains("Exiting the process with status 1");
    }

    @Test
    void criticalScheduledMethodFailingOnItsThirdRunExitsWithTheConfiguredCode() throws Exception {
        Child child = start("scheduled-fail", "--critical-task.shutdown.exit-code=42");
        assertThat(child.awaitExit()).isEqualTo(42);
        String output = child.output();
        assertThat(output).contains("RUN 1 SUCCEEDED", "RUN 2 SUCCEEDED");
        assertThat(count(output, "EVENT task=ticker.tick cause=java.lang.IllegalStateException: third run failed")).isOne();
        assertThat(output).contains("Critical task 'ticker.tick' crashed: java.lang.IllegalStateException: third run failed",
                "WORKER worker STOPPED GRACEFULLY", "Exiting the process with status 42");
        // Spring's error handler saw it too, as it always does
        assertThat(output).contains("Unexpected error occurred in scheduled task");
    }

    @Test
    void criticalAsyncMethodFailureExitsWithTheConfiguredCode() throws Exception {
        Child child = start("async-fail", "--critical-task.shutdown.exit-code=42");
        assertThat(child.awaitExit()).isEqualTo(42);
        String output = child.output();
        assertThat(count(output, "EVENT task=mailer.send cause=java.lang.IllegalStateException: cannot send hello")).isOne();
        assertThat(output).contains("Critical task 'mailer.send' crashed", "WORKER worker STOPPED GRACEFULLY",
                "Exiting the process with status 42");
        // and Spring's default AsyncUncaughtExceptionHandler logged it
        assertThat(output).contains("Unexpected exception occurred invoking async method");
    }

    @Test
    void invalidPropertyFailsStartupWithTheFailureAnalysis() throws Exception {
        Child child = start("fail", "--critical-task.shutdown.exit-code=0");
        assertThat(child.awaitExit()).isNotZero();
        assertThat(child.output()).contains("APPLICATION FAILED TO START")
            .contains("The property 'critical-task.shutdown.exit-code' has the invalid value '0'")
            .contains("Update the property 'critical-task.shutdown.exit-code'")
            .doesNotContain("READY");
    }

    @ParameterizedTest
    @ValueSource(strings = { "--critical-task.threads.virtual=true", "--spring.threads.virtual.enabled=true" })
    void virtualThreadsOnJava21KeepTheServiceAliveAndDrainOnSigterm(String property) throws Exception {
        Path java = java21OrLater();
        Assumptions.assumeTrue(java != null, "no Java 21 or later found next to " + System.getProperty("java.home"));
        Child child = start(java, "threads", property);
        child.awaitOutput("MAIN RETURNED");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(child.process::isAlive);
        assertThat(child.output()).contains("THREAD class=java.lang.VirtualThread daemon=true");
        child.process.destroy();
        assertThat(child.awaitExit()).isEqualTo(143);
        assertThat(child.output()).contains("WORKER worker STOPPED GRACEFULLY", "Critical tasks stopped gracefully");
    }

    @Test
    void platformThreadsAreDaemonThreadsByDefault() throws Exception {
        Child child = start("threads");
        child.awaitOutput("MAIN RETURNED");
        assertThat(child.output()).contains("THREAD class=java.lang.Thread daemon=true");
        child.process.destroy();
        assertThat(child.awaitExit()).isEqualTo(143);
    }

    /** This JVM when it is 21 or later, else a sibling installation that is; null when none is. */
    private static Path java21OrLater() throws IOException {
        Path home = Path.of(System.getProperty("java.home"));
        if (Runtime.version().feature() >= 21) {
            return home.resolve("bin").resolve("java");
        }
        Path parent = home.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return null;
        }
        try (Stream<Path> installations = Files.list(parent)) {
            return installations.filter((installation) -> featureVersion(installation) >= 21)
                .map((installation) -> installation.resolve("bin").resolve("java"))
                .filter(Files::isExecutable)
                .findFirst()
                .orElse(null);
        }
    }

    private static int featureVersion(Path installation) {
        Path release = installation.resolve("release");
        try {
            Matcher version = Pattern.compile("JAVA_VERSION=\"(\\d+)").matcher(Files.readString(release));
            return version.find() ? Integer.parseInt(version.group(1)) : 0;
        }
        catch (IOException | RuntimeException ex) {
            return 0;
        }
    }

    private Child start(String scenario, String... arguments) throws IOException {
        return start(Path.of(System.getProperty("java.home"), "bin", "java"), scenario, arguments);
    }

    private Child start(Path java, String scenario, String... arguments) throws IOException {
        Path log = Files.createTempFile(this.temp, scenario, ".log");
        List<String> command = new ArrayList<>();
        command.add(java.toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(CriticalTaskTestApplication.class.getName());
        command.add(scenario);
        command.addAll(List.of(arguments));
        command.add("--spring.main.banner-mode=off");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile());
        Process process = builder.start();
        this.processes.add(process);
        return new Child(process, log);
    }

    private static int count(String text, String part) {
        Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    private record Child(Process process, Path log) {

        int awaitExit() throws InterruptedException, IOException {
            if (!this.process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("The child JVM did not end within " + TIMEOUT + "; output:\n" + output());
            }
            return this.process.exitValue();
        }

        void awaitOutput(String marker) throws IOException {
            await().atMost(TIMEOUT).until(() -> output().contains(marker) || !this.process.isAlive());
            assertThat(output()).contains(marker);
        }

        String output() throws IOException {
            return Files.readString(this.log, StandardCharsets.UTF_8);
        }

    }

}
