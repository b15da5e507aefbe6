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

package dev.criticaltask;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.StackTrace;
import org.jspecify.annotations.Nullable;

/**
 * The fields every JFR event of a task carries. The event's own stack trace is off: the
 * thread that commits an event (the supervision timer for a stall, the stopping thread
 * for a straggler) is rarely the task's, so where it matters the event carries the task
 * thread's stack as a field instead.
 */
@Category("critical-task")
@StackTrace(false)
abstract class TaskEvent extends Event {

    @Label("Task")
    @Description("The task's name")
    @Nullable String taskName;

    @Label("Attempt")
    @Description("The attempt the event is about, from 1")
    int attempt;

    @Label("Cause Class")
    @Description("The class of the throwable the event is about, if any")
    @Nullable String causeClass;

    @Label("Task Thread")
    @Description("The thread the task ran on at the time, if it held one")
    @Nullable Thread thread;

}
