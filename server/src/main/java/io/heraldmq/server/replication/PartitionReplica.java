package io.heraldmq.server.replication;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.log.EpochPromiseFile;
import io.heraldmq.server.log.LeaderEpochCache;
import io.heraldmq.server.partition.Partition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;

/**
 * The replication state of one partition on this broker: leader, candidate or follower of an epoch. Every method runs
 * on the partition's context (callers hop with {@link Partition#run}); file writes (the promise, the epoch history)
 * run on workers and the steps that depend on them wait for them.
 * <p>
 * The protocol, whose invariants are in docs/architecture.md ("Replication"):
 * <ul>
 * <li><b>Promise.</b> A replica promises an epoch to one leader, durably ({@link EpochPromiseFile}), and then accepts
 * nothing from a lower epoch nor from another leader of that epoch.</li>
 * <li><b>Election.</b> The partition table (Hazelcast, AP) only proposes a leader. The proposed broker becomes a
 * candidate and asks every replica with {@link BeginEpoch}; a replica grants only if the candidate's log is at least
 * as up to date as its own, (last epoch, log end) compared in that order. With a majority of grants (itself
 * included) the candidate leads: it records the epoch's start in its {@link LeaderEpochCache} and appends a control
 * batch, the epoch marker.</li>
 * <li><b>Commit.</b> Followers fetch ({@link Fetch}) from the leader they promised; a fetch offset says the follower
 * holds everything below it, durably. The high watermark is the largest offset that a majority holds (the leader's
 * log end counts for the leader) and that lies above the epoch marker: a leader commits records of earlier epochs
 * only together with one of its own (Raft's rule; without it a record replicated late by a later leader could be
 * committed and then overwritten). A PERSISTENT send is answered once the high watermark passes it and the leader's
 * copy is durable; consumers are served below the high watermark only.</li>
 * <li><b>Truncation.</b> A fetch carries the epoch of the follower's last batch; the leader answers DIVERGING with
 * where that epoch ends in its own log when the follower's log goes further, and the follower truncates there
 * (Kafka's leader-epoch truncation). What it removes was never committed.</li>
 * </ul>
 * An isolated leader keeps its role but cannot move its high watermark: its followers fetch from a newer epoch's
 * leader, so it acknowledges nothing and shows consumers nothing new.
 * <p>
 * This class keeps the role, the promise and the election; the leader's side is {@link LeaderState}, the follower's
 * {@link FollowerFetcher}, and a send to a broker that does not lead goes on through {@link ProduceForwarder}.
 */
public final class PartitionReplica {
    private static final Logger LOG = LoggerFactory.getLogger(PartitionReplica.class);

    /** What this broker is for the partition. */
    public enum Role { NONE, CANDIDATE, LEADER, FOLLOWER }

    static final int FETCH_MAX_BYTES = 1 << 20;
    /** How long a leader holds a fetch that finds nothing new (long poll). */
    static final long FETCH_WAIT_MS = 500;
    static final long RETRY_MS = 100;
    /** A candidate asks the replicas that have not granted again after this long. */
    static final long VOTE_RETRY_MS = 500;
    /** A follower that has not been at the log end for this long leaves the in-sync set. */
    static final long ISR_LAG_MS = 10_000;
    /** Positions changed within this time travel in one control batch. */
    static final long POSITION_BATCH_MS = 100;
    /**
     * A leader hands a partition over ({@link Handover}) only to a follower it heard from this recently, and a
     * proposed follower waits for the handover only from a leader that answered it this recently: else the other
     * side is likely gone and waiting would only slow the failover.
     */
    static final long HANDOVER_RECENT_MS = 1_500;
    /** How long a send waits for a partition to have a reachable leader. */
    static final long FORWARD_DEADLINE_MS = 15_000;

    private final Partition partition;
    private final String key;
    private final String localId;
    private final ReplicationPeers peers;
    private final LeaderEpochCache epochs;
    private final EpochPromiseFile promiseFile;
    /** Told when this broker stops leading the partition (its consumers here must go). */
    private final Runnable leadershipLost;

    /** Volatile: subscribe handlers read it from event loops to refuse followers' copies. */
    private volatile Role role = Role.NONE;
    /** The epoch of the current role, and its leader. */
    private int epoch = -1;
    private String leader;
    /** The replicas of the current epoch (from the table when the role began). */
    private List<String> replicas = List.of();
    /** The promise as made or being made: ahead of {@link #promiseFile} while its write runs. */
    private int promisedEpoch;
    private String promisedLeader;
    /** Serializes durable writes (promise, epoch history) and the steps that wait for them. */
    private Future<Void> writes = Future.succeededFuture();
    private long highWatermark;

    private final LeaderState leading;
    private volatile boolean underReplicated;
    private final io.heraldmq.server.metrics.OwnedLong leaderChanges = new io.heraldmq.server.metrics.OwnedLong();
    private final FollowerFetcher following;
    private final CandidateCatchUp catchUp;
    private final UnappliedMetadata unapplied;
    private final ProduceForwarder forwarder;
    private final Handover handover;

    private final TransactionsGate gate;

    // candidate
    private final java.util.Set<String> votes = new java.util.HashSet<>();
    private long voteTimer = -1;

    // each role change starts a new generation, and the callbacks of an older one do nothing
    private int generation;
    private boolean closed;

    private PartitionReplica(Partition partition, String key, String localId, ReplicationPeers peers,
                             LeaderEpochCache epochs, EpochPromiseFile promiseFile, ReplicatedMetadata metadata,
                             UnappliedMetadata unapplied, Runnable leadershipLost) {
        this.partition = partition;
        this.leadershipLost = leadershipLost;
        this.key = key;
        this.localId = localId;
        this.peers = peers;
        this.epochs = epochs;
        this.promiseFile = promiseFile;
        this.promisedEpoch = promiseFile.epoch();
        this.promisedLeader = promiseFile.leader();
        this.leading = new LeaderState(this);
        this.unapplied = unapplied;
        this.following = new FollowerFetcher(this, metadata, unapplied);
        this.catchUp = new CandidateCatchUp(this, following);
        this.forwarder = new ProduceForwarder(this);
        this.handover = new Handover(this, (e, l, r) -> follow(e, l, r, false), (e, l, r) -> startCandidacy(e, r));
        this.gate = new TransactionsGate(this);
    }

    /**
     * Opens the partition's epoch files on a worker and attaches the replica to the partition. Epoch history entries
     * at or beyond the log end (a crash between recording an epoch and appending its first batch) are dropped.
     * Context: the partition's; completes on it.
     */
    public static Future<PartitionReplica> open(Partition partition, String key, String localId,
                                                ReplicationPeers peers, ReplicatedMetadata metadata,
                                                Runnable leadershipLost) {
        long logEnd = partition.logEndOffset();
        return UnappliedMetadata.recover(partition).compose(unapplied -> partition.context().owner().executeBlocking(
                () -> {
                    LeaderEpochCache epochs = LeaderEpochCache.open(partition.directory());
                    epochs.truncateFromEnd(logEnd);
                    EpochPromiseFile promise = EpochPromiseFile.open(partition.directory());
                    return new PartitionReplica(partition, key, localId, peers, epochs, promise, metadata, unapplied,
                            leadershipLost);
                }, false)).map(r -> {
            partition.replicate(r);
            return r;
        });
    }

    public String key() {
        return key;
    }

    public Partition partition() {
        return partition;
    }

    public Role role() {
        return role;
    }

    public int epoch() {
        return epoch;
    }

    public String leader() {
        return leader;
    }

    public long highWatermark() {
        return highWatermark;
    }

    /** Epoch of the last batch in the log; -1 for an empty history. */
    public int lastEpoch() {
        return epochs.latestEpoch();
    }

    /**
     * Times this replica saw its partition's leader change to another broker (the first leader it learns of is not
     * a change); read by the meters. Written on the partition's context.
     */
    public long leaderChanges() {
        return leaderChanges.get();
    }

    private void leaderChanged(String newLeader) {
        if (leader != null && !leader.equals(newLeader)) {
            leaderChanges.increment();
        }
        leader = newLeader;
    }

    /** Led partitions: the records the slowest follower of the epoch lacks; 0 elsewhere. Context: the partition's. */
    public long replicationLag() {
        return isEstablishedLeader() ? leading.slowestFollowerLag() : 0;
    }

    public boolean isEstablishedLeader() {
        return role == Role.LEADER && leading.established();
    }

    /**
     * The in-sync replicas as the leader sees them: itself and every follower that reached the log end within
     * {@link #ISR_LAG_MS}. Empty unless this broker is the established leader.
     */
    public List<String> inSyncReplicas(long nowMs) {
        if (!isEstablishedLeader()) {
            return List.of();
        }
        return leading.inSyncReplicas(nowMs);
    }

    // ------------------------------------------------------------------ for the leader's and the follower's side

    String localId() {
        return localId;
    }

    ReplicationPeers peers() {
        return peers;
    }

    Handover handover() {
        return handover;
    }

    LeaderEpochCache epochs() {
        return epochs;
    }

    /** The replicas of the current epoch. */
    List<String> replicas() {
        return replicas;
    }

    int replicaCount() {
        return replicas.size();
    }

    /** Set by the periodic publication of the in-sync set: led here, with fewer in-sync replicas than replicas. */
    void underReplicated(boolean under) {
        underReplicated = under;
    }

    /** Whether this broker leads the partition with fewer in-sync replicas than replicas (as of the last second). */
    public boolean underReplicated() {
        return underReplicated;
    }

    /** Changes with every role change: a callback of an older role compares and does nothing. */
    int generation() {
        return generation;
    }

    boolean closed() {
        return closed;
    }

    void highWatermark(long offset) {
        highWatermark = offset;
    }

    // ------------------------------------------------------------------ table

    /**
     * The partition table's proposal for this partition changed (or was read at start). Acts on proposals newer than
     * the promise: becomes a candidate when it names this broker, else follows the named leader. Older proposals
     * are ignored: the table is not trusted to be consistent, only to be eventually right.
     * <p>
     * One exception to "a promise is kept": an epoch this broker promised to itself, as a candidate that has not won,
     * is given up when the table names another leader for it (two coordinators proposed the same epoch during a
     * network partition, and the merged table kept the other one). Safe because this broker then never leads that
     * epoch (its candidacy ends before it counts another vote), so the other leader is the only one who can; without
     * it this broker would ignore the epoch's real leader for good and stay out of the in-sync set.
     */
    public void assignmentChanged(List<String> newReplicas, String newLeader, int tableEpoch) {
        if (closed || newLeader == null) {
            return;
        }
        boolean newer = tableEpoch > promisedEpoch;
        boolean same = tableEpoch == promisedEpoch && newLeader.equals(promisedLeader);
        if (tableEpoch == promisedEpoch && localId.equals(promisedLeader) && !newLeader.equals(localId)
                && role != Role.LEADER) {
            LOG.info("{}: epoch {} is {}'s in the table; this broker's candidacy for it ends", key, tableEpoch,
                    newLeader);
            follow(tableEpoch, newLeader, newReplicas, true);
            return;
        }
        long now = System.currentTimeMillis();
        if (newLeader.equals(localId)) {
            if (newer && role == Role.FOLLOWER && leader != null && !leader.equals(localId)
                    && newReplicas.contains(leader) && following.leaderAnsweredWithin(now, HANDOVER_RECENT_MS)) {
                handover.deferCandidacy(tableEpoch, newReplicas);
            } else if (newer || (same && role != Role.LEADER && role != Role.CANDIDATE)) {
                startCandidacy(tableEpoch, newReplicas);
            } else if (same) {
                replicas = List.copyOf(newReplicas);
            }
        } else if (newer && isEstablishedLeader() && leading.fetchedRecently(newLeader, now, HANDOVER_RECENT_MS)) {
            if (!handover.outgoing()) {
                leading.releaseParkedFetches();
            }
            handover.handOver(tableEpoch, newLeader, newReplicas);
        } else if (newer || (same && (role != Role.FOLLOWER || !newLeader.equals(leader)))) {
            follow(tableEpoch, newLeader, newReplicas, false);
        } else if (same) {
            replicas = List.copyOf(newReplicas);
        }
    }

    // ------------------------------------------------------------------ election

    private void startCandidacy(int newEpoch, List<String> newReplicas) {
        stepDown();
        role = Role.CANDIDATE;
        epoch = newEpoch;
        leaderChanged(localId);
        replicas = List.copyOf(newReplicas);
        int gen = generation;
        promise(newEpoch, localId).onComplete(ar -> {
            if (gen != generation) {
                return;
            }
            if (ar.failed()) {
                LOG.error("{}: cannot record the promise of epoch {}", key, newEpoch, ar.cause());
                role = Role.NONE;
                return;
            }
            votes.clear();
            votes.add(localId);
            requestVotes(gen);
        });
    }

    private void requestVotes(int gen) {
        if (gen != generation || role != Role.CANDIDATE) {
            return;
        }
        if (votes.size() >= majority()) {
            becomeLeader(gen);
            return;
        }
        BeginEpoch request = new BeginEpoch(key, epoch, localId, lastEpoch(), partition.logEndOffset());
        for (String r : replicas) {
            if (votes.contains(r)) {
                continue;
            }
            peers.request(r, request.encode(peers.nextCorrelationId())).onComplete(ar -> partition.run(() -> {
                if (gen != generation || role != Role.CANDIDATE || ar.failed()) {
                    return;
                }
                EpochVote vote = EpochVote.decode(ar.result().body());
                if (vote.granted()) {
                    votes.add(r);
                    if (votes.size() >= majority()) {
                        becomeLeader(gen);
                    }
                } else if (vote.promisedEpoch() > epoch) {
                    LOG.info("{}: {} promised epoch {} to {}; candidacy for {} ends", key, r, vote.promisedEpoch(),
                            vote.promisedLeader(), epoch);
                    stepDown();
                    role = Role.NONE;
                } else if (catchUp.isAhead(vote.lastEpoch(), vote.logEnd())) {
                    catchUp.copyFrom(r, vote.lastEpoch(), vote.logEnd(), gen, () -> {
                        cancelVoteTimer();
                        requestVotes(gen);
                    });
                }
            }));
        }
        voteTimer = vertx().setTimer(VOTE_RETRY_MS, t -> partition.run(() -> {
            voteTimer = -1;
            requestVotes(gen);
        }));
    }

    private void becomeLeader(int gen) {
        cancelVoteTimer();
        role = Role.LEADER;
        long start = partition.logEndOffset();
        leading.begin(start);
        int e = epoch;
        writes = onContext(writes.transform(v -> vertx().<Void>executeBlocking(() -> {
            epochs.assign(e, start);
            return null;
        }, false)));
        writes.onComplete(ar -> partition.run(() -> {
            if (gen != generation) {
                return;
            }
            if (ar.failed()) {
                LOG.error("{}: cannot record epoch {}", key, e, ar.cause());
                stepDown();
                role = Role.NONE;
                return;
            }
            RecordBatch.Builder builder = new RecordBatch.Builder(RecordBatch.ATTR_CONTROL, 64);
            builder.add(System.currentTimeMillis(), null, Buffer.buffer());
            Buffer marker = builder.build();
            partition.appendAsLeader(marker, e, false).onComplete(appended -> {
                if (gen != generation) {
                    return;
                }
                if (appended.failed()) {
                    LOG.error("{}: cannot append the marker of epoch {}", key, e, appended.cause());
                    stepDown();
                    role = Role.NONE;
                    return;
                }
                leading.establish();
                forwarder.retryNow();
                // The previous leader may have delivered any of these without an acknowledgement reaching us:
                // their first delivery from here counts as a redelivery (JMSRedelivered).
                partition.possiblyDeliveredBelow(start);
                LOG.info("{}: leader of epoch {} from offset {} (replicas {})", key, e, start, replicas);
                leading.advanceHighWatermark();
                partition.visibleEndAdvanced();
            });
        }));
    }

    /**
     * BEGIN_EPOCH from a candidate: grant if its epoch is new to us (or already promised to it) and its log is at
     * least as up to date as ours; the promise is durable before the grant is sent.
     */
    public Future<EpochVote> onBeginEpoch(BeginEpoch request) {
        boolean refusedEpoch = request.epoch() < promisedEpoch
                || (request.epoch() == promisedEpoch && !request.leader().equals(promisedLeader));
        int myLastEpoch = lastEpoch();
        long myLogEnd = partition.logEndOffset();
        boolean upToDate = request.lastEpoch() > myLastEpoch
                || (request.lastEpoch() == myLastEpoch && request.logEnd() >= myLogEnd);
        if (closed || refusedEpoch || !upToDate) {
            return Future.succeededFuture(new EpochVote(false, promisedEpoch, promisedLeader, myLastEpoch, myLogEnd));
        }
        if (!(role == Role.FOLLOWER && epoch == request.epoch() && request.leader().equals(leader))) {
            follow(request.epoch(), request.leader(), replicas, false);
        }
        return writes.map(v -> new EpochVote(true, promisedEpoch, promisedLeader, myLastEpoch, myLogEnd));
    }

    // ------------------------------------------------------------------ sends and fetches

    /**
     * A client's batch (or a transaction's, or a dead letter), in the order of the calls: appended at once by the
     * established leader when no earlier batch waits; otherwise it waits behind those in the {@link ProduceForwarder}
     * for a leader, and is appended here or forwarded to it (a forwarded batch reaches the leader's
     * {@link #produceAsLeader}, which stores it only if that broker is the established leader).
     *
     * @param waitCommitted complete once the batch is committed (on a majority) and durable here; else after the
     *                      append (a non-persistent send; consumers still see it only once committed)
     */
    public Future<Long> produce(Buffer batch, boolean waitCommitted) {
        // Not while earlier sends wait in the forwarder: this one would be stored before them (issue 14).
        if (forwarder.isIdle() && isEstablishedLeader() && !handover.outgoing()) {
            return produceAsLeader(batch, waitCommitted);
        }
        return forwarder.forward(batch, waitCommitted, System.currentTimeMillis() + FORWARD_DEADLINE_MS);
    }

    /**
     * A batch stored only if this broker is the established leader: forwarded by another broker, or a transaction's
     * part. Taken during a {@link Handover} too (the successor fetches it before it stands); clients' sends are not.
     */
    public Future<Long> produceAsLeader(Buffer batch, boolean waitCommitted) {
        return leading.produce(batch, waitCommitted);
    }

    /** FETCH from a follower: checks epoch and history, counts its offset, answers with batches or waits. */
    public Future<FetchResult> onFetch(Fetch fetch) {
        return leading.onFetch(fetch);
    }

    // ------------------------------------------------------------------ metadata

    /**
     * A subscription's position changed here (the leader): sent to the followers in the partition's log, coalesced
     * over {@link #POSITION_BATCH_MS}, so that a new leader resumes the subscription where it was.
     */
    public void positionChanged(String subscription, io.heraldmq.server.meta.Position position) {
        leading.positionChanged(subscription, position);
    }

    /**
     * Appends a metadata record (a subscription definition change) as the leader; completes once it is committed.
     */
    public Future<Void> appendMetadata(ControlRecord record) {
        return leading.appendMetadata(record, System.currentTimeMillis() + FORWARD_DEADLINE_MS);
    }

    /** The leader and the follower both move the high watermark; either applies the metadata it commits. */
    void applyCommittedMetadata() {
        following.applyCommittedMetadata();
    }

    /**
     * The offset below which all this replica's metadata has been handed to the store, if that is news; -1 if not.
     * The caller syncs the store, then {@link #writeMetadataCheckpoint writes} it. Context: the partition's.
     */
    public long metadataCheckpointCandidate() {
        return unapplied.checkpointCandidate(highWatermark);
    }

    /** Blocking, on a worker: see {@link UnappliedMetadata#writeCheckpoint}. */
    public void writeMetadataCheckpoint(long offset) throws java.io.IOException {
        unapplied.writeCheckpoint(offset);
    }

    /**
     * Whether consumers may be served here: the established leader, whose own epoch marker is committed, so that all
     * the metadata its log holds from earlier leaders (subscription definitions and positions) is applied.
     */
    public boolean servesConsumers() {
        return isEstablishedLeader() && leading.epochCommitted() && gate.passed();
    }

    /**
     * Whether the transactions decided for this partition before this leadership are applied (see {@link #gate}):
     * only then may a transaction be planned on it. False unless this broker is the established leader.
     */
    public boolean gatePassed() {
        return gate.passed() && isEstablishedLeader();
    }

    /**
     * Sets what a new leader does before it serves ({@code TxGate}, see {@link TransactionsGate}); null for nothing.
     * Before the first role.
     */
    public void gate(java.util.function.Function<PartitionReplica, Future<Void>> newGate) {
        gate.set(newGate);
    }

    /** The high watermark passed this leadership's epoch marker: pass the gate. */
    void epochCommitted() {
        gate.epochCommitted(generation);
    }

    /** Completes once everything in the log now is committed; fails unless this broker is the established leader. */
    public Future<Void> committedBarrier() {
        if (!isEstablishedLeader()) {
            return Future.failedFuture(notLeader());
        }
        return leading.awaitCommitted(partition.logEndOffset());
    }

    /**
     * Writes the subscription positions changed here so far at once and completes once they are committed: a
     * transaction's acks are applied only then.
     */
    public Future<Void> positionsCommitted() {
        return leading.positionsCommitted();
    }

    int majority() {
        return replicas.size() / 2 + 1;
    }

    // ------------------------------------------------------------------ follower

    private void follow(int newEpoch, String newLeader, List<String> newReplicas, boolean givingUpOwn) {
        stepDown();
        role = Role.FOLLOWER;
        epoch = newEpoch;
        leaderChanged(newLeader);
        replicas = List.copyOf(newReplicas);
        int gen = generation;
        promise(newEpoch, newLeader, givingUpOwn).onComplete(ar -> {
            if (ar.failed()) {
                LOG.error("{}: cannot record the promise of epoch {}", key, newEpoch, ar.cause());
                if (gen == generation) {
                    role = Role.NONE;
                }
                return;
            }
            following.fetchLoop(gen);
        });
        forwarder.retryNow();
    }

    // ------------------------------------------------------------------ common

    /** Makes the promise (epoch, leader), durably, after any write before it. */
    private Future<Void> promise(int newEpoch, String newLeader) {
        return promise(newEpoch, newLeader, false);
    }

    /** As {@link #promise(int, String)}; {@code givingUpOwn}: see {@link #assignmentChanged}. */
    private Future<Void> promise(int newEpoch, String newLeader, boolean givingUpOwn) {
        if (newEpoch == promisedEpoch && newLeader.equals(promisedLeader)) {
            return writes;
        }
        promisedEpoch = newEpoch;
        promisedLeader = newLeader;
        Future<Void> written = writes.transform(v -> vertx().<Void>executeBlocking(() -> {
            if (givingUpOwn) {
                promiseFile.giveUpOwnEpoch(newEpoch, localId, newLeader);
            } else {
                promiseFile.promise(newEpoch, newLeader);
            }
            return null;
        }, false));
        writes = onContext(written);
        return writes;
    }

    /** {@code f}, completed on the partition's context (durable appends complete on a flush thread). */
    <T> Future<T> onContext(Future<T> f) {
        Promise<T> p = Promise.promise();
        f.onComplete(ar -> partition.run(() -> p.handle(ar)));
        return p.future();
    }

    /** Leaves the current role: commits waiting are failed (the client may retry elsewhere), held fetches fenced. */
    private void stepDown() {
        boolean wasLeader = role == Role.LEADER && leading.established();
        generation++;
        gate.reset();
        leading.stopPositionBatching();
        if (wasLeader && !closed) {
            leadershipLost.run();
        }
        cancelVoteTimer();
        handover.reset();
        leading.stepDown();
        votes.clear();
    }

    private void cancelVoteTimer() {
        if (voteTimer >= 0) {
            vertx().cancelTimer(voteTimer);
            voteTimer = -1;
        }
    }

    ProtocolException notLeader() {
        return new ProtocolException(ErrorCode.NOT_LEADER, "this broker does not lead " + key + " (epoch "
                + epoch + ", leader " + leader + ")");
    }

    private io.vertx.core.Vertx vertx() {
        return partition.context().owner();
    }

    /** The partition is closing: stop every loop. */
    public void close() {
        stepDown();
        closed = true;
        role = Role.NONE;
    }
}
