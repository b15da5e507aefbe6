package dev.criticaltask.sample;

import java.math.BigDecimal;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.jayway.jsonpath.DocumentContext;
import com.jayway.jsonpath.JsonPath;
import dev.criticaltask.sample.prices.PriceCache;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The whole service, in-process, with its real configuration: the workers run, orders flow, and
 * the actuator shows every worker. No task fails here, so the cached context stays usable.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT)
class SampleApplicationTests {

    private static final List<String> WORKERS = List.of("orderProcessor", "priceRefresher", "heartbeat");

    @LocalServerPort
    private int port;

    @Autowired
    private PriceCache prices;

    @Test
    void healthListsEveryWorkerAndTheProbesIncludeThem() throws Exception {
        DocumentContext health = json(Http.get(this.port, "/actuator/health"), 200);
        assertThat(health.read("$.status", String.class)).isEqualTo("UP");
        Map<String, Object> tasks = health.read("$.components.criticalTasks.components");
        assertThat(tasks).containsOnlyKeys(WORKERS);
        for (String worker : WORKERS) {
            assertThat(health.read("$.components.criticalTasks.components." + worker + ".status", String.class))
                .isEqualTo("UP");
            assertThat(health.read("$.components.criticalTasks.components." + worker + ".details.state", String.class))
                .isEqualTo("RUNNING");
        }
        for (String probe : List.of("liveness", "readiness")) {
            DocumentContext group = json(Http.get(this.port, "/actuator/health/" + probe), 200);
            Map<String, Object> components = group.read("$.components");
            assertThat(components).containsKey("criticalTasks");
            Map<String, Object> groupTasks = group.read("$.components.criticalTasks.components");
            assertThat(groupTasks).containsOnlyKeys(WORKERS);
        }
    }

    @Test
    void criticalTasksEndpointListsEveryWorker() throws Exception {
        DocumentContext endpoint = json(Http.get(this.port, "/actuator/criticaltasks"), 200);
        List<String> names = endpoint.read("$.tasks[*].name");
        List<String> states = endpoint.read("$.tasks[*].state");
        assertThat(names).containsExactlyInAnyOrderElementsOf(WORKERS);
        assertThat(states).containsOnly("RUNNING");
    }

    @Test
    void postedOrderIsProcessed() throws Exception {
        await().atMost(Duration.ofSeconds(30)).until(() -> this.prices.refreshedAt().isPresent());
        HttpResponse<String> posted = Http.postJson(this.port, "/orders", "{\"item\":\"coffee\",\"quantity\":3}");
        DocumentContext order = json(posted, 202);
        String id = order.read("$.id");
        assertThat(posted.headers().firstValue("Location")).hasValue("/orders/" + id);

        await().atMost(Duration.ofSeconds(30))
            .until(() -> json(Http.get(this.port, "/orders/" + id), 200).read("$.status", String.class),
                    "PROCESSED"::equals);
        BigDecimal total = new BigDecimal(json(Http.get(this.port, "/orders/" + id), 200).read("$.total").toString());
        assertThat(total).isPositive();
    }

    @Test
    void invalidOrderIsRefusedAndUnknownItemIsRejectedWithoutHarmingTheWorker() throws Exception {
        assertThat(Http.postJson(this.port, "/orders", "{\"item\":\"\",\"quantity\":0}").statusCode()).isEqualTo(400);
        await().atMost(Duration.ofSeconds(30)).until(() -> this.prices.refreshedAt().isPresent());
        String id = json(Http.postJson(this.port, "/orders", "{\"item\":\"pizza\",\"quantity\":1}"), 202).read("$.id");
        await().atMost(Duration.ofSeconds(30))
            .until(() -> json(Http.get(this.port, "/orders/" + id), 200).read("$.status", String.class),
                    "REJECTED"::equals);
        assertThat(json(Http.get(this.port, "/actuator/health/criticalTasks/orderProcessor"), 200)
            .read("$.status", String.class)).isEqualTo("UP");
        assertThat(Http.get(this.port, "/orders/no-such-order").statusCode()).isEqualTo(404);
    }

    @Test
    void prometheusCarriesTheCriticalTaskSeries() throws Exception {
        HttpResponse<String> scrape = Http.get(this.port, "/actuator/prometheus");
        assertThat(scrape.statusCode()).isEqualTo(200);
        for (String worker : WORKERS) {
            assertThat(scrape.body()).contains("critical_task_active_seconds_count{task=\"" + worker + "\"} 1");
        }
        assertThat(scrape.body()).contains("critical_task_abandoned_tasks_total");
        assertThat(scrape.body()).contains("sample_heartbeats_beats_total");
    }

    @Test
    void noHttpRequestCanFailAWorkerByDefault() throws Exception {
        assertThat(Http.postJson(this.port, "/chaos/fail", "").statusCode()).isEqualTo(404);
    }

    private static DocumentContext json(HttpResponse<String> response, int expectedStatus) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(expectedStatus);
        return JsonPath.parse(response.body());
    }

}
