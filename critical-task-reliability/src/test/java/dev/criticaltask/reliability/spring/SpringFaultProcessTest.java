package dev.criticaltask.reliability.spring;

import static org.assertj.core.api.Assertions.assertThat;

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

/**
 * Faults of issue 5 where the process exit is the point: each runs {@link FaultApplication} in a
 * JVM of its own, on the test classpath, and must end with one shutdown, the right exit code, no
 * hang (60 s bound) and every exception logged.
 */
class SpringFaultProcessTest {

    static final Duration TIMEOUT = Duration.ofSeconds(60);

    @TempDir
    Path temp;

    private final List<Process> processes = new ArrayList<>();

    @AfterEach
    void destroyProcesses() {
        for (Process process : processes) {
            process.destroyForcibly();
        }
    }

    @Test
    void fiftyTasksFailingAtOnceShutDownOnceWithEveryFailureLoggedOnce() throws Exception {
        Child child = start("fifty-failures");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        assertThat(count(output, "EVENT task=")).as(output).isOne();
        assertThat(count(output, "CLOSED thread=")).isOne();
        assertThat(count(output, "Exiting the process with status 1")).isOne();
        for (int i = 0; i < FaultApplication.FIFTY; i++) {
            assertThat(errorLogs(output, "Critical task 'failing" + i + "' crashed")).as("failure %d logged", i).isOne();
        }
        assertThat(output).contains("WORKER worker STOPPED GRACEFULLY");
        // the event names the registry's first failure
        Matcher event = Pattern.compile("EVENT task=(\\S+) cause=.* first=(\\S+) root=(.*)").matcher(output);
        assertThat(event.find()).isTrue();
        assertThat(event.group(1)).isEqualTo(event.group(2));
        System.out.println("fifty failures: event for " + event.group(1) + ", root reason: " + event.group(3));
    }

    @Test
    void eventHandlerThatThrowsDoesNotStopTheShutdown() throws Exception {
        Child child = start("throwing-event-listener");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        assertThat(count(output, "LISTENER THROWS")).as(output).isOne();
        assertThat(count(output, "CLOSED thread=")).isOne();
        assertThat(count(output, "Exiting the process with status 1")).isOne();
        assertThat(output).contains("WORKER worker STOPPED GRACEFULLY");
        // not swallowed: the handler's exception is in the log
        assertThat(output).contains("java.lang.IllegalStateException: event handler throws");
        assertThat(errorLogs(output, "Critical task 'failing' crashed")).isOne();
    }

    @Test
    void outOfMemoryErrorThrownByATaskShutsDownWithOne() throws Exception {
        Child child = start("out-of-memory");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        assertThat(count(output, "EVENT task=hungry cause=java.lang.OutOfMemoryError: injected")).as(output).isOne();
        assertThat(errorLogs(output, "Critical task 'hungry' crashed: java.lang.OutOfMemoryError")).isOne();
        assertThat(count(output, "CLOSED thread=")).isOne();
        assertThat(count(output, "Exiting the process with status 1")).isOne();
        assertThat(output).contains("WORKER worker STOPPED GRACEFULLY");
    }

    @Test
    void taskBeanWhoseCreationThrowsFailsStartupWithoutHanging() throws Exception {
        Child child = start("bean-creation-throws");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        assertThat(output).as(output).contains("cannot create this task").doesNotContain("READY", "EVENT task=",
                "MAIN RETURNED");
        // the refresh never reached the lifecycle: no task ran, nothing to stop
        assertThat(output).doesNotContain("WORKER worker STOPPED");
    }

    @Test
    void taskFailingWhileARunnerFailsEndsOnceWithOne() throws Exception {
        Child child = start("runner-fails-with-task");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        // the runner's exception must be logged, not cut short by the task failure's System.exit
        assertThat(output).as(output).contains("java.lang.IllegalStateException: runner fails");
        assertThat(errorLogs(output, "Critical task 'failing' crashed")).isOne();
        assertThat(count(output, "CLOSED thread=")).isOne();
        assertThat(output).doesNotContain("MAIN RETURNED");
    }

    Child start(String scenario, String... arguments) throws IOException {
        Path log = Files.createTempFile(temp, scenario, ".log");
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-XX:TieredStopAtLevel=1");
        command.add("-Xshare:auto");
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(FaultApplication.class.getName());
        command.add(scenario);
        command.addAll(List.of(arguments));
        command.add("--spring.main.banner-mode=off");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        processes.add(process);
        return new Child(process, log);
    }

    /** Log lines at ERROR that contain {@code part} (the EVENT marker repeats the root's reason). */
    static int errorLogs(String text, String part) {
        return (int) text.lines().filter(line -> line.contains(" ERROR ") && line.contains(part)).count();
    }

    static int count(String text, String part) {
        Matcher matcher = Pattern.compile(Pattern.quote(part)).matcher(text);
        int count = 0;
        while (matcher.find()) {
            count++;
        }
        return count;
    }

    record Child(Process process, Path log) {

        int awaitExit() throws InterruptedException, IOException {
            if (!process.waitFor(TIMEOUT.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("The child JVM did not end within " + TIMEOUT + "; output:\n" + output());
            }
            return process.exitValue();
        }

        String output() throws IOException {
            return Files.readString(log, StandardCharsets.UTF_8);
        }
    }
}
