package io.heraldmq.server.replication;

import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.log.LeaderEpochCache;
import io.heraldmq.server.partition.Partition;
import io.vertx.core.Future;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;

/**
 * The follower's side of a {@link PartitionReplica}: fetches from the leader it promised, appends what it gets (with
 * the epochs that begin in it), truncates where its log diverges from the leader's, and applies the replicated
 * metadata once the high watermark passes it. A fetch loop belongs to the generation it started in and stops when
 * the replica's role changes. Runs on the partition's context, like its replica.
 */
final class FollowerFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(FollowerFetcher.class);

    private final PartitionReplica replica;
    private final Partition partition;
    private final String key;
    private final ReplicatedMetadata metadata;
    /**
     * Metadata in the log not yet applied, applied once the high watermark passes it. Kept across role changes: what
     * this broker fetched as a follower is committed by a later leader, possibly itself.
     */
    private final UnappliedMetadata unapplied;

    /** When the leader last answered a fetch with records or an empty long poll. */
    private long lastAnsweredAtMs;
    /** Fetches in a row that failed or were refused, since when, and when that was last logged. */
    private int failedInARow;
    private long failingSinceMs;
    private long failureLoggedAtMs;

    FollowerFetcher(PartitionReplica replica, ReplicatedMetadata metadata, UnappliedMetadata unapplied) {
        this.replica = replica;
        this.partition = replica.partition();
        this.key = replica.key();
        this.metadata = metadata;
        this.unapplied = unapplied;
    }

    /** Fetches until the replica leaves generation {@code gen} (a new role) or closes. */
    void fetchLoop(int gen) {
        if (gen != replica.generation() || replica.role() != PartitionReplica.Role.FOLLOWER || replica.closed()) {
            return;
        }
        Fetch fetch = new Fetch(key, replica.localId(), replica.epoch(), partition.logEndOffset(),
                replica.lastEpoch(), PartitionReplica.FETCH_MAX_BYTES);
        ReplicationPeers peers = replica.peers();
        peers.request(replica.leader(), fetch.encode(peers.nextCorrelationId())).onComplete(ar -> partition.run(() -> {
            if (gen != replica.generation() || replica.closed()) {
                return;
            }
            FetchResult result = ar.failed() ? null : FetchResult.decode(ar.result().body());
            if (result != null && result.error() == FetchResult.NONE) {
                lastAnsweredAtMs = System.currentTimeMillis();
                failedInARow = 0;
            } else if (result == null || result.error() != FetchResult.DIVERGING) {
                fetchFailed(fetch, result == null ? String.valueOf(ar.cause()) : "answer " + result.error()
                        + " (the leader's epoch " + result.leaderEpoch() + ")");
            }
            replica.handover().fetchEnded(result);
            if (gen != replica.generation()) {
                return;
            }
            if (result == null) {
                retryFetch(gen);
                return;
            }
            switch (result.error()) {
                case FetchResult.NONE -> {
                    if (result.batches().length() == 0) {
                        replica.highWatermark(Math.min(result.highWatermark(), partition.logEndOffset()));
                        applyCommittedMetadata();
                        fetchLoop(gen);
                    } else {
                        appendFetched(result).onComplete(done -> {
                            if (done.failed()) {
                                LOG.warn("{}: append of fetched batches failed", key, done.cause());
                                retryFetch(gen);
                            } else {
                                fetchLoop(gen);
                            }
                        });
                    }
                }
                case FetchResult.DIVERGING -> truncateDiverged(result, "leader " + replica.leader())
                        .onComplete(done -> {
                            if (done.failed()) {
                                LOG.error("{}: truncation failed", key, done.cause());
                                retryFetch(gen);
                            } else {
                                fetchLoop(gen);
                            }
                        });
                default -> retryFetch(gen);
            }
        }));
    }

    /**
     * A follower that cannot fetch stays behind silently otherwise (it retries for ever): says so once the failures
     * have lasted a few seconds, then every {@link #FAILURE_LOG_INTERVAL_MS}.
     */
    private void fetchFailed(Fetch fetch, String why) {
        long now = System.currentTimeMillis();
        if (failedInARow++ == 0) {
            failingSinceMs = now;
        }
        if (now - failingSinceMs >= FAILING_BEFORE_LOG_MS && now - failureLoggedAtMs >= FAILURE_LOG_INTERVAL_MS) {
            failureLoggedAtMs = now;
            int failures = failedInARow;
            long forMs = now - failingSinceMs;
            LOG.warn("{}: {} fetches in a row from leader {} (epoch {}, offset {}) failed over {} ms; last: {}", key,
                    failures, replica.leader(), fetch.epoch(), fetch.fetchOffset(), forMs, why);
        }
    }

    /** Longer than an election normally takes, so that a failover says nothing. */
    static final long FAILING_BEFORE_LOG_MS = 10_000;
    static final long FAILURE_LOG_INTERVAL_MS = 30_000;

    /** Whether the leader answered a fetch within the last {@code withinMs}: it is alive and reachable. */
    boolean leaderAnsweredWithin(long nowMs, long withinMs) {
        return nowMs - lastAnsweredAtMs <= withinMs;
    }

    private void retryFetch(int gen) {
        vertx().setTimer(PartitionReplica.RETRY_MS, t -> partition.run(() -> fetchLoop(gen)));
    }

    /**
     * Records the epochs that begin in the fetched batches (durably, before the batches: a history that knows an
     * epoch the log lacks is repaired at open, a log holding an epoch the history lacks would vote wrongly), then
     * appends them and waits until they are durable. Also a candidate's, copying a voter's log
     * ({@link CandidateCatchUp}).
     */
    Future<Void> appendFetched(FetchResult result) {
        Buffer batches = result.batches();
        List<long[]> newEpochs = new ArrayList<>();
        int latest = replica.lastEpoch();
        int pos = 0;
        while (pos + RecordBatch.HEADER_BYTES <= batches.length()) {
            Buffer header = batches.slice(pos, pos + RecordBatch.HEADER_BYTES);
            int batchEpoch = RecordBatch.leaderEpoch(header);
            if (batchEpoch > latest) {
                newEpochs.add(new long[]{batchEpoch, RecordBatch.baseOffset(header)});
                latest = batchEpoch;
            }
            pos += RecordBatch.sizeAt(batches, pos);
        }
        LeaderEpochCache epochs = replica.epochs();
        Future<Void> recorded = newEpochs.isEmpty() ? Future.succeededFuture()
                : vertx().executeBlocking(() -> {
                    for (long[] e : newEpochs) {
                        epochs.assign((int) e[0], e[1]);
                    }
                    return null;
                }, false);
        return recorded.compose(v -> replica.onContext(partition.appendReplica(batches))).map(v -> {
            unapplied.collect(batches);
            replica.highWatermark(Math.min(result.highWatermark(), partition.logEndOffset()));
            applyCommittedMetadata();
            return null;
        });
    }

    /**
     * Cuts the log where its history leaves the answering replica's (the smaller of the two ends of the common epoch):
     * the leader's, or for a candidate the voter's it copies.
     */
    Future<Void> truncateDiverged(FetchResult result, String source) {
        LeaderEpochCache epochs = replica.epochs();
        long logEnd = partition.logEndOffset();
        long target;
        if (result.divergingEpoch() < 0) {
            target = partition.logStartOffset();
        } else {
            LeaderEpochCache.EpochEnd mine = epochs.endOffsetFor(result.divergingEpoch(), logEnd);
            target = mine.epoch() < 0 ? partition.logStartOffset()
                    : Math.min(result.divergingEndOffset(), mine.endOffset());
        }
        long to = Math.max(target, partition.logStartOffset());
        LOG.info("{}: log diverges from {} (epoch {}); truncating {} -> {}", key, source, replica.epoch(), logEnd,
                to);
        return partition.truncateTo(to).compose(v -> vertx().executeBlocking(() -> {
            epochs.truncateFromEnd(to);
            return null;
        }, false)).map(v -> {
            replica.highWatermark(Math.min(replica.highWatermark(), to));
            unapplied.truncated(to);
            return null;
        });
    }

    /** Applies the unapplied metadata below the replica's high watermark. */
    void applyCommittedMetadata() {
        unapplied.applyBelow(replica.highWatermark(), r -> {
            if (metadata != null) {
                metadata.apply(partition.id(), r);
            }
        });
    }

    private io.vertx.core.Vertx vertx() {
        return partition.context().owner();
    }
}
