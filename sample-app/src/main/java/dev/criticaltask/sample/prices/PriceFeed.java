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
import java.math.BigDecimal;
import java.util.Map;

/** Where prices come from: in a real service, a remote API. */
public interface PriceFeed {

    /**
     * Fetches the current price of every item.
     * @return prices by item
     * @throws IOException when the feed cannot be reached
     */
    Map<String, BigDecimal> fetch() throws IOException;

}
