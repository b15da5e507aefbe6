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

import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;
import org.jspecify.annotations.Nullable;

/** A task missed its heartbeat; committed on the supervision timer's thread. */
@Name("dev.criticaltask.TaskStalled")
@Label("Critical Task Stalled")
@Description("A critical task went longer than its heartbeat timeout without a heartbeat")
final class TaskStalledEvent extends TaskEvent {

    @Label("Silent For")
    @Timespan(Timespan.NANOSECONDS)
    long silentFor;

    @Label("Timeout")
    @Timespan(Timespan.NANOSECONDS)
    long timeout;

    @Label("On Stall")
    @Description("REPORT or FAIL: whether the stall is only reported or fails the attempt")
    @Nullable String onStall;

    @Label("Task Stack")
    @Description("Where the task's thread was when the stall was found, one frame per line")
    @Nullable String stack;

}
