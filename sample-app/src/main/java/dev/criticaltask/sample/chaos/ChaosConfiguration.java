package dev.criticaltask.sample.chaos;

import dev.criticaltask.CriticalTask;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The worker that ignores cancellation, only with {@code sample.chaos.stubborn-worker=true}.
 * ({@code sample.chaos.fail-after} acts in the price feed, {@code sample.chaos.http-enabled} on
 * {@link ChaosController}, whose {@code POST /chaos/lose-order} breaks the ledger audit's invariant.)
 */
@Configuration(proxyBeanMethods = false)
class ChaosConfiguration {

    @Bean
    @ConditionalOnBooleanProperty("sample.chaos.stubborn-worker")
    CriticalTask stubbornWorker() {
        return new StubbornWorker();
    }

}
