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

package dev.criticaltask.spring.autoconfigure.leadership;

import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

import dev.criticaltask.SupervisedTask;
import dev.criticaltask.TaskContext;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A task bean {@code keeper} that records the context of each of its runs and runs until
 * cancelled: what the leadership tests give a role to.
 */
@Configuration(proxyBeanMethods = false)
class RecordingKeeper {

    final BlockingQueue<TaskContext> runs = new LinkedBlockingQueue<>();

    @Bean
    SupervisedTask keeper() {
        return (context) -> {
            this.runs.add(context);
            context.cancellation().await();
        };
    }

}
