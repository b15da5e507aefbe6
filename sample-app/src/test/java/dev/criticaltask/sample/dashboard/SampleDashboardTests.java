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

package dev.criticaltask.sample.dashboard;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import javax.imageio.ImageIO;

import com.jayway.jsonpath.JsonPath;
import dev.criticaltask.sample.SampleApplication;
import dev.criticaltask.spring.CriticalTaskFailedEvent;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The Grafana dashboard in {@code docs/dashboard} against the sample as it really runs:
 * the sample starts with a price feed that goes down after two seconds and a restart
 * budget for its refresher, serves {@code /actuator/prometheus} for a while (scraped over
 * HTTP every 250 ms), then fails for good over {@code POST /chaos/fail}, scraped once
 * more while the failure is being published and the server still answers. Every query of
 * every panel must name a series one of those scrapes served, and the panels' queries,
 * evaluated over the scrapes, are drawn to a PNG
 * ({@code target/dashboard/critical-task-dashboard.png}; also to the path in the system
 * property {@code dashboard.picture} when it is set, which is how the picture in the docs
 * is made).
 */
@Tag("spring")
class SampleDashboardTests {

    private static final Path DASHBOARD = Path.of("..", "docs", "dashboard", "critical-task-dashboard.json");

    private static final int SCRAPES = 60;

    private static final Duration SCRAPE_INTERVAL = Duration.ofMillis(250);

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @Test
    void everyPanelQueryNamesASeriesTheSampleServesAndThePanelsAreDrawnFromARealRun() throws Exception {
        String dashboard = Files.readString(DASHBOARD);
        List<Map<String, Object>> panels = JsonPath.read(dashboard, "$.panels[*]");
        assertThat(panels).isNotEmpty();

        List<Scrape> scrapes = new CopyOnWriteArrayList<>();
        AtomicInteger port = new AtomicInteger();
        long start = System.nanoTime();
        ConfigurableApplicationContext context = new SpringApplicationBuilder(SampleApplication.class)
            .properties("server.port=0", "spring.main.banner-mode=off", "sample.chaos.http-enabled=true",
                    // a restart every half second or so, each one logged: only the errors
                    // here
                    "logging.level.dev.criticaltask.CriticalTaskRegistry=error")
            .listeners((ApplicationListener<CriticalTaskFailedEvent>) (event) -> {
                // before the context closes: the server still answers
                scrapes.add(scrape(port.get(), start));
            })
            .run("--sample.chaos.fail-after=2s", "--sample.prices.refresh-interval=200ms",
                    "--sample.orders.audit.interval=300ms", "--sample.heartbeat.interval=1s",
                    "--critical-task.tasks.priceRefresher.restart.max-restarts=1000",
                    "--critical-task.tasks.priceRefresher.restart.within=1m",
                    "--critical-task.tasks.priceRefresher.restart.backoff.initial=100ms",
                    "--critical-task.tasks.priceRefresher.restart.backoff.max=200ms");
        try {
            port.set(context.getEnvironment().getRequiredProperty("local.server.port", Integer.class));
            for (int i = 0; i < SCRAPES; i++) {
                long next = System.nanoTime() + SCRAPE_INTERVAL.toNanos();
                scrapes.add(scrape(port.get(), start));
                await().atMost(SCRAPE_INTERVAL.multipliedBy(2)).until(() -> System.nanoTime() >= next);
            }
            HttpResponse<String> failing = post(port.get(), "/chaos/fail");
            assertThat(failing.statusCode()).isEqualTo(202);
            await().atMost(Duration.ofSeconds(60)).until(() -> !context.isActive());
        }
        finally {
            context.close();
        }
        assertThat(scrapes).hasSize(SCRAPES + 1);

        List<DashboardPicture.Panel> drawn = new ArrayList<>();
        for (Map<String, Object> panel : panels) {
            List<Map<String, Object>> targets = JsonPath.read(panel, "$.targets[*]");
            assertThat(targets).as("targets of %s", panel.get("title")).isNotEmpty();
            Map<String, double[]> lines = new LinkedHashMap<>();
            for (Map<String, Object> target : targets) {
                PanelQuery query = PanelQuery.parse((String) target.get("expr"));
                assertThat(scrapes).as("a scrape serving %s, for %s", query.series(), query.expr())
                    .anyMatch((scrape) -> scrape.serves(query.series()));
                lines.putAll(query.evaluate(scrapes, (String) target.getOrDefault("legendFormat", "")));
            }
            drawn.add(new DashboardPicture.Panel((String) panel.get("title"), lines));
        }

        double[] times = scrapes.stream().mapToDouble(Scrape::at).toArray();
        Path picture = Path.of("target", "dashboard", "critical-task-dashboard.png");
        DashboardPicture
            .write(JsonPath.read(dashboard, "$.title") + " — the sample, " + Math.round(times[times.length - 1])
                    + " s: a price feed down after 2 s, restarts, then POST /chaos/fail", drawn, times, picture);
        assertThat(ImageIO.read(picture.toFile()).getWidth()).isPositive();
        String copy = System.getProperty("dashboard.picture");
        if (copy != null && !copy.isBlank()) {
            Files.copy(picture, Path.of(copy), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private Scrape scrape(int port, long start) {
        try {
            HttpResponse<String> response = this.http
                .send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/actuator/prometheus"))
                    .timeout(Duration.ofSeconds(10))
                    .GET()
                    .build(), HttpResponse.BodyHandlers.ofString());
            assertThat(response.statusCode()).isEqualTo(200);
            return Scrape.parse((System.nanoTime() - start) / 1e9, response.body());
        }
        catch (java.io.IOException ex) {
            throw new java.io.UncheckedIOException(ex);
        }
        catch (InterruptedException ex) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(ex);
        }
    }

    private HttpResponse<String> post(int port, String path) throws Exception {
        return this.http.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path))
            .timeout(Duration.ofSeconds(10))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(""))
            .build(), HttpResponse.BodyHandlers.ofString());
    }

}
