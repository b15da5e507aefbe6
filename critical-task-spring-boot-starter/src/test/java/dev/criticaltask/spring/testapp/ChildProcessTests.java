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

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

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
    void invalidPropertyFailsStartupWithTheFailureAnalysis() throws Exception {
        Child child = start("fail", "--critical-task.shutdown.exit-code=0");
        assertThat(child.awaitExit()).isNotZero();
        assertThat(child.output()).contains("APPLICATION FAILED TO START")
            .contains("The property 'critical-task.shutdown.exit-code' has the invalid value '0'")
            .contains("Update the property 'critical-task.shutdown.exit-code'")
            .doesNotContain("READY");
    }

    private Child start(String scenario, String... arguments) throws IOException {
        Path log = Files.createTempFile(this.temp, scenario, ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
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
