package io.heraldmq.server.replication;

import io.heraldmq.server.log.LeaderEpochCache;
import io.heraldmq.server.partition.Partition;
import io.vertx.core.buffer.Buffer;

/**
 * The check a replica makes before it hands its log to another one (a leader to its follower, FETCH; any replica to a
 * candidate, CATCH_UP_FETCH): does the asker's history agree with this one up to the asker's log end? It agrees when
 * this replica's history has the asker's last epoch and that epoch ends here at or after the asker's log end. If not,
 * the answer is DIVERGING with the largest epoch of this history at or below the asker's last epoch and where it
 * ends here: the asker truncates to the smaller of that end and its own end of that epoch, and asks again (Kafka's
 * leader-epoch truncation).
 */
final class Divergence {
    private Divergence() {
    }

    /** @return the DIVERGING answer, or null when the histories agree. Context: the partition's. */
    static FetchResult check(PartitionReplica replica, int lastFetchedEpoch, long fetchOffset) {
        Partition partition = replica.partition();
        if (lastFetchedEpoch < 0 && fetchOffset <= partition.logStartOffset()) {
            return null; // an empty log agrees with every history
        }
        LeaderEpochCache.EpochEnd end = replica.epochs().endOffsetFor(lastFetchedEpoch, partition.logEndOffset());
        if (end.epoch() == lastFetchedEpoch && end.endOffset() >= fetchOffset) {
            return null;
        }
        return new FetchResult(FetchResult.DIVERGING, replica.epoch(), replica.highWatermark(),
                partition.logStartOffset(), end.epoch(), end.endOffset(), Buffer.buffer(0));
    }
}
