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

package dev.criticaltask.spring.test;

import java.util.Arrays;

import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.engine.discovery.DiscoverySelectors;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import static org.junit.platform.launcher.EngineFilter.includeEngines;

/**
 * A test run as a user's build has one, in a JVM of its own: runs the test classes named
 * by the arguments through the JUnit Platform launcher, as Surefire does, and prints a
 * line per test and a summary, then ends the JVM as Surefire's fork does. A JVM that a
 * test kills never prints {@code RUN
 * COMPLETED}.
 */
public final class UserTestRun {

    /** The system property that enables the user test classes, outside this run off. */
    static final String ENABLED = "dev.criticaltask.user-test-run";

    private UserTestRun() {
    }

    public static void main(String[] args) {
        System.setProperty(ENABLED, "true");
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener summary = new SummaryGeneratingListener();
        launcher.execute(LauncherDiscoveryRequestBuilder.request()
            .selectors(Arrays.stream(args).map(DiscoverySelectors::selectClass).toList())
            .filters(includeEngines("junit-jupiter"))
            .configurationParameter("junit.jupiter.testclass.order.default",
                    "org.junit.jupiter.api.ClassOrderer$OrderAnnotation")
            .build(), summary, new Results());
        TestExecutionSummary result = summary.getSummary();
        System.out.println("RUN COMPLETED succeeded=" + result.getTestsSucceededCount() + " failed="
                + result.getTestsFailedCount() + " containersFailed=" + result.getContainersFailedCount());
        System.out.println("NON-DAEMON THREADS " + Thread.getAllStackTraces()
            .keySet()
            .stream()
            .filter((thread) -> thread.isAlive() && !thread.isDaemon())
            .map(Thread::getName)
            .sorted()
            .toList());
        // as Surefire's forked booter ends its JVM; the cached contexts close in their
        // shutdown hooks
        System.exit(0);
    }

    /** Prints each test's and each class's result. */
    static final class Results implements TestExecutionListener {

        @Override
        public void executionFinished(TestIdentifier identifier, TestExecutionResult result) {
            String name = identifier.getLegacyReportingName();
            System.out.println("RESULT " + (identifier.isTest() ? "test " : "container ") + name + " "
                    + result.getStatus() + result.getThrowable().map((thrown) -> " " + thrown).orElse(""));
        }

    }

}
