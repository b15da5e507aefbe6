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

/**
 * A task outlived a stop's grace period and is about to be interrupted; committed on the
 * stopping thread.
 */
@Name("dev.criticaltask.TaskStraggler")
@Label("Critical Task Straggler")
@Description("A critical task still ran when its registry's stop grace period ran out")
final class TaskStragglerEvent extends TaskEvent {

    @Label("Grace Period")
    @Timespan(Timespan.NANOSECONDS)
    long grace;

    @Label("Task Stack")
    @Description("Where the task's thread was when the grace period ran out, one frame per line")
    @Nullable String stack;

}
