package io.heraldmq.server.replication;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * A leadership transfer between two live replicas (Raft's leadership transfer, adapted to a table that only
 * proposes): moving a partition from an established leader to one of its followers while clients keep sending.
 * <p>
 * Why: the proposed broker must win its votes, and a replica grants only to a log at least as up to date as its
 * own. Under steady sends the follower is almost always a few batches behind the leader, so a plain proposal made
 * the old leader refuse its successor; the coordinator then gave the partition back to the most up-to-date replica
 * (the old leader), and moved it again to align the destination, forever.
 * <p>
 * The transfer, for a proposal (epoch E+1, leader X) reaching the established leader L of epoch E, where X is a
 * follower L has heard from:
 * <ol>
 * <li>L stops taking clients' sends (NOT_LEADER: clients and relaying brokers retry, as in a failover; a
 * transaction's parts still go in) and keeps answering
 * fetches; when X fetches at L's log end, L answers {@link FetchResult#HANDED_OVER} (with E+1) and follows X at
 * E+1. X then holds L's whole log, so L's vote for X is granted.</li>
 * <li>X, proposed while it follows L, keeps fetching before it stands: it starts its candidacy on HANDED_OVER, on
 * any failed or fenced fetch (L is gone: there is nothing to wait for) or after {@link #MAX_WAIT_MS}.</li>
 * </ol>
 * Neither side waits longer than {@link #MAX_WAIT_MS}: a transfer that does not finish degrades to the plain
 * proposal. Safety never depends on it: it only decides when L steps down and when X stands; the votes and epochs
 * are unchanged. Runs on the partition's context, like its replica.
 */
final class Handover {
    private static final Logger LOG = LoggerFactory.getLogger(Handover.class);
    /** The longest a leader stays fenced, and a proposed follower keeps fetching, for a transfer. */
    static final long MAX_WAIT_MS = 2_000;

    /** What happens when a transfer's step is done: the replica follows or stands. */
    interface Step {
        void run(int epoch, String leader, List<String> replicas);
    }

    private final PartitionReplica replica;
    private final Step follow;
    private final Step stand;

    // leader side: the proposal handed over to
    private String outgoingTo;
    private int outgoingEpoch;
    private List<String> outgoingReplicas;
    private long outgoingTimer = -1;

    // proposed follower side: the candidacy deferred until the leader handed over
    private int incomingEpoch = -1;
    private List<String> incomingReplicas;
    private long incomingTimer = -1;
    /** A HANDED_OVER seen before the table's proposal reached this broker: stand at once when it does. */
    private int handedOverEpoch = -1;

    Handover(PartitionReplica replica, Step follow, Step stand) {
        this.replica = replica;
        this.follow = follow;
        this.stand = stand;
    }

    // ------------------------------------------------------------------ leader side

    /** Whether the leader is handing over: it takes no sends. */
    boolean outgoing() {
        return outgoingTo != null;
    }

    /**
     * The table proposes {@code to} for {@code epoch} while this broker leads: hands over unless it already does
     * (then a repeated proposal changes nothing).
     */
    void handOver(int epoch, String to, List<String> replicas) {
        if (to.equals(outgoingTo) && epoch == outgoingEpoch) {
            return;
        }
        cancelOutgoing();
        outgoingTo = to;
        outgoingEpoch = epoch;
        outgoingReplicas = List.copyOf(replicas);
        int gen = replica.generation();
        LOG.info("{}: handing over to {} for epoch {}", replica.key(), to, epoch);
        outgoingTimer = vertx().setTimer(MAX_WAIT_MS, t -> replica.partition().run(() -> {
            outgoingTimer = -1;
            if (gen == replica.generation() && outgoing()) {
                LOG.info("{}: {} did not catch up within {} ms; following it anyway", replica.key(), to, MAX_WAIT_MS);
                finishOutgoing();
            }
        }));
    }

    /**
     * A fetch of the successor at this leader's log end: the answer is HANDED_OVER and the leader follows the
     * successor. Null when the fetch is not the successor's or it lacks records.
     */
    FetchResult fetchedAtEnd(Fetch fetch, long logEnd) {
        if (!fetch.follower().equals(outgoingTo) || fetch.fetchOffset() < logEnd) {
            return null;
        }
        FetchResult answer = FetchResult.error(FetchResult.HANDED_OVER, outgoingEpoch);
        // at once, so nothing is appended after the answer; following steps down and resets the leader's state
        finishOutgoing();
        return answer;
    }

    private void finishOutgoing() {
        int epoch = outgoingEpoch;
        String to = outgoingTo;
        List<String> replicas = outgoingReplicas;
        cancelOutgoing();
        follow.run(epoch, to, replicas);
    }

    private void cancelOutgoing() {
        if (outgoingTimer >= 0) {
            vertx().cancelTimer(outgoingTimer);
            outgoingTimer = -1;
        }
        outgoingTo = null;
        outgoingReplicas = null;
    }

    // ------------------------------------------------------------------ successor side

    /**
     * The table proposes this broker for {@code epoch} while it follows a live leader: stands at once if that leader
     * already handed over, else fetches on and stands on HANDED_OVER, a failed fetch or the deadline.
     *
     * @return false when this is a repeat of the deferred proposal (nothing to do)
     */
    boolean deferCandidacy(int epoch, List<String> replicas) {
        if (epoch == incomingEpoch) {
            incomingReplicas = List.copyOf(replicas);
            return false;
        }
        cancelIncoming();
        if (handedOverEpoch == epoch) {
            handedOverEpoch = -1;
            stand.run(epoch, replica.localId(), replicas);
            return true;
        }
        incomingEpoch = epoch;
        incomingReplicas = List.copyOf(replicas);
        int gen = replica.generation();
        incomingTimer = vertx().setTimer(MAX_WAIT_MS, t -> replica.partition().run(() -> {
            incomingTimer = -1;
            if (gen == replica.generation() && incomingEpoch == epoch) {
                standNow();
            }
        }));
        return true;
    }

    /** Whether a candidacy is deferred: the fetch loop runs on. */
    boolean incoming() {
        return incomingEpoch >= 0;
    }

    /** What a follower's fetch brought: stands if a candidacy waits on it and the leader handed over or is gone. */
    void fetchEnded(FetchResult result) {
        if (result != null && result.error() == FetchResult.HANDED_OVER && !incoming()) {
            handedOverEpoch = result.leaderEpoch();
            return;
        }
        if (incoming() && (result == null || result.error() != FetchResult.NONE)) {
            standNow();
        }
    }

    private void standNow() {
        int epoch = incomingEpoch;
        List<String> replicas = incomingReplicas;
        cancelIncoming();
        stand.run(epoch, replica.localId(), replicas);
    }

    private void cancelIncoming() {
        if (incomingTimer >= 0) {
            vertx().cancelTimer(incomingTimer);
            incomingTimer = -1;
        }
        incomingEpoch = -1;
        incomingReplicas = null;
    }

    /** The replica's role changed by other means: whatever was in progress is moot. */
    void reset() {
        cancelOutgoing();
        cancelIncoming();
    }

    private io.vertx.core.Vertx vertx() {
        return replica.partition().context().owner();
    }
}
