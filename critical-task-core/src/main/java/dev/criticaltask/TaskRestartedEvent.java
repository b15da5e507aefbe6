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

/**
 * An attempt failed and the restart policy runs the task again; the attempt is the one
 * that failed.
 */
@Name("dev.criticaltask.TaskRestarted")
@Label("Critical Task Restarted")
@Description("An attempt of a critical task failed and its restart policy runs it again after a backoff")
final class TaskRestartedEvent extends TaskEvent {

    @Label("Backoff")
    @Timespan(Timespan.NANOSECONDS)
    long backoff;

    @Label("Restarts")
    @Description("How many times the task has been restarted, this restart included")
    int restarts;

}
