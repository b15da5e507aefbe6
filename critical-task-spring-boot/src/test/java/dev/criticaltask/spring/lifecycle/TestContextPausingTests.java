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

package dev.criticaltask.spring.lifecycle;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;

import dev.criticaltask.CriticalTask;
import dev.criticaltask.spring.autoconfigure.CriticalTaskAutoConfiguration;
import org.junit.jupiter.api.ClassOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.Launcher;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.test.annotation.DirtiesContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.EngineFilter.includeEngines;

/**
 * A real TestContext run, as a user's suite has it: two {@code @SpringBootTest} classes
 * of different configurations, then the first configuration again. The TestContext
 * framework pauses the inactive cached context on each switch
 * ({@code spring.test.context.cache.pause}, default {@code ON_CONTEXT_SWITCH}) and
 * restarts it when it is used again: the first context's workers do not run while the
 * second class runs, and run again afterwards (issue #12).
 */
@Tag("spring")
class TestContextPausingTests {

    /** How many workers of each application run right now. */
    static final Map<String, AtomicInteger> running = new ConcurrentHashMap<>();

    /** How many times each application's worker started. */
    static final Map<String, AtomicInteger> starts = new ConcurrentHashMap<>();

    @Test
    void whenTheTestContextFrameworkSwitchesContextsShouldPauseTheInactiveOnesWorkers() {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
            .selectors(selectClass(FirstApplicationTests.class), selectClass(SecondApplicationTests.class),
                    selectClass(FirstApplicationAgainTests.class))
            .filters(includeEngines("junit-jupiter"))
            .configurationParameter("junit.jupiter.testclass.order.default",
                    ClassOrderer.OrderAnnotation.class.getName())
            .build();
        Launcher launcher = LauncherFactory.create();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();

        launcher.execute(request, listener);

        TestExecutionSummary summary = listener.getSummary();
        assertThat(summary.getFailures())
            .as(() -> summary.getFailures()
                .stream()
                .map((failure) -> failure.getTestIdentifier().getDisplayName() + ": " + failure.getException())
                .collect(Collectors.joining("\n")))
            .isEmpty();
        assertThat(summary.getTestsSucceededCount()).isEqualTo(3);
        // @DirtiesContext closed both contexts: nothing of the inner run is left running
        assertThat(count(running, "first")).isZero();
        assertThat(count(running, "second")).isZero();
    }

    static int count(Map<String, AtomicInteger> counts, String application) {
        return counts.computeIfAbsent(application, (key) -> new AtomicInteger()).get();
    }

    static CriticalTask worker(String application) {
        return (token) -> {
            count(starts, application);
            starts.get(application).incrementAndGet();
            count(running, application);
            running.get(application).incrementAndGet();
            try {
                token.await();
            }
            finally {
                running.get(application).decrementAndGet();
            }
        };
    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CriticalTaskAutoConfiguration.class)
    static class FirstApplication {

        @Bean
        CriticalTask firstWorker() {
            return worker("first");
        }

    }

    @SpringBootConfiguration(proxyBeanMethods = false)
    @ImportAutoConfiguration(CriticalTaskAutoConfiguration.class)
    static class SecondApplication {

        @Bean
        CriticalTask secondWorker() {
            return worker("second");
        }

    }

    @Order(1)
    @SpringBootTest(classes = FirstApplication.class)
    static class FirstApplicationTests {

        @Test
        void whenTheFirstContextRunsShouldRunItsWorker() {
            await().until(() -> count(running, "first") == 1);
            assertThat(count(starts, "first")).isOne();
        }

    }

    @Order(2)
    @SpringBootTest(classes = SecondApplication.class)
    @DirtiesContext
    static class SecondApplicationTests {

        @Test
        void whenTheSecondContextRunsShouldHaveStoppedTheFirstOnesWorker() {
            await().until(() -> count(running, "second") == 1);
            // the pause is over before this context was handed out: no wait needed
            assertThat(count(running, "first")).isZero();
        }

    }

    @Order(3)
    @SpringBootTest(classes = FirstApplication.class)
    @DirtiesContext
    static class FirstApplicationAgainTests {

        @Test
        void whenTheFirstContextIsUsedAgainShouldRunItsWorkerAgain() {
            // the cached context, restarted: a second start of the same worker bean
            await().until(() -> count(running, "first") == 1);
            assertThat(count(starts, "first")).isEqualTo(2);
            assertThat(count(running, "second")).isZero();
        }

    }

}
