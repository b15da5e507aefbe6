package dev.criticaltask.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/** A bounded HTTP client for the tests: every request times out. */
final class Http {

    // HttpClient is AutoCloseable only from Java 21: one client for the test JVM's lifetime.
    private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private Http() {
    }

    static HttpResponse<String> get(int port, String path) throws IOException, InterruptedException {
        return send(request(port, path).GET().build());
    }

    static HttpResponse<String> postJson(int port, String path, String json) throws IOException, InterruptedException {
        return send(request(port, path).header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build());
    }

    private static HttpRequest.Builder request(int port, String path) {
        return HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10));
    }

    private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
        return CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
    }

}
