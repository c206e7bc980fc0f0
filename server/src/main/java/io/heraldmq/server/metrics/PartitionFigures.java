package io.heraldmq.server.metrics;

/**
 * What one partition counts about itself, kept in the partition and written only on its context
 * ({@link OwnedLong}); meters read them when scraped. Cumulative since the partition opened in this process.
 */
public final class PartitionFigures {
    /** Records appended (as leader or single node; a follower's copies count as {@link #replicatedIn}). */
    public final OwnedLong messagesIn = new OwnedLong();
    public final OwnedLong bytesIn = new OwnedLong();
    /** Records a follower copied from its leader. */
    public final OwnedLong replicatedIn = new OwnedLong();
    /** Deliveries to consumers of every subscription of this partition, redeliveries included. */
    public final OwnedLong messagesOut = new OwnedLong();
    public final OwnedLong bytesOut = new OwnedLong();
    /** Segments and bytes retention deleted. */
    public final OwnedLong retentionSegments = new OwnedLong();
    public final OwnedLong retentionBytes = new OwnedLong();
    /** Replicated partitions only: the leader's lag of its slowest follower, in records (0 when following). */
    public final OwnedLong replicationLag = new OwnedLong();
}
