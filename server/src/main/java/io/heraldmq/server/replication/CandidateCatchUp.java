package io.heraldmq.server.replication;

import io.heraldmq.server.partition.Partition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A candidate that a replica refused because the replica's log is ahead copies that replica's log, then asks for the
 * votes again. Without it the candidate could never win: the refusing replica's log does not change while its leader
 * is gone, and the coordinator's remedy, another proposal once {@code Coordinator.ELECTION_TIMEOUT_MS} passed,
 * costs seconds. That happens whenever the coordinator picks the new leader from published states a moment old (one
 * follower had fetched the last batches, the other not yet), and in quick successive drains.
 * <p>
 * Safe by the vote rule it serves: the candidate only gains records (and truncates a tail the voter's history does
 * not have, as a follower would: {@link FollowerFetcher#truncateDiverged}), records that the voter, which could itself
 * win with the same majority, already holds; it still needs the majority's votes afterwards, and a replica grants
 * only a candidate at least as up to date as itself. Everything acknowledged is on a majority, so on the voter or on
 * the candidate: the elected log holds it, as with Raft's up-to-date rule. Copied records of an earlier epoch are
 * committed only by this leader's own epoch marker, as any leader's predecessors' records are.
 * <p>
 * One copy at a time, bound to the candidacy's generation; runs on the partition's context.
 */
final class CandidateCatchUp {
    private static final Logger LOG = LoggerFactory.getLogger(CandidateCatchUp.class);

    private final PartitionReplica replica;
    private final Partition partition;
    private final FollowerFetcher log;
    /** The generation of the copy under way, or -1. */
    private int copying = -1;

    CandidateCatchUp(PartitionReplica replica, FollowerFetcher log) {
        this.replica = replica;
        this.partition = replica.partition();
        this.log = log;
    }

    /** Whether {@code (lastEpoch, logEnd)} is ahead of this replica's log: a candidate behind it loses its vote. */
    boolean isAhead(int lastEpoch, long logEnd) {
        int mine = replica.lastEpoch();
        return lastEpoch > mine || (lastEpoch == mine && logEnd > partition.logEndOffset());
    }

    /**
     * Copies {@code voter}'s log until this one is at least {@code (lastEpoch, logEnd)} (what the voter reported
     * with its refusal), then runs {@code caughtUp}; nothing if a copy already runs in this generation. Ends quietly
     * when the candidacy does, or when the voter cannot be reached or answers otherwise (the candidate's vote retry
     * asks again).
     */
    void copyFrom(String voter, int lastEpoch, long logEnd, int gen, Runnable caughtUp) {
        if (copying == gen) {
            return;
        }
        copying = gen;
        LOG.info("{}: {} refused epoch {} as its log is ahead ({}@{} against {}@{}); copying its log",
                replica.key(), voter, replica.epoch(), logEnd, lastEpoch, partition.logEndOffset(),
                replica.lastEpoch());
        step(voter, lastEpoch, logEnd, gen, caughtUp);
    }

    private void step(String voter, int lastEpoch, long logEnd, int gen, Runnable caughtUp) {
        if (!candidateOf(gen)) {
            return;
        }
        if (!isAhead(lastEpoch, logEnd)) {
            copying = -1;
            caughtUp.run();
            return;
        }
        CatchUpFetch fetch = new CatchUpFetch(replica.key(), replica.localId(), replica.epoch(),
                partition.logEndOffset(), replica.lastEpoch(), PartitionReplica.FETCH_MAX_BYTES);
        ReplicationPeers peers = replica.peers();
        peers.request(voter, fetch.encode(peers.nextCorrelationId())).onComplete(ar -> partition.run(() -> {
            if (!candidateOf(gen)) {
                return;
            }
            FetchResult result = ar.failed() ? null : FetchResult.decode(ar.result().body());
            if (result == null || (result.error() != FetchResult.NONE && result.error() != FetchResult.DIVERGING)) {
                copying = -1;
                LOG.info("{}: copying {}'s log stopped: {}", replica.key(), voter,
                        result == null ? String.valueOf(ar.cause()) : "answer " + result.error());
                return;
            }
            if (result.error() == FetchResult.NONE && result.batches().length() == 0) {
                // the voter's log is not ahead any more (it was truncated meanwhile): ask for the votes again
                copying = -1;
                caughtUp.run();
                return;
            }
            io.vertx.core.Future<Void> applied = result.error() == FetchResult.DIVERGING
                    ? log.truncateDiverged(result, "voter " + voter) : log.appendFetched(result);
            applied.onComplete(done -> {
                if (done.failed()) {
                    copying = -1;
                    LOG.warn("{}: copying {}'s log failed", replica.key(), voter, done.cause());
                } else {
                    step(voter, lastEpoch, logEnd, gen, caughtUp);
                }
            });
        }));
    }

    private boolean candidateOf(int gen) {
        if (gen == replica.generation() && replica.role() == PartitionReplica.Role.CANDIDATE && !replica.closed()) {
            return true;
        }
        if (copying == gen) {
            copying = -1;
        }
        return false;
    }
}
