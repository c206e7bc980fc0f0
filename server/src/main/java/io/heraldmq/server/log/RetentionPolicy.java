package io.heraldmq.server.log;

import java.util.List;

/**
 * What {@link PartitionLog#applyRetention} may delete. Only whole closed segments are deleted, oldest first, and
 * deletion stops at the first segment that must be kept, so the log never gets holes. The destination's limits
 * ({@code retentionMs}, {@code retentionBytes}) must let a segment go, as in Kafka; subscriptions ({@code holds})
 * can only keep it longer, never delete it sooner.
 *
 * @param retentionMs          delete a segment once its largest record timestamp is older than this; -1 = no limit
 * @param retentionBytes       delete the oldest segments while the log stays at least this large without them
 *                             (the log never shrinks below the limit, as in Kafka); -1 = no limit
 * @param deletableBelowOffset only segments whose last offset is below this may go; {@link Long#MAX_VALUE} = no
 *                             constraint
 * @param holds                the subscriptions of the destination: a segment one of them {@link RetentionHold#keeps}
 *                             stays
 */
public record RetentionPolicy(long retentionMs, long retentionBytes, long deletableBelowOffset,
                              List<RetentionHold> holds) {
    public RetentionPolicy {
        holds = List.copyOf(holds);
    }

    /** Limits with no subscription holding anything back. */
    public RetentionPolicy(long retentionMs, long retentionBytes, long deletableBelowOffset) {
        this(retentionMs, retentionBytes, deletableBelowOffset, List.of());
    }

    public static RetentionPolicy unlimited() {
        return new RetentionPolicy(-1, -1, Long.MAX_VALUE);
    }

    /** These limits with these subscriptions' holds. */
    public RetentionPolicy withHolds(List<RetentionHold> newHolds) {
        return new RetentionPolicy(retentionMs, retentionBytes, deletableBelowOffset, newHolds);
    }

    /** Whether some subscription keeps the closed segment ending at {@code lastOffset}. */
    boolean held(long lastOffset, long maxTimestamp, long now) {
        for (int i = 0; i < holds.size(); i++) {
            if (holds.get(i).keeps(lastOffset, maxTimestamp, now)) {
                return true;
            }
        }
        return false;
    }
}
