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

package dev.criticaltask.sample.prices;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;

import dev.criticaltask.CancellationToken;
import dev.criticaltask.SupervisedTask;
import dev.criticaltask.TaskContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refreshes the {@link PriceCache} from the {@link PriceFeed} once the feed has warmed
 * up, and then every {@code interval}, waiting in
 * {@link CancellationToken#await(Duration)} so that it stops as soon as it is cancelled.
 * It says it is ready ({@link TaskContext#ready()}) once the first prices are in: the
 * service sets {@code critical-task.tasks.priceRefresher.startup.await-ready=true}, so it
 * refuses traffic until then, and the order processor, which depends on it, starts only
 * then.
 *
 * <p>
 * A feed that cannot be reached is fatal: the {@link IOException} leaves {@link #run},
 * the task fails, and the whole service shuts down and exits non-zero, to be restarted
 * clean. Serving orders at stale prices for ever would be worse.
 */
public final class PriceRefresher implements SupervisedTask {

    private static final Logger logger = LoggerFactory.getLogger(PriceRefresher.class);

    private final PriceFeed feed;

    private final PriceCache cache;

    private final Duration interval;

    private final Clock clock;

    private final Duration warmUp;

    /**
     * Creates the refresher.
     * @param feed where prices come from
     * @param cache where they go
     * @param interval time between two fetches
     * @param clock the time of each refresh
     * @param warmUp how long the feed takes before its first answer (simulated: a real
     * feed's first connection)
     */
    public PriceRefresher(PriceFeed feed, PriceCache cache, Duration interval, Clock clock, Duration warmUp) {
        this.feed = feed;
        this.cache = cache;
        this.interval = interval;
        this.clock = clock;
        this.warmUp = warmUp;
    }

    @Override
    public void run(TaskContext context) throws IOException, InterruptedException {
        CancellationToken cancellation = context.cancellation();
        if (!this.warmUp.isZero()) {
            logger.info("Waiting {} for the price feed to warm up", this.warmUp);
            if (cancellation.await(this.warmUp)) {
                return;
            }
        }
        long refreshes = 0;
        do {
            this.cache.replace(this.feed.fetch(), this.clock.instant());
            if (refreshes++ == 0) {
                logger.info("Prices loaded: {}", this.cache.prices());
                context.ready();
            }
            else {
                logger.debug("Prices refreshed: {}", this.cache.prices());
            }
        }
        while (!cancellation.await(this.interval));
        logger.info("Price refresher stopped after {} refresh(es)", refreshes);
    }

}
