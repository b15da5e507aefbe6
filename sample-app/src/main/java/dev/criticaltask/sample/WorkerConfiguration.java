package dev.criticaltask.sample;

import java.time.Clock;

import dev.criticaltask.CriticalTask;
import dev.criticaltask.sample.orders.OrderLedger;
import dev.criticaltask.sample.orders.OrderProcessor;
import dev.criticaltask.sample.orders.OrderQueue;
import dev.criticaltask.sample.prices.PriceCache;
import dev.criticaltask.sample.prices.PriceFeed;
import dev.criticaltask.sample.prices.PriceRefresher;
import dev.criticaltask.sample.prices.SimulatedPriceFeed;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The shared state of the service and its three critical workers. Each {@code CriticalTask} bean is
 * started by the critical-task starter under its bean name: {@code orderProcessor},
 * {@code priceRefresher} and {@code heartbeat} are the names health, metrics and logs use.
 */
@Configuration(proxyBeanMethods = false)
class WorkerConfiguration {

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }

    @Bean
    OrderQueue orderQueue(SampleProperties properties) {
        return new OrderQueue(properties.orders().queueCapacity());
    }

    @Bean
    OrderLedger orderLedger() {
        return new OrderLedger();
    }

    @Bean
    PriceCache priceCache() {
        return new PriceCache();
    }

    @Bean
    PriceFeed priceFeed(SampleProperties properties) {
        return new SimulatedPriceFeed(properties.chaos().failAfter());
    }

    @Bean
    CriticalTask orderProcessor(OrderQueue orderQueue, OrderLedger orderLedger, PriceCache priceCache,
            SampleProperties properties, Clock clock) {
        return new OrderProcessor(orderQueue, orderLedger, priceCache, properties.orders().drainTimeout(), clock);
    }

    @Bean
    CriticalTask priceRefresher(PriceFeed priceFeed, PriceCache priceCache, SampleProperties properties,
            Clock clock) {
        return new PriceRefresher(priceFeed, priceCache, properties.prices().refreshInterval(), clock);
    }

    @Bean
    CriticalTask heartbeat(OrderQueue orderQueue, PriceCache priceCache, SampleProperties properties,
            MeterRegistry meterRegistry, Clock clock) {
        return new Heartbeat(orderQueue, priceCache, properties.heartbeat().interval(), meterRegistry, clock);
    }

}
