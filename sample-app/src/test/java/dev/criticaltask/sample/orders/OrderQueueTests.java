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

package dev.criticaltask.sample.orders;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

@Tag("spring")
class OrderQueueTests {

    private static Order order(String id) {
        return new Order(id, "coffee", 1, Instant.EPOCH);
    }

    @Test
    void refusesWhenFullAndHandsOutOldestFirst() throws InterruptedException {
        OrderQueue queue = new OrderQueue(2);
        assertThat(queue.offer(order("a"))).isEqualTo(OrderQueue.Offer.QUEUED);
        assertThat(queue.offer(order("b"))).isEqualTo(OrderQueue.Offer.QUEUED);
        assertThat(queue.offer(order("c"))).isEqualTo(OrderQueue.Offer.FULL);
        assertThat(queue.poll(Duration.ZERO)).extracting(Order::id).isEqualTo("a");
        assertThat(queue.pollNow()).extracting(Order::id).isEqualTo("b");
        assertThat(queue.poll(Duration.ofMillis(10))).isNull();
    }

    @Test
    void closedQueueRefusesOffersButStillHandsOutWhatItHolds() throws InterruptedException {
        OrderQueue queue = new OrderQueue(2);
        queue.offer(order("a"));
        queue.close();
        assertThat(queue.offer(order("b"))).isEqualTo(OrderQueue.Offer.CLOSED);
        assertThat(queue.isClosed()).isTrue();
        assertThat(queue.poll(Duration.ofMinutes(1))).extracting(Order::id).isEqualTo("a");
        // closed and empty: returns at once instead of waiting the minute
        assertThat(queue.poll(Duration.ofMinutes(1))).isNull();
    }

    @Test
    void closeWakesAWaitingConsumer() throws Exception {
        OrderQueue queue = new OrderQueue(1);
        CountDownLatch polling = new CountDownLatch(1);
        CompletableFuture<Order> polled = CompletableFuture.supplyAsync(() -> {
            polling.countDown();
            try {
                return queue.poll(Duration.ofMinutes(5));
            }
            catch (InterruptedException ex) {
                throw new IllegalStateException(ex);
            }
        });
        assertThat(polling.await(10, TimeUnit.SECONDS)).isTrue();
        queue.close();
        // far less than the five minutes the poll would otherwise wait
        assertThat(polled.get(10, TimeUnit.SECONDS)).isNull();
    }

}
