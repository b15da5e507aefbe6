package dev.criticaltask.sample.prices;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.Map;

/** Where prices come from: in a real service, a remote API. */
public interface PriceFeed {

    /**
     * Fetches the current price of every item.
     *
     * @return prices by item
     * @throws IOException when the feed cannot be reached
     */
    Map<String, BigDecimal> fetch() throws IOException;

}
