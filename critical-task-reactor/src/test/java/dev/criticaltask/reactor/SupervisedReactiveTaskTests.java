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

package dev.criticaltask.reactor;

import java.time.Duration;
import java.util.List;

import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.CriticalTaskSpec;
import dev.criticaltask.TaskState;
import dev.criticaltask.testsupport.SilentLogger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A {@link SupervisedReactiveTask} says it is ready through its context (issue 15): its
 * dependents start only then, and a cancel still ends its subscription.
 */
@Tag("reactor")
class SupervisedReactiveTaskTests {

    private final CriticalTaskRegistry registry = CriticalTaskRegistry.builder()
        .daemonThreads(true)
        .logger(new SilentLogger())
        .build();

    @AfterEach
    void stopRegistry() throws InterruptedException {
        this.registry.stop(Duration.ofSeconds(10));
    }

    @Test
    void theFirstElementMakesTheTaskReadyAndItsDependentStartsOnlyThen() throws Exception {
        Sinks.Many<String> quotes = Sinks.many().multicast().onBackpressureBuffer();
        SupervisedReactiveTask feed = (context) -> quotes.asFlux().doOnNext((quote) -> context.ready());
        List<CriticalTaskHandle> handles = this.registry.spawnAll(List.of(
                CriticalTaskSpec.supervisedAsync("quotes", SupervisedReactiveTask.asAsync(feed)).withAwaitReady(true),
                CriticalTaskSpec.of("orders", (token) -> token.await()).withDependsOn("quotes")));
        await().until(() -> handles.get(0).startedAt().isPresent() && quotes.currentSubscriberCount() == 1);
        assertThat(handles.get(0).isReady()).isFalse();
        assertThat(handles.get(1).startedAt()).isEmpty();

        quotes.tryEmitNext("tea 2.80");

        await().until(() -> handles.get(1).isReady());
        assertThat(handles.get(0).isReady()).isTrue();
        handles.get(0).cancel();
        handles.get(0).join();
        assertThat(handles.get(0).state()).isEqualTo(TaskState.CANCELLED);
        assertThat(quotes.currentSubscriberCount()).as("the subscription is cancelled").isZero();
    }

    @Test
    void aNullPublisherIsAFailureNamingTheContract() throws Exception {
        CriticalTaskHandle task = this.registry.spawn(CriticalTaskSpec.supervisedAsync("broken",
                SupervisedReactiveTask.asAsync((context) -> (Flux<?>) null)));
        await().until(task::isFinished);
        assertThat(task.failure().orElseThrow().getCause()).isInstanceOf(NullPointerException.class)
            .hasMessage("SupervisedReactiveTask.run returned null instead of a Publisher");
    }

}
