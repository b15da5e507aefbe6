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

package dev.criticaltask.reliability.spring;

import static dev.criticaltask.testsupport.ChildProcesses.count;
import static dev.criticaltask.testsupport.ChildProcesses.errorLogs;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.criticaltask.testsupport.ChildProcess;
import dev.criticaltask.testsupport.ChildProcesses;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Faults of issue 5 where the process exit is the point: each runs
 * {@link FaultApplication} in a JVM of its own, on the test classpath, and must end with
 * one shutdown, the right exit code, no hang (60 s bound) and every exception logged.
 */
@Tag("spring")
@Tag("child-jvm")
class SpringFaultProcessTest {

    @RegisterExtension
    final ChildProcesses children = new ChildProcesses(FaultApplication.class);

    @Test
    void fiftyTasksFailingAtOnceShutDownOnceWithEveryFailureLoggedOnce() throws Exception {
        ChildProcess child = children.start("fifty-failures");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        assertThat(count(output, "EVENT task=")).as(output).isOne();
        assertThat(count(output, "CLOSED thread=")).isOne();
        assertThat(count(output, "Exiting the process with status 1")).isOne();
        for (int i = 0; i < FaultApplication.FIFTY; i++) {
            assertThat(errorLogs(output, "Critical task 'failing" + i + "' crashed")).as("failure %d logged", i)
                .isOne();
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
        ChildProcess child = children.start("throwing-event-listener");
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
        ChildProcess child = children.start("out-of-memory");
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
        ChildProcess child = children.start("bean-creation-throws");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        assertThat(output).as(output)
            .contains("cannot create this task")
            .doesNotContain("READY", "EVENT task=", "MAIN RETURNED");
        // the refresh never reached the lifecycle: no task ran, nothing to stop
        assertThat(output).doesNotContain("WORKER worker STOPPED");
    }

    @Test
    void taskFailingWhileARunnerFailsEndsOnceWithOne() throws Exception {
        ChildProcess child = children.start("runner-fails-with-task");
        assertThat(child.awaitExit()).isEqualTo(1);
        String output = child.output();
        // the runner's exception must be logged, not cut short by the task failure's
        // System.exit
        assertThat(output).as(output).contains("java.lang.IllegalStateException: runner fails");
        assertThat(errorLogs(output, "Critical task 'failing' crashed")).isOne();
        assertThat(count(output, "CLOSED thread=")).isOne();
        assertThat(output).doesNotContain("MAIN RETURNED");
    }

}
