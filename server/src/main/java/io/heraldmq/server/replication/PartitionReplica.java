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

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

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
 */
public final class PartitionReplica {
    private static final Logger LOG = Logger.getLogger(PartitionReplica.class.getName());

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
    /** How long a send waits for a partition to have a reachable leader. */
    static final long FORWARD_DEADLINE_MS = 15_000;

    /** What a leader knows of one follower. */
    private static final class Progress {
        long fetchOffset = -1;
        long caughtUpAtMs;
    }

    private record ParkedFetch(Fetch fetch, Promise<FetchResult> answer, long timer) {
    }

    private record CommitWaiter(long offset, Promise<Void> promise) {
    }

    private final Partition partition;
    private final String key;
    private final String localId;
    private final ReplicationPeers peers;
    private final LeaderEpochCache epochs;
    private final EpochPromiseFile promiseFile;
    private final ReplicatedMetadata metadata;
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

    // leader and candidate
    private boolean established;
    private long epochStart;
    private final java.util.Map<String, Progress> followers = new java.util.HashMap<>();
    private final java.util.ArrayDeque<CommitWaiter> waiters = new java.util.ArrayDeque<>();
    private final List<ParkedFetch> parked = new ArrayList<>();
    private final java.util.Set<String> votes = new java.util.HashSet<>();
    private long voteTimer = -1;

    /** Leader: positions changed since the last position batch, by subscription id. */
    private final java.util.Map<String, io.heraldmq.server.meta.Position> dirtyPositions =
            new java.util.LinkedHashMap<>();
    private long positionTimer = -1;
    /** Metadata fetched from the leader, applied once the high watermark passes it: (offset, record). */
    private final java.util.ArrayDeque<Object[]> pendingMetadata = new java.util.ArrayDeque<>();

    // follower: each role change starts a new generation, and a fetch loop of an older one stops
    private int generation;
    private boolean closed;

    private PartitionReplica(Partition partition, String key, String localId, ReplicationPeers peers,
                             LeaderEpochCache epochs, EpochPromiseFile promiseFile, ReplicatedMetadata metadata,
                             Runnable leadershipLost) {
        this.partition = partition;
        this.metadata = metadata;
        this.leadershipLost = leadershipLost;
        this.key = key;
        this.localId = localId;
        this.peers = peers;
        this.epochs = epochs;
        this.promiseFile = promiseFile;
        this.promisedEpoch = promiseFile.epoch();
        this.promisedLeader = promiseFile.leader();
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
        return partition.context().owner().executeBlocking(() -> {
            LeaderEpochCache epochs = LeaderEpochCache.open(partition.directory());
            epochs.truncateFromEnd(logEnd);
            EpochPromiseFile promise = EpochPromiseFile.open(partition.directory());
            return new PartitionReplica(partition, key, localId, peers, epochs, promise, metadata, leadershipLost);
        }, false).map(r -> {
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

    public boolean isEstablishedLeader() {
        return role == Role.LEADER && established;
    }

    /**
     * The in-sync replicas as the leader sees them: itself and every follower that reached the log end within
     * {@link #ISR_LAG_MS}. Empty unless this broker is the established leader.
     */
    public List<String> inSyncReplicas(long nowMs) {
        if (!isEstablishedLeader()) {
            return List.of();
        }
        List<String> isr = new ArrayList<>();
        for (String r : replicas) {
            Progress p = followers.get(r);
            if (r.equals(localId) || (p != null && nowMs - p.caughtUpAtMs <= ISR_LAG_MS)) {
                isr.add(r);
            }
        }
        return isr;
    }

    // ------------------------------------------------------------------ table

    /**
     * The partition table's proposal for this partition changed (or was read at start). Acts on proposals newer than
     * the promise: becomes a candidate when it names this broker, else follows the named leader. Older proposals
     * are ignored: the table is not trusted to be consistent, only to be eventually right.
     */
    public void assignmentChanged(List<String> newReplicas, String newLeader, int tableEpoch) {
        if (closed || newLeader == null) {
            return;
        }
        boolean newer = tableEpoch > promisedEpoch;
        boolean same = tableEpoch == promisedEpoch && newLeader.equals(promisedLeader);
        if (newLeader.equals(localId)) {
            if (newer || (same && role != Role.LEADER && role != Role.CANDIDATE)) {
                startCandidacy(tableEpoch, newReplicas);
            } else if (same) {
                replicas = List.copyOf(newReplicas);
            }
        } else if (newer || (same && (role != Role.FOLLOWER || !newLeader.equals(leader)))) {
            follow(tableEpoch, newLeader, newReplicas);
        } else if (same) {
            replicas = List.copyOf(newReplicas);
        }
    }

    // ------------------------------------------------------------------ election

    private void startCandidacy(int newEpoch, List<String> newReplicas) {
        stepDown();
        role = Role.CANDIDATE;
        epoch = newEpoch;
        leader = localId;
        replicas = List.copyOf(newReplicas);
        int gen = generation;
        promise(newEpoch, localId).onComplete(ar -> {
            if (gen != generation) {
                return;
            }
            if (ar.failed()) {
                LOG.log(Level.SEVERE, key + ": cannot record the promise of epoch " + newEpoch, ar.cause());
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
                    LOG.info(() -> key + ": " + r + " promised epoch " + vote.promisedEpoch() + " to "
                            + vote.promisedLeader() + "; candidacy for " + epoch + " ends");
                    stepDown();
                    role = Role.NONE;
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
        established = false;
        epochStart = partition.logEndOffset();
        followers.clear();
        long start = epochStart;
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
                LOG.log(Level.SEVERE, key + ": cannot record epoch " + e, ar.cause());
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
                    LOG.log(Level.SEVERE, key + ": cannot append the marker of epoch " + e, appended.cause());
                    stepDown();
                    role = Role.NONE;
                    return;
                }
                established = true;
                // The previous leader may have delivered any of these without an acknowledgement reaching us:
                // their first delivery from here counts as a redelivery (JMSRedelivered).
                partition.possiblyDeliveredBelow(start);
                LOG.info(() -> key + ": leader of epoch " + e + " from offset " + start + " (replicas "
                        + replicas + ")");
                advanceHighWatermark();
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
            follow(request.epoch(), request.leader(), replicas);
        }
        return writes.map(v -> new EpochVote(true, promisedEpoch, promisedLeader, myLastEpoch, myLogEnd));
    }

    // ------------------------------------------------------------------ leader

    /**
     * A client's batch (from this broker's client or forwarded by another broker). Appended only by the established
     * leader; anyone else answers NOT_LEADER, and the batch was not stored.
     *
     * @param waitCommitted complete once the batch is committed (on a majority) and durable here; else after the
     *                      append (a non-persistent send; consumers still see it only once committed)
     */
    public Future<Long> produce(Buffer batch, boolean waitCommitted) {
        if (isEstablishedLeader()) {
            return produceAsLeader(batch, waitCommitted);
        }
        return forward(batch, waitCommitted, System.currentTimeMillis() + FORWARD_DEADLINE_MS);
    }

    /**
     * Hands a client's batch to the leader. Retried while there is no leader, or the one asked answers NOT_LEADER
     * (it stored nothing) or could not be reached at all; a request sent and not answered is in doubt and fails
     * (retrying it could store the batch twice).
     */
    private Future<Long> forward(Buffer batch, boolean waitCommitted, long deadline) {
        if (closed) {
            return Future.failedFuture(notLeader());
        }
        if (isEstablishedLeader()) {
            return produceAsLeader(batch, waitCommitted);
        }
        String to = role == Role.FOLLOWER ? leader : null;
        if (to == null) {
            return retryForward(batch, waitCommitted, deadline, "no leader");
        }
        ForwardProduce request = new ForwardProduce(key, waitCommitted, batch);
        return onContext(peers.request(to, request.encode(peers.nextCorrelationId()))).transform(ar -> {
            if (ar.failed()) {
                if (ar.cause() instanceof ReplicationPeers.NotSentException) {
                    return retryForward(batch, waitCommitted, deadline, ar.cause().getMessage());
                }
                return Future.failedFuture(new ProtocolException(ErrorCode.INTERNAL, "the send to " + key
                        + " is in doubt: its leader " + to + " did not answer (" + ar.cause().getMessage() + ")"));
            }
            ForwardResult result = ForwardResult.decode(ar.result().body());
            if (result.errorCode() == 0) {
                return Future.succeededFuture(result.baseOffset());
            }
            ErrorCode code = ErrorCode.of(result.errorCode());
            if (code == ErrorCode.NOT_LEADER) {
                return retryForward(batch, waitCommitted, deadline, result.message());
            }
            return Future.failedFuture(new ProtocolException(code, result.message()));
        });
    }

    private Future<Long> retryForward(Buffer batch, boolean waitCommitted, long deadline, String why) {
        if (System.currentTimeMillis() >= deadline) {
            return Future.failedFuture(new ProtocolException(ErrorCode.NOT_LEADER, key + " has no reachable leader"
                    + " after " + FORWARD_DEADLINE_MS + " ms (" + why + ")"));
        }
        Promise<Long> retried = Promise.promise();
        vertx().setTimer(RETRY_MS, t -> partition.run(() -> forward(batch, waitCommitted, deadline)
                .onComplete(retried)));
        return retried.future();
    }

    /** A batch forwarded by another broker: stored only if this broker is the established leader. */
    public Future<Long> produceAsLeader(Buffer batch, boolean waitCommitted) {
        if (!isEstablishedLeader()) {
            return Future.failedFuture(notLeader());
        }
        Future<Long> appended = partition.appendAsLeader(batch, epoch, waitCommitted);
        long next = partition.logEndOffset();
        Future<Void> committed = waitCommitted ? awaitCommitted(next) : Future.succeededFuture();
        answerParkedFetches();
        advanceHighWatermark();
        return waitCommitted ? appended.compose(base -> committed.map(base)) : appended;
    }

    private Future<Void> awaitCommitted(long nextOffset) {
        if (highWatermark >= nextOffset) {
            return Future.succeededFuture();
        }
        Promise<Void> p = Promise.promise();
        waiters.add(new CommitWaiter(nextOffset, p));
        return p.future();
    }

    /** FETCH from a follower: checks epoch and history, counts its offset, answers with batches or waits. */
    public Future<FetchResult> onFetch(Fetch fetch) {
        if (!isEstablishedLeader() || fetch.epoch() != epoch || !replicas.contains(fetch.follower())) {
            return Future.succeededFuture(FetchResult.error(FetchResult.FENCED, epoch));
        }
        long logEnd = partition.logEndOffset();
        if (fetch.lastFetchedEpoch() >= 0 || fetch.fetchOffset() > partition.logStartOffset()) {
            LeaderEpochCache.EpochEnd end = epochs.endOffsetFor(fetch.lastFetchedEpoch(), logEnd);
            if (end.epoch() != fetch.lastFetchedEpoch() || end.endOffset() < fetch.fetchOffset()) {
                return Future.succeededFuture(new FetchResult(FetchResult.DIVERGING, epoch, highWatermark,
                        partition.logStartOffset(), end.epoch(), end.endOffset(), Buffer.buffer(0)));
            }
        }
        Progress progress = followers.computeIfAbsent(fetch.follower(), f -> new Progress());
        progress.fetchOffset = fetch.fetchOffset();
        if (fetch.fetchOffset() >= logEnd) {
            progress.caughtUpAtMs = System.currentTimeMillis();
        }
        advanceHighWatermark();
        if (fetch.fetchOffset() < logEnd) {
            return read(fetch);
        }
        Promise<FetchResult> answer = Promise.promise();
        long timer = vertx().setTimer(FETCH_WAIT_MS, t -> partition.run(() -> answerParked(fetch)));
        parked.add(new ParkedFetch(fetch, answer, timer));
        return answer.future();
    }

    private Future<FetchResult> read(Fetch fetch) {
        long from = fetch.fetchOffset();
        Buffer cached = partition.readCached(from);
        Future<Buffer> batches;
        if (cached != null) {
            // consecutive cached batches, up to the fetch size
            Buffer out = Buffer.buffer(Math.min(FETCH_MAX_BYTES, Math.max(cached.length(), 4096)));
            Buffer next = cached;
            while (next != null && (out.length() == 0 || out.length() + next.length() <= fetch.maxBytes())) {
                out.appendBuffer(next);
                next = partition.readCached(RecordBatch.nextOffset(next));
            }
            batches = Future.succeededFuture(out);
        } else {
            batches = partition.read(from);
        }
        int e = epoch;
        return batches.map(b -> new FetchResult(FetchResult.NONE, e, highWatermark, partition.logStartOffset(),
                -1, -1, b));
    }

    private void answerParked(Fetch fetch) {
        for (int i = 0; i < parked.size(); i++) {
            ParkedFetch p = parked.get(i);
            if (p.fetch == fetch) {
                parked.remove(i);
                p.answer.complete(new FetchResult(FetchResult.NONE, epoch, highWatermark,
                        partition.logStartOffset(), -1, -1, Buffer.buffer(0)));
                return;
            }
        }
    }

    private void answerParkedFetches() {
        if (parked.isEmpty()) {
            return;
        }
        List<ParkedFetch> ready = new ArrayList<>(parked);
        parked.clear();
        for (ParkedFetch p : ready) {
            vertx().cancelTimer(p.timer);
            read(p.fetch).onComplete(p.answer);
        }
    }

    /**
     * Moves the high watermark to the largest offset a majority holds, if that is above the epoch marker, and
     * completes the sends it commits.
     */
    private void advanceHighWatermark() {
        if (!isEstablishedLeader()) {
            return;
        }
        long[] ends = new long[replicas.size()];
        int n = 0;
        for (String r : replicas) {
            if (r.equals(localId)) {
                ends[n++] = partition.logEndOffset();
            } else {
                Progress p = followers.get(r);
                ends[n++] = p == null ? -1 : p.fetchOffset;
            }
        }
        java.util.Arrays.sort(ends);
        long candidate = ends[ends.length - majority()];
        if (candidate <= epochStart || candidate <= highWatermark) {
            return;
        }
        highWatermark = candidate;
        while (!waiters.isEmpty() && waiters.peek().offset <= highWatermark) {
            waiters.poll().promise.complete();
        }
        applyCommittedMetadata();
        partition.visibleEndAdvanced();
    }

    // ------------------------------------------------------------------ metadata

    /**
     * A subscription's position changed here (the leader): sent to the followers in the partition's log, coalesced
     * over {@link #POSITION_BATCH_MS}, so that a new leader resumes the subscription where it was.
     */
    public void positionChanged(String subscription, io.heraldmq.server.meta.Position position) {
        if (!isEstablishedLeader()) {
            return;
        }
        dirtyPositions.put(subscription, position);
        if (positionTimer < 0) {
            int gen = generation;
            positionTimer = vertx().setTimer(POSITION_BATCH_MS, t -> partition.run(() -> {
                positionTimer = -1;
                if (gen == generation) {
                    writePositions();
                }
            }));
        }
    }

    private void writePositions() {
        if (dirtyPositions.isEmpty() || !isEstablishedLeader()) {
            dirtyPositions.clear();
            return;
        }
        List<ControlRecord> records = new ArrayList<>();
        dirtyPositions.forEach((id, pos) -> records.add(new ControlRecord.PositionChange(id, pos)));
        dirtyPositions.clear();
        partition.appendAsLeader(ControlRecord.batch(records), epoch, false);
        answerParkedFetches();
        advanceHighWatermark();
    }

    /**
     * Appends a metadata record (a subscription definition change) as the leader; completes once it is committed.
     */
    public Future<Void> appendMetadata(ControlRecord record) {
        return appendMetadata(record, System.currentTimeMillis() + FORWARD_DEADLINE_MS);
    }

    private Future<Void> appendMetadata(ControlRecord record, long deadline) {
        if (!isEstablishedLeader()) {
            boolean electing = role == Role.CANDIDATE || (role == Role.LEADER && !established);
            if (!electing || closed || System.currentTimeMillis() >= deadline) {
                return Future.failedFuture(notLeader());
            }
            // the table named this broker a moment ago and the replicas' votes are on their way
            Promise<Void> retried = Promise.promise();
            vertx().setTimer(RETRY_MS, t -> partition.run(() -> appendMetadata(record, deadline)
                    .onComplete(retried)));
            return retried.future();
        }
        Future<Long> appended = partition.appendAsLeader(ControlRecord.batch(List.of(record)), epoch, true);
        Future<Void> committed = awaitCommitted(partition.logEndOffset());
        answerParkedFetches();
        advanceHighWatermark();
        return appended.compose(x -> committed);
    }

    /** Metadata records fetched from the leader (not the epoch markers), to apply once committed. */
    private void collectMetadata(Buffer batches) {
        int pos = 0;
        while (pos + RecordBatch.HEADER_BYTES <= batches.length()) {
            int size = RecordBatch.sizeAt(batches, pos);
            Buffer batch = batches.slice(pos, pos + size);
            if (RecordBatch.isControl(batch)) {
                for (ControlRecord r : ControlRecord.decode(batch)) {
                    pendingMetadata.add(new Object[]{RecordBatch.baseOffset(batch), r});
                }
            }
            pos += size;
        }
    }

    private void applyCommittedMetadata() {
        if (metadata == null) {
            pendingMetadata.clear();
            return;
        }
        while (!pendingMetadata.isEmpty() && (long) pendingMetadata.peek()[0] < highWatermark) {
            metadata.apply(partition.id(), (ControlRecord) pendingMetadata.poll()[1]);
        }
    }

    private int majority() {
        return replicas.size() / 2 + 1;
    }

    // ------------------------------------------------------------------ follower

    private void follow(int newEpoch, String newLeader, List<String> newReplicas) {
        stepDown();
        role = Role.FOLLOWER;
        epoch = newEpoch;
        leader = newLeader;
        replicas = List.copyOf(newReplicas);
        int gen = generation;
        promise(newEpoch, newLeader).onComplete(ar -> {
            if (ar.failed()) {
                LOG.log(Level.SEVERE, key + ": cannot record the promise of epoch " + newEpoch, ar.cause());
                if (gen == generation) {
                    role = Role.NONE;
                }
                return;
            }
            fetchLoop(gen);
        });
    }

    private void fetchLoop(int gen) {
        if (gen != generation || role != Role.FOLLOWER || closed) {
            return;
        }
        Fetch fetch = new Fetch(key, localId, epoch, partition.logEndOffset(), lastEpoch(), FETCH_MAX_BYTES);
        peers.request(leader, fetch.encode(peers.nextCorrelationId())).onComplete(ar -> partition.run(() -> {
            if (gen != generation || closed) {
                return;
            }
            if (ar.failed()) {
                retryFetch(gen);
                return;
            }
            FetchResult result = FetchResult.decode(ar.result().body());
            switch (result.error()) {
                case FetchResult.NONE -> {
                    if (result.batches().length() == 0) {
                        highWatermark = Math.min(result.highWatermark(), partition.logEndOffset());
                        applyCommittedMetadata();
                        fetchLoop(gen);
                    } else {
                        appendFetched(result).onComplete(done -> {
                            if (done.failed()) {
                                LOG.log(Level.WARNING, key + ": append of fetched batches failed", done.cause());
                                retryFetch(gen);
                            } else {
                                fetchLoop(gen);
                            }
                        });
                    }
                }
                case FetchResult.DIVERGING -> truncateDiverged(result).onComplete(done -> {
                    if (done.failed()) {
                        LOG.log(Level.SEVERE, key + ": truncation failed", done.cause());
                        retryFetch(gen);
                    } else {
                        fetchLoop(gen);
                    }
                });
                default -> retryFetch(gen);
            }
        }));
    }

    private void retryFetch(int gen) {
        vertx().setTimer(RETRY_MS, t -> partition.run(() -> fetchLoop(gen)));
    }

    /**
     * Records the epochs that begin in the fetched batches (durably, before the batches: a history that knows an
     * epoch the log lacks is repaired at open, a log holding an epoch the history lacks would vote wrongly), then
     * appends them and waits until they are durable.
     */
    private Future<Void> appendFetched(FetchResult result) {
        Buffer batches = result.batches();
        List<long[]> newEpochs = new ArrayList<>();
        int latest = lastEpoch();
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
        Future<Void> recorded = newEpochs.isEmpty() ? Future.succeededFuture()
                : vertx().executeBlocking(() -> {
                    for (long[] e : newEpochs) {
                        epochs.assign((int) e[0], e[1]);
                    }
                    return null;
                }, false);
        return recorded.compose(v -> onContext(partition.appendReplica(batches))).map(v -> {
            collectMetadata(batches);
            highWatermark = Math.min(result.highWatermark(), partition.logEndOffset());
            applyCommittedMetadata();
            return null;
        });
    }

    /** Cuts the log where its history leaves the leader's (the smaller of the two ends of the common epoch). */
    private Future<Void> truncateDiverged(FetchResult result) {
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
        LOG.info(() -> key + ": log diverges from leader " + leader + " of epoch " + epoch + "; truncating "
                + logEnd + " -> " + to);
        return partition.truncateTo(to).compose(v -> vertx().executeBlocking(() -> {
            epochs.truncateFromEnd(to);
            return null;
        }, false)).map(v -> {
            highWatermark = Math.min(highWatermark, to);
            pendingMetadata.removeIf(m -> (long) m[0] >= to);
            return null;
        });
    }

    // ------------------------------------------------------------------ common

    /** Makes the promise (epoch, leader), durably, after any write before it. */
    private Future<Void> promise(int newEpoch, String newLeader) {
        if (newEpoch == promisedEpoch && newLeader.equals(promisedLeader)) {
            return writes;
        }
        promisedEpoch = newEpoch;
        promisedLeader = newLeader;
        Future<Void> written = writes.transform(v -> vertx().<Void>executeBlocking(() -> {
            promiseFile.promise(newEpoch, newLeader);
            return null;
        }, false));
        writes = onContext(written);
        return writes;
    }

    /** {@code f}, completed on the partition's context (durable appends complete on a flush thread). */
    private <T> Future<T> onContext(Future<T> f) {
        Promise<T> p = Promise.promise();
        f.onComplete(ar -> partition.run(() -> p.handle(ar)));
        return p.future();
    }

    /** Leaves the current role: commits waiting are failed (the client may retry elsewhere), held fetches fenced. */
    private void stepDown() {
        boolean wasLeader = role == Role.LEADER && established;
        generation++;
        if (positionTimer >= 0) {
            vertx().cancelTimer(positionTimer);
            positionTimer = -1;
        }
        dirtyPositions.clear();
        if (wasLeader && !closed) {
            leadershipLost.run();
        }
        cancelVoteTimer();
        established = false;
        while (!waiters.isEmpty()) {
            waiters.poll().promise.fail(notLeader());
        }
        for (ParkedFetch p : parked) {
            vertx().cancelTimer(p.timer);
            p.answer.complete(FetchResult.error(FetchResult.FENCED, epoch));
        }
        parked.clear();
        followers.clear();
        votes.clear();
    }

    private void cancelVoteTimer() {
        if (voteTimer >= 0) {
            vertx().cancelTimer(voteTimer);
            voteTimer = -1;
        }
    }

    private ProtocolException notLeader() {
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
