package dev.criticaltask.sample.chaos;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.criticaltask.CriticalTaskRegistry;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * {@code POST /chaos/fail}: spawns, at run time, a critical task that crashes at once, which shuts
 * the whole service down. It shows that tasks spawned on the registry by application code are as
 * critical as the {@code @Bean} ones.
 *
 * <p>It exists only with {@code sample.chaos.http-enabled=true}: by default no HTTP request can make
 * anything fail (the path answers 404).
 */
@RestController
@ConditionalOnBooleanProperty("sample.chaos.http-enabled")
class ChaosController {

    private final CriticalTaskRegistry registry;

    private final AtomicInteger requests = new AtomicInteger();

    ChaosController(CriticalTaskRegistry registry) {
        this.registry = registry;
    }

    @PostMapping("/chaos/fail")
    ResponseEntity<Map<String, String>> fail() {
        String name = "chaos-" + this.requests.incrementAndGet();
        try {
            this.registry.spawn(name, (cancellation) -> {
                throw new IllegalStateException("chaos: failure requested over HTTP (POST /chaos/fail)");
            }).detach();
        }
        catch (IllegalStateException ex) {
            // the registry refuses spawns once it has begun to stop
            return ResponseEntity.status(HttpStatus.CONFLICT).body(Map.of("error", String.valueOf(ex.getMessage())));
        }
        return ResponseEntity.accepted().body(Map.of("task", name, "result", "crashing; the service shuts down"));
    }

}
