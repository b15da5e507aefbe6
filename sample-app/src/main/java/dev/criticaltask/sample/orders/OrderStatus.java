package dev.criticaltask.sample.orders;

/** Where an order is. Only {@link #ACCEPTED} is not final. */
public enum OrderStatus {

    /** Queued, waiting for the processor. */
    ACCEPTED,

    /** Priced and done. */
    PROCESSED,

    /** Processed, but refused: its item has no price. */
    REJECTED,

    /** Accepted, but the service stopped before it was processed: handed back and logged. */
    NOT_PROCESSED

}
