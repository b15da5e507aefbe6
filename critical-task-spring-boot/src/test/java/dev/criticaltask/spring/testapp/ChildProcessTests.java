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

import java.nio.file.Path;
import java.time.Duration;

import dev.criticaltask.testsupport.ChildProcess;
import dev.criticaltask.testsupport.ChildProcesses;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.criticaltask.testsupport.ChildProcesses.count;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What only a real JVM can show: exit codes, SIGTERM, and a process that ends although a
 * task ignores every request to stop. Each test runs {@link CriticalTaskTestApplication}
 * on the test classpath.
 */
@Tag("spring")
@Tag("child-jvm")
class ChildProcessTests {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses(CriticalTaskTestApplication.class);

    @Test
    void failingTaskExitsTheProcessWithOne() throws Exception {
        ChildProcess child = this.children.start("fail");
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
        ChildProcess child = this.children.start("fail", "--critical-task.shutdown.exit-code=42");
        assertThat(child.awaitExit()).isEqualTo(42);
        assertThat(child.output()).contains("Exiting the process with status 42");
        assertThat(count(child.output(), "EXIT CODE EVENT ")).isOne();
        assertThat(child.output()).contains("EXIT CODE EVENT 42");
    }

    @Test
    void failingTaskExitsWithTheCodeOfAnApplicationGeneratorBySpringsRules() throws Exception {
        ChildProcess child = this.children.start("fail-with-generator", "--critical-task.shutdown.exit-code=42");
        assertThat(child.awaitExit()).isEqualTo(3);
        String output = child.output();
        assertThat(count(output, "EXIT CODE EVENT ")).isOne();
        assertThat(output).contains("EXIT CODE EVENT 3", "Exiting the process with status 3");
    }

    @Test
    void failingTaskExitsWithTheCodeAMapperGivesItsCause() throws Exception {
        ChildProcess child = this.children.start("fail-with-mapper", "--critical-task.shutdown.exit-code=42");
        assertThat(child.awaitExit()).isEqualTo(9);
        assertThat(count(child.output(), "EXIT CODE EVENT 9")).isOne();
    }

    @Test
    void failureJustBeforeMainClosesTheContextStillExitsNonZeroWithTheEventOnce() throws Exception {
        // issue #19 item 1: on main 3 runs in 8 exited 0 without the event
        for (int run = 0; run < 3; run++) {
            ChildProcess child = this.children.start("close-after-failure");
            assertThat(child.awaitExit()).as("run %d", run).isEqualTo(1);
            String output = child.output();
            assertThat(count(output, "EVENT task=failing cause=java.lang.IllegalStateException: failed after 300 ms"))
                .as("run %d", run)
                .isOne();
            assertThat(count(output, "EXIT CODE EVENT 1")).as("run %d", run).isOne();
            assertThat(output).contains("MAIN CLOSED THE CONTEXT", "Exiting the process with status 1");
        }
    }

    @Test
    void failureWhileMainClosesTheContextExitsNonZeroWithTheEventOnce() throws Exception {
        ChildProcess child = this.children.start("close-while-failing");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        assertThat(count(output, "EVENT task=failing cause=java.io.IOException: cannot stop cleanly")).isOne();
        assertThat(count(output, "EXIT CODE EVENT 1")).isOne();
        assertThat(output).contains("MAIN CLOSED THE CONTEXT", "WORKER worker STOPPED GRACEFULLY",
                "Exiting the process with status 1");
    }

    @Test
    void failingTaskClosesTheContextWithoutExitWhenExitProcessIsOff() throws Exception {
        ChildProcess child = this.children.start("fail", "--critical-task.shutdown.exit-process=false");
        // nothing keeps the JVM alive once the context is closed: it ends normally
        assertThat(child.awaitExit()).isZero();
        assertThat(child.output()).contains("CLOSED thread=critical-task-failure-shutdown",
                "Not exiting the process: critical-task.shutdown.exit-process is false");
    }

    @Test
    void failingTaskOfAWebApplicationExitsWithOneAfterTheWebServerStopped() throws Exception {
        ChildProcess child = this.children.start("web-fail", "--server.port=0");
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
        ChildProcess child = this.children.start("two-failures");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        assertThat(count(output, "EVENT task=")).isOne();
        assertThat(count(output, "CLOSED thread=")).isOne();
        assertThat(count(output, "AVAILABILITY BROKEN")).isOne();
        assertThat(count(output, "Exiting the process with status 1")).isOne();
    }

    @Test
    void serviceWithoutWebServerStaysAliveWhileTasksRunAndSigtermDrainsThem() throws Exception {
        ChildProcess child = this.children.start("drain");
        child.awaitOutput("MAIN RETURNED");
        // main has returned and the task threads are daemon threads: only the keep-alive
        // holds on
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(child.process()::isAlive);
        child.process().destroy();
        int exitCode = child.awaitExit();
        assertThat(exitCode).isEqualTo(143);
        String output = child.output();
        assertThat(output).contains("WORKER first STOPPED GRACEFULLY", "WORKER second STOPPED GRACEFULLY",
                "Critical tasks stopped gracefully", "CLOSED thread=");
        assertThat(output).doesNotContain("EVENT task=", "did not stop within the grace period");
    }

    @Test
    void failureDuringASigtermShutdownNeitherHangsNorExitsAgain() throws Exception {
        ChildProcess child = this.children.start("fail-on-close");
        child.awaitOutput("READY");
        child.process().destroy();
        assertThat(child.awaitExit()).isEqualTo(143);
        String output = child.output();
        assertThat(output).contains("Critical task 'failing' crashed")
            .contains("WORKER worker STOPPED GRACEFULLY")
            .doesNotContain("Exiting the process with status");
    }

    @Test
    void serviceWhoseTasksCompleteEndsWithZero() throws Exception {
        ChildProcess child = this.children.start("complete");
        assertThat(child.awaitExit()).isZero();
        assertThat(child.output()).contains("TASK COMPLETED", "MAIN RETURNED").doesNotContain("EVENT task=");
    }

    @Test
    void taskIgnoringCancellationIsNamedWithItsStackAndTheProcessStillEnds() throws Exception {
        ChildProcess child = this.children.start("stubborn-fail", "--critical-task.shutdown.grace-period=500ms");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        assertThat(output).contains("Critical task 'stubborn' was still running")
            .contains("CriticalTaskTestApplication$StubbornLoop.spin(")
            .contains("STUBBORN IGNORED AN INTERRUPT");
    }

    @Test
    void taskIgnoringCancellationDuringSigtermIsReportedAndTheProcessStillEnds() throws Exception {
        ChildProcess child = this.children.start("stubborn", "--critical-task.shutdown.grace-period=500ms");
        child.awaitOutput("READY");
        child.process().destroy();
        assertThat(child.awaitExit()).isEqualTo(143);
        assertThat(child.output()).contains("Critical task 'stubborn' was still running")
            .contains("CriticalTaskTestApplication$StubbornLoop.spin(");
    }

    @Test
    void failureDuringStartupExitsNonZeroWithoutHanging() throws Exception {
        ChildProcess child = this.children.start("startup-failure");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        assertThat(count(output, "EVENT task=early cause=java.lang.IllegalStateException: failed during start-up"))
            .isOne();
        // the shutdown waited for the start-up to end before closing the context
        assertThat(output.indexOf("SLOW START ENDS")).isPositive().isLessThan(output.indexOf("CLOSED thread="));
    }

    @Test
    void failureWhileTheStartupHangsExitsNonZeroAfterTheGracePeriod() throws Exception {
        ChildProcess child = this.children.start("startup-hang", "--critical-task.shutdown.grace-period=1s");
        assertThat(child.awaitExit()).isEqualTo(1);
        assertThat(child.output()).contains("HANGING START BEGINS")
            .contains("did not finish starting within PT1S of the failure of critical task 'early'")
            .contains("Exiting the process with status 1");
    }

    @Test
    void criticalScheduledMethodFailingOnItsThirdRunExitsWithTheConfiguredCode() throws Exception {
        ChildProcess child = this.children.start("scheduled-fail", "--critical-task.shutdown.exit-code=42");
        assertThat(child.awaitExit()).isEqualTo(42);
        String output = child.output();
        assertThat(output).contains("RUN 1 SUCCEEDED", "RUN 2 SUCCEEDED");
        assertThat(count(output, "EVENT task=ticker.tick cause=java.lang.IllegalStateException: third run failed"))
            .isOne();
        assertThat(output).contains(
                "Critical task 'ticker.tick' crashed: java.lang.IllegalStateException: third run failed",
                "WORKER worker STOPPED GRACEFULLY", "Exiting the process with status 42");
        // Spring's error handler saw it too, as it always does
        assertThat(output).contains("Unexpected error occurred in scheduled task");
    }

    @Test
    void criticalAsyncMethodFailureExitsWithTheConfiguredCode() throws Exception {
        ChildProcess child = this.children.start("async-fail", "--critical-task.shutdown.exit-code=42");
        assertThat(child.awaitExit()).isEqualTo(42);
        String output = child.output();
        assertThat(count(output, "EVENT task=mailer.send cause=java.lang.IllegalStateException: cannot send hello"))
            .isOne();
        assertThat(output).contains("Critical task 'mailer.send' crashed", "WORKER worker STOPPED GRACEFULLY",
                "Exiting the process with status 42");
        // and Spring's default AsyncUncaughtExceptionHandler logged it
        assertThat(output).contains("Unexpected exception occurred invoking async method");
    }

    @Test
    void invalidPropertyFailsStartupWithTheFailureAnalysis() throws Exception {
        ChildProcess child = this.children.start("fail", "--critical-task.shutdown.exit-code=0");
        assertThat(child.awaitExit()).isNotZero();
        assertThat(child.output()).contains("APPLICATION FAILED TO START")
            .contains("Invalid value '0' for configuration property 'critical-task.shutdown.exit-code' "
                    + "(originating from '\"critical-task.shutdown.exit-code\" from property source "
                    + "\"commandLineArgs\"')")
            .contains("Update the property 'critical-task.shutdown.exit-code'")
            .doesNotContain("READY");
    }

    @ParameterizedTest
    @ValueSource(strings = { "--critical-task.threads.virtual=true", "--spring.threads.virtual.enabled=true" })
    void virtualThreadsOnJava21KeepTheServiceAliveAndDrainOnSigterm(String property) throws Exception {
        Path java = ChildProcesses.java21OrLater();
        Assumptions.assumeTrue(java != null, "no Java 21 or later found next to " + System.getProperty("java.home"));
        ChildProcess child = this.children.start(java, "threads", property);
        child.awaitOutput("MAIN RETURNED");
        await().during(Duration.ofSeconds(1)).atMost(Duration.ofSeconds(5)).until(child.process()::isAlive);
        assertThat(child.output()).contains("THREAD class=java.lang.VirtualThread daemon=true");
        child.process().destroy();
        assertThat(child.awaitExit()).isEqualTo(143);
        assertThat(child.output()).contains("WORKER worker STOPPED GRACEFULLY", "Critical tasks stopped gracefully");
    }

    @Test
    void platformThreadsAreDaemonThreadsByDefault() throws Exception {
        ChildProcess child = this.children.start("threads");
        child.awaitOutput("MAIN RETURNED");
        assertThat(child.output()).contains("THREAD class=java.lang.Thread daemon=true");
        child.process().destroy();
        assertThat(child.awaitExit()).isEqualTo(143);
    }

}
