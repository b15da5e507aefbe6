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

import dev.criticaltask.spring.lifecycle.ProcessExit;
import org.junit.platform.launcher.LauncherSession;
import org.junit.platform.launcher.LauncherSessionListener;

/**
 * Marks this JVM as a test JVM as soon as a JUnit Platform launcher session opens in it,
 * by setting the {@value ProcessExit#TEST_JVM_PROPERTY} system property: from then on no
 * task failure exits the process, whichever thread started the context that it belongs
 * to. Maven Surefire, Gradle and the IDEs all open such a session; the launcher finds
 * this listener through {@code META-INF/services}, so a JVM without the launcher never
 * loads it.
 *
 * <p>
 * The mark is never taken back: a context that a test started may outlive the session.
 */
public final class CriticalTaskLauncherSessionListener implements LauncherSessionListener {

    /**
     * Creates the listener; the JUnit Platform loads it through {@code ServiceLoader}.
     */
    public CriticalTaskLauncherSessionListener() {
    }

    /**
     * Marks the JVM as a test JVM.
     * @param session the session that opened
     */
    @Override
    public void launcherSessionOpened(LauncherSession session) {
        System.setProperty(ProcessExit.TEST_JVM_PROPERTY, "true");
    }

}
