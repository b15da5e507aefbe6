package dev.criticaltask.sample;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import dev.criticaltask.TaskState;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import io.micrometer.core.instrument.MeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * {@code POST /chaos/fail}, switched on, takes the whole service down: the run-time task fails,
 * the event is published once, the failure is counted, every worker stops and the context closes. Inside a test the JVM is
 * not exited (the packaged application's exit code is {@code SampleApplicationIT}'s business).
 *
 * <p>Deliberately not a {@code @SpringBootTest}: the failure closes the context, and the
 * TestContext framework of Spring Framework 7 then fails the test's own after-callbacks when it
 * tries to restart the closed context it cached, even with {@code @DirtiesContext}. A context the
 * test starts and closes itself has no such cache.
 */
class ChaosOverHttpTests {

    @Test
    void failureRequestedOverHttpShutsTheServiceDown() throws Exception {
        List<CriticalTaskFailedEvent> events = new CopyOnWriteArrayList<>();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
            .properties("server.port=0", "spring.main.banner-mode=off", "sample.chaos.http-enabled=true")
            .listeners((ApplicationListener<CriticalTaskFailedEvent>) events::add)
            .run();
        try {
            int port = context.getEnvironment().getRequiredProperty("local.server.port", Integer.class);
            CriticalTaskRegistry registry = context.getBean(CriticalTaskRegistry.class);
            MeterRegistry meters = context.getBean(MeterRegistry.class);

            assertThat(Http.postJson(port, "/chaos/fail", "").statusCode()).isEqualTo(202);

            await().atMost(Duration.ofSeconds(60)).until(() -> !context.isActive());
            assertThat(events).singleElement()
                .satisfies((event) -> assertThat(event.getTaskName()).isEqualTo("chaos-1"));
            assertThat(registry.firstFailure()).hasValueSatisfying(
                    (failure) -> assertThat(failure.getCause()).hasMessageContaining("POST /chaos/fail"));
            assertThat(meters.get("critical.task.failures").tags("task", "chaos-1", "exception", "IllegalStateException")
                .counter()
                .count()).isEqualTo(1);
            for (String worker : List.of("orderProcessor", "priceRefresher", "heartbeat")) {
                assertThat(registry.find(worker)).map(CriticalTaskHandle::state).hasValue(TaskState.CANCELLED);
            }
        }
        finally {
            context.close();
        }
    }

}
