package io.heraldmq.server.metrics;

/**
 * What one subscription's dispatcher in one partition counts, kept in the dispatcher and written only on the
 * partition's context ({@link OwnedLong}); meters read them when scraped. Counters run from when the dispatcher
 * opened in this process.
 */
public final class SubscriptionFigures {
    /** Deliveries that were not the record's first (JMSRedelivered). */
    public final OwnedLong redelivered = new OwnedLong();
    /** Records skipped because their JMSExpiration had passed. */
    public final OwnedLong expired = new OwnedLong();
    /** Records moved to the dead-letter queue. */
    public final OwnedLong deadLettered = new OwnedLong();
    /** Deliveries not yet settled by their consumer. */
    public final OwnedLong inFlight = new OwnedLong();
    public final OwnedLong consumers = new OwnedLong();
    /** Records settled: the committed offset plus those settled above it; the backlog is the log end minus this. */
    public final OwnedLong settled = new OwnedLong();
}
