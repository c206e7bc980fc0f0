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
    /** Records settled: the committed offset plus those settled above it. */
    public final OwnedLong settled = new OwnedLong();
    /**
     * Just past the last control record the dispatcher passed (epoch markers, replicated positions; it settles them
     * as it passes them), so those from here to the log end are the only ones not settled yet.
     */
    public final OwnedLong readOffset = new OwnedLong();
    /**
     * Timestamp (ms since the epoch) of the oldest record not yet settled, the one at the committed offset, or of a
     * cheap bound of it (see {@code BacklogAge}); -1 when unknown or when nothing is behind.
     */
    public final OwnedLong oldestTimestamp = new OwnedLong();

    public SubscriptionFigures() {
        oldestTimestamp.set(-1);
    }

    /**
     * Messages not yet settled (in flight included): the log end minus what is settled, without the control records
     * the dispatcher has not reached, which are no messages (a clustered partition holds many: the leader writes
     * subscription positions into its log). Any thread.
     *
     * @param logEnd         the partition's log end offset
     * @param controlRecords how many control records lie in [from, to), from any thread
     */
    public long backlog(long logEnd, java.util.function.LongBinaryOperator controlRecords) {
        long from = Math.min(readOffset.get(), logEnd);
        return Math.max(0, logEnd - settled.get() - controlRecords.applyAsLong(from, logEnd));
    }

    /**
     * The lag in time: how long ago the oldest record not yet settled was stamped, 0 with no backlog (or no timestamp
     * known, or a producer clock ahead of the broker's). Any thread.
     *
     * @param logEnd the partition's log end offset
     * @param nowMs  the broker's clock
     */
    public double lagSeconds(long logEnd, long nowMs) {
        long oldest = oldestTimestamp.get();
        if (oldest < 0 || logEnd <= settled.get()) {
            return 0;
        }
        return Math.max(0, nowMs - oldest) / 1000.0;
    }
}
