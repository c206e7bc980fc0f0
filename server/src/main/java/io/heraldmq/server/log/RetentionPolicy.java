package io.heraldmq.server.log;

/**
 * What {@link PartitionLog#applyRetention} may delete. Only whole closed segments are deleted, oldest first, and
 * deletion stops at the first segment that must be kept, so the log never gets holes.
 *
 * @param retentionMs          delete a segment once its largest record timestamp is older than this; -1 = no limit
 * @param retentionBytes       delete the oldest segments while the log stays at least this large without them
 *                             (the log never shrinks below the limit, as in Kafka); -1 = no limit
 * @param deletableBelowOffset only segments whose last offset is below this may go, because subscriptions still need
 *                             the rest; {@link Long#MAX_VALUE} = no constraint
 */
public record RetentionPolicy(long retentionMs, long retentionBytes, long deletableBelowOffset) {

    public static RetentionPolicy unlimited() {
        return new RetentionPolicy(-1, -1, Long.MAX_VALUE);
    }
}
