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

package dev.criticaltask.sample;

import java.time.Clock;

import dev.criticaltask.CriticalTask;
import dev.criticaltask.sample.orders.OrderLedger;
import dev.criticaltask.sample.orders.OrderLedgerAudit;
import dev.criticaltask.sample.orders.OrderProcessor;
import dev.criticaltask.sample.orders.OrderQueue;
import dev.criticaltask.sample.prices.PriceCache;
import dev.criticaltask.sample.prices.PriceFeed;
import dev.criticaltask.sample.prices.PriceRefresher;
import dev.criticaltask.sample.prices.SimulatedPriceFeed;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * The shared state of the service, its three critical workers and its critical scheduled
 * job. Each {@code CriticalTask} (or {@code SupervisedTask}) bean is started by the
 * critical-task starter under its bean name: {@code orderProcessor},
 * {@code priceRefresher} and {@code heartbeat} are the names health, metrics and logs
 * use. The ledger audit is a {@code @Critical @Scheduled} method, run by Spring's
 * scheduler (Boot's auto-configured one) and supervised as the critical task
 * {@code orderLedgerAudit.audit}.
 */
@Configuration(proxyBeanMethods = false)
@EnableScheduling
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
    OrderLedgerAudit orderLedgerAudit(OrderLedger orderLedger, OrderQueue orderQueue, SampleProperties properties,
            Clock clock) {
        return new OrderLedgerAudit(orderLedger, orderQueue, properties.orders().audit().maxPendingAge(), clock);
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
    PriceRefresher priceRefresher(PriceFeed priceFeed, PriceCache priceCache, SampleProperties properties,
            Clock clock) {
        return new PriceRefresher(priceFeed, priceCache, properties.prices().refreshInterval(), clock,
                properties.prices().warmUp());
    }

    @Bean
    CriticalTask heartbeat(OrderQueue orderQueue, PriceCache priceCache, SampleProperties properties,
            MeterRegistry meterRegistry, Clock clock) {
        return new Heartbeat(orderQueue, priceCache, properties.heartbeat().interval(), meterRegistry, clock);
    }

}
