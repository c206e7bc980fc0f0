package io.heraldmq.server.replication;

import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.meta.Position;
import io.heraldmq.server.partition.Partition;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The leader's side of a {@link PartitionReplica}: what it knows of its followers, the high watermark it computes
 * from them, the sends waiting for it, the fetches it holds and the positions it batches. Its replica's role, epoch
 * and replicas decide whether it acts; the replica resets it whenever the role changes ({@link #stepDown}). Runs on
 * the partition's context, like its replica.
 */
final class LeaderState {
    /** What a leader knows of one follower. */
    private static final class Progress {
        long fetchOffset = -1;
        /** The last time the follower held everything the leader had then. */
        long caughtUpAtMs;
        /** The leader's log end and the time when the follower's previous fetch arrived. */
        long previousFetchLogEnd = -1;
        long previousFetchAtMs;
    }

    private record ParkedFetch(Fetch fetch, Promise<FetchResult> answer, long timer) {
    }

    private record CommitWaiter(long offset, Promise<Void> promise) {
    }

    private final PartitionReplica replica;
    private final Partition partition;

    private boolean established;
    private long epochStart;
    private final Map<String, Progress> followers = new HashMap<>();
    private final ArrayDeque<CommitWaiter> waiters = new ArrayDeque<>();
    private final List<ParkedFetch> parked = new ArrayList<>();

    /** Positions changed since the last position batch, by subscription id. */
    private final Map<String, Position> dirtyPositions = new LinkedHashMap<>();
    private long positionTimer = -1;

    LeaderState(PartitionReplica replica) {
        this.replica = replica;
        this.partition = replica.partition();
    }

    boolean established() {
        return established;
    }

    /** Whether the high watermark passed this epoch's marker: everything in the log below it is committed. */
    boolean epochCommitted() {
        return established && replica.highWatermark() > epochStart;
    }

    /** The replica won an election; its epoch begins at {@code start}, where its marker goes. */
    void begin(long start) {
        established = false;
        epochStart = start;
        followers.clear();
    }

    /** The epoch's marker is in the log: from now on this broker leads. */
    void establish() {
        established = true;
    }

    /** Stops batching positions; those not yet written are dropped. */
    void stopPositionBatching() {
        if (positionTimer >= 0) {
            vertx().cancelTimer(positionTimer);
            positionTimer = -1;
        }
        dirtyPositions.clear();
    }

    /** Commits waiting are failed (the client may retry elsewhere), held fetches fenced. */
    void stepDown() {
        established = false;
        while (!waiters.isEmpty()) {
            waiters.poll().promise.fail(replica.notLeader());
        }
        for (ParkedFetch p : parked) {
            vertx().cancelTimer(p.timer);
            p.answer.complete(FetchResult.error(FetchResult.FENCED, replica.epoch()));
        }
        parked.clear();
        followers.clear();
    }

    /**
     * The in-sync replicas: the leader and every follower that reached the log end within
     * {@link PartitionReplica#ISR_LAG_MS}. The caller checks that this broker is the established leader.
     */
    List<String> inSyncReplicas(long nowMs) {
        List<String> isr = new ArrayList<>();
        for (String r : replica.replicas()) {
            Progress p = followers.get(r);
            if (r.equals(replica.localId()) || (p != null && nowMs - p.caughtUpAtMs <= PartitionReplica.ISR_LAG_MS)) {
                isr.add(r);
            }
        }
        return isr;
    }

    /**
     * The records the slowest follower of this epoch lacks up to the log end; followers that have not fetched yet in
     * this epoch are not counted (their state is unknown; the in-sync set leaves them out).
     */
    long slowestFollowerLag() {
        long end = partition.logEndOffset();
        long lag = 0;
        for (Progress p : followers.values()) {
            if (p.fetchOffset >= 0) {
                lag = Math.max(lag, end - p.fetchOffset);
            }
        }
        return lag;
    }

    // ------------------------------------------------------------------ sends

    /** A batch forwarded by another broker: stored only if this broker is the established leader. */
    Future<Long> produce(Buffer batch, boolean waitCommitted) {
        if (!replica.isEstablishedLeader()) {
            return Future.failedFuture(replica.notLeader());
        }
        Future<Long> appended = partition.appendAsLeader(batch, replica.epoch(), waitCommitted);
        long next = partition.logEndOffset();
        Future<Void> committed = waitCommitted ? awaitCommitted(next) : Future.succeededFuture();
        answerParkedFetches();
        advanceHighWatermark();
        return waitCommitted ? appended.compose(base -> committed.map(base)) : appended;
    }

    /** Completes once the high watermark reaches {@code nextOffset}; fails if this broker steps down first. */
    Future<Void> awaitCommitted(long nextOffset) {
        if (replica.highWatermark() >= nextOffset) {
            return Future.succeededFuture();
        }
        Promise<Void> p = Promise.promise();
        waiters.add(new CommitWaiter(nextOffset, p));
        return p.future();
    }

    // ------------------------------------------------------------------ fetches

    /** FETCH from a follower: checks epoch and history, counts its offset, answers with batches or waits. */
    Future<FetchResult> onFetch(Fetch fetch) {
        int epoch = replica.epoch();
        if (!replica.isEstablishedLeader() || fetch.epoch() != epoch
                || !replica.replicas().contains(fetch.follower())) {
            return Future.succeededFuture(FetchResult.error(FetchResult.FENCED, epoch));
        }
        long logEnd = partition.logEndOffset();
        FetchResult diverging = Divergence.check(replica, fetch.lastFetchedEpoch(), fetch.fetchOffset());
        if (diverging != null) {
            return Future.succeededFuture(diverging);
        }
        FetchResult handedOver = replica.handover().fetchedAtEnd(fetch, logEnd);
        if (handedOver != null) {
            return Future.succeededFuture(handedOver);
        }
        Progress progress = followers.computeIfAbsent(fetch.follower(), f -> new Progress());
        progress.fetchOffset = fetch.fetchOffset();
        long now = System.currentTimeMillis();
        if (fetch.fetchOffset() >= logEnd) {
            progress.caughtUpAtMs = now;
        } else if (progress.previousFetchLogEnd >= 0 && fetch.fetchOffset() >= progress.previousFetchLogEnd) {
            // Under steady sends the follower is rarely at the very end when it asks, but it holds everything the
            // leader had when it asked last time: it was caught up then (Kafka's rule). Without this a follower
            // back from a restart or a split never rejoins the in-sync set while producers keep going.
            progress.caughtUpAtMs = Math.max(progress.caughtUpAtMs, progress.previousFetchAtMs);
        }
        progress.previousFetchLogEnd = logEnd;
        progress.previousFetchAtMs = now;
        advanceHighWatermark();
        if (fetch.fetchOffset() < logEnd) {
            return read(fetch);
        }
        Promise<FetchResult> answer = Promise.promise();
        long timer = vertx().setTimer(PartitionReplica.FETCH_WAIT_MS, t -> partition.run(() -> answerParked(fetch)));
        parked.add(new ParkedFetch(fetch, answer, timer));
        return answer.future();
    }

    /** Whether {@code follower} fetched in this epoch within the last {@code withinMs}. */
    boolean fetchedRecently(String follower, long nowMs, long withinMs) {
        Progress p = followers.get(follower);
        return p != null && p.fetchOffset >= 0 && nowMs - p.previousFetchAtMs <= withinMs;
    }

    /** Answers every held fetch now (empty): their followers ask again at once, e.g. to be handed over to. */
    void releaseParkedFetches() {
        for (ParkedFetch p : new ArrayList<>(parked)) {
            vertx().cancelTimer(p.timer);
            answerParked(p.fetch);
        }
    }

    private Future<FetchResult> read(Fetch fetch) {
        long from = fetch.fetchOffset();
        Buffer cached = partition.readCached(from);
        Future<Buffer> batches;
        if (cached != null) {
            // consecutive cached batches, up to the fetch size
            Buffer out = Buffer.buffer(Math.min(PartitionReplica.FETCH_MAX_BYTES, Math.max(cached.length(), 4096)));
            Buffer next = cached;
            while (next != null && (out.length() == 0 || out.length() + next.length() <= fetch.maxBytes())) {
                out.appendBuffer(next);
                next = partition.readCached(RecordBatch.nextOffset(next));
            }
            batches = Future.succeededFuture(out);
        } else {
            batches = partition.read(from);
        }
        int e = replica.epoch();
        return batches.map(b -> new FetchResult(FetchResult.NONE, e, replica.highWatermark(),
                partition.logStartOffset(), -1, -1, b));
    }

    private void answerParked(Fetch fetch) {
        for (int i = 0; i < parked.size(); i++) {
            ParkedFetch p = parked.get(i);
            if (p.fetch == fetch) {
                parked.remove(i);
                p.answer.complete(new FetchResult(FetchResult.NONE, replica.epoch(), replica.highWatermark(),
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
    void advanceHighWatermark() {
        if (!replica.isEstablishedLeader()) {
            return;
        }
        List<String> replicas = replica.replicas();
        long[] ends = new long[replicas.size()];
        int n = 0;
        for (String r : replicas) {
            if (r.equals(replica.localId())) {
                ends[n++] = partition.logEndOffset();
            } else {
                Progress p = followers.get(r);
                ends[n++] = p == null ? -1 : p.fetchOffset;
            }
        }
        Arrays.sort(ends);
        long candidate = ends[ends.length - replica.majority()];
        if (candidate <= epochStart || candidate <= replica.highWatermark()) {
            return;
        }
        boolean firstOfEpoch = replica.highWatermark() <= epochStart;
        replica.highWatermark(candidate);
        while (!waiters.isEmpty() && waiters.peek().offset <= candidate) {
            waiters.poll().promise.complete();
        }
        // metadata fetched while this broker followed is applied once its own leadership commits it
        replica.applyCommittedMetadata();
        if (firstOfEpoch) {
            replica.epochCommitted();
        }
        partition.visibleEndAdvanced();
    }

    // ------------------------------------------------------------------ metadata

    /**
     * A subscription's position changed here: sent to the followers in the partition's log, coalesced over
     * {@link PartitionReplica#POSITION_BATCH_MS}, so that a new leader resumes the subscription where it was.
     */
    void positionChanged(String subscription, Position position) {
        if (!replica.isEstablishedLeader()) {
            return;
        }
        dirtyPositions.put(subscription, position);
        if (positionTimer < 0) {
            int gen = replica.generation();
            positionTimer = vertx().setTimer(PartitionReplica.POSITION_BATCH_MS, t -> partition.run(() -> {
                positionTimer = -1;
                if (gen == replica.generation()) {
                    writePositions();
                }
            }));
        }
    }

    /**
     * Writes the positions changed so far now, rather than at the end of the batching interval, and completes once
     * they are committed (with everything before them in the log).
     */
    Future<Void> positionsCommitted() {
        if (!replica.isEstablishedLeader()) {
            return Future.failedFuture(replica.notLeader());
        }
        if (positionTimer >= 0) {
            vertx().cancelTimer(positionTimer);
            positionTimer = -1;
        }
        writePositions();
        return awaitCommitted(partition.logEndOffset());
    }

    private void writePositions() {
        if (dirtyPositions.isEmpty() || !replica.isEstablishedLeader()) {
            dirtyPositions.clear();
            return;
        }
        List<ControlRecord> records = new ArrayList<>();
        dirtyPositions.forEach((id, pos) -> records.add(new ControlRecord.PositionChange(id, pos)));
        dirtyPositions.clear();
        partition.appendAsLeader(ControlRecord.batch(records), replica.epoch(), false);
        answerParkedFetches();
        advanceHighWatermark();
    }

    /**
     * Appends a metadata record (a subscription definition change); completes once it is committed. Until the
     * deadline, a broker being elected waits for its election to end.
     */
    Future<Void> appendMetadata(ControlRecord record, long deadline) {
        if (!replica.isEstablishedLeader()) {
            PartitionReplica.Role role = replica.role();
            boolean electing = role == PartitionReplica.Role.CANDIDATE
                    || (role == PartitionReplica.Role.LEADER && !established);
            if (!electing || replica.closed() || System.currentTimeMillis() >= deadline) {
                return Future.failedFuture(replica.notLeader());
            }
            // the table named this broker a moment ago and the replicas' votes are on their way
            Promise<Void> retried = Promise.promise();
            vertx().setTimer(PartitionReplica.RETRY_MS, t -> partition.run(() -> appendMetadata(record, deadline)
                    .onComplete(retried)));
            return retried.future();
        }
        Future<Long> appended = partition.appendAsLeader(ControlRecord.batch(List.of(record)), replica.epoch(), true);
        Future<Void> committed = awaitCommitted(partition.logEndOffset());
        answerParkedFetches();
        advanceHighWatermark();
        return appended.compose(x -> committed);
    }

    private io.vertx.core.Vertx vertx() {
        return partition.context().owner();
    }
}
