package dev.criticaltask.spring.health;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import dev.criticaltask.CriticalTaskHandle;
import dev.criticaltask.CriticalTaskRegistry;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.health.contributor.HealthContributor;

/**
 * One {@link CriticalTaskHealthIndicator} per task of a registry.
 *
 * <p>The entries are read from the registry on every call rather than fixed when the bean is
 * created: tasks start only once the context has started, and user code may spawn more at run
 * time. When a finished task and a live one share a name, the most recent wins, as in
 * {@link CriticalTaskRegistry#find(String)}.
 */
final class CriticalTasksHealthContributor implements CompositeHealthContributor {

    private final CriticalTaskRegistry registry;

    CriticalTasksHealthContributor(CriticalTaskRegistry registry) {
        this.registry = registry;
    }

    @Override
    public @Nullable HealthContributor getContributor(String name) {
        return registry.find(name).map(CriticalTaskHealthIndicator::new).orElse(null);
    }

    @Override
    public Stream<Entry> stream() {
        // tasks() lists finished tasks first, then live ones: the last handle of a name is the newest
        Map<String, CriticalTaskHandle> newestByName = new LinkedHashMap<>();
        for (CriticalTaskHandle task : registry.tasks()) {
            newestByName.put(task.description(), task);
        }
        return newestByName.values()
            .stream()
            .map(task -> new Entry(task.description(), new CriticalTaskHealthIndicator(task)));
    }

}
