package io.heraldmq.server.txlog;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.server.cluster.PartitionKey;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.replication.ControlRecord;
import io.heraldmq.server.replication.PartitionReplica;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.buffer.Buffer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The cluster's transaction decisions, kept by the leader of the one partition of the internal topic
 * {@link #TOPIC}: its log is replicated like any other, so the decisions survive the loss of any minority of
 * brokers, and the state below is rebuilt from it by every new leader before it answers anything.
 * <p>
 * Invariants (docs/architecture.md, "Transactions in a cluster"):
 * <ul>
 *   <li><b>Decided = committed here.</b> A transaction is committed once its {@link TxDecision} is below this log's
 *       high watermark; the coordinator applies nothing before that, and answers its client only after.</li>
 *   <li><b>Applied whole.</b> A decided transaction's part for a partition is applied by the coordinator, or else by
 *       the partition's next leader before that leader serves consumers or transactions ({@link TxGate}): the gate
 *       returns every decision with a part for the partition not yet recorded APPLIED. Applying is idempotent
 *       (batches counted from their lower bound, acks merged into positions), so applying twice is harmless.</li>
 *   <li><b>Fencing.</b> A gate records its partition's leader epoch (GATE, committed before it is answered). A
 *       decision planned with an older epoch of one of its partitions is refused (TRANSACTION_ROLLED_BACK): that
 *       partition's new leader has passed its gate and would never apply it. Requests are handled one at a time on
 *       the partition's context, and a decision is counted before its record is appended, so a gate either sees a
 *       decision (which is then committed before the gate's own record) or fences it.</li>
 *   <li><b>Idempotent.</b> Deciding a transaction already decided answers OK and records nothing: a coordinator
 *       that lost its answer asks again, at this leader or the next.</li>
 * </ul>
 * Runs on the partition's context. The log keeps its topic's retention ({@link ClusterTransactions#RETENTION_MS}):
 * <ul>
 *   <li><b>Carried forward.</b> A record still needed (a prepared XA branch not yet decided, a decision whose parts
 *       are not all applied) is appended again once it is {@link #carryForward older} than half the retention, so its
 *       newest copy always lies in a segment retention keeps, on every replica (the copy is replicated like any
 *       record). Replaying a copy is idempotent: a branch or decision already known is not known twice, and a
 *       decision's copy is followed by an APPLIED record of the parts applied before it, so a new leader that reads
 *       only the copy still knows which parts are open (a part applied again is harmless).</li>
 * </ul>
 */
public final class DecisionLog {
    private static final Logger LOG = LoggerFactory.getLogger(DecisionLog.class);

    /** The internal topic whose partition 0 holds the decisions. Clients cannot use names starting {@code __heraldmq.}. */
    public static final String TOPIC = "__heraldmq.transactions";
    /** Its partition key. */
    public static final String KEY = new PartitionKey(false, TOPIC, 0).encode();
    /**
     * How many transaction ids (decided or rolled back by an outcome query) are remembered, for idempotent decides
     * and for refusing a decision after its rollback: the oldest are forgotten. A coordinator gives up on deciding
     * after 15 s, so this is enough below about 6,000 transactions a second.
     */
    static final int DECIDED_KEPT = 100_000;
    /** A gate's answer carries decisions up to about this many bytes; the gate asks again for the rest. */
    static final int GATE_ANSWER_BYTES = 32 << 20;

    private final Function<String, PartitionReplica> replicas;

    // the state of one leadership, rebuilt from the log when the epoch changes
    private int loadedEpoch = -1;
    private Future<Void> loading;
    private final Map<TxId, Pending> pending = new LinkedHashMap<>();
    private final Map<TxId, Boolean> decided = new LinkedHashMap<>(1024, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<TxId, Boolean> eldest) {
            return size() > DECIDED_KEPT;
        }
    };
    private final Map<String, Integer> gates = new HashMap<>();
    /**
     * When the newest record of each prepared XA branch and each decision not wholly applied was written (its batch's
     * timestamp; ms since the epoch), for {@link #carryForward}.
     */
    private final Map<TxId, Long> recordedAt = new HashMap<>();
    /** XA branches prepared and not yet decided either way. */
    private final Map<TxId, XaBranch> xaPrepared = new LinkedHashMap<>();
    /** The transaction id of each prepared XA branch, by xid. */
    private final Map<io.heraldmq.protocol.WireXid, TxId> xaIds = new HashMap<>();
    /** Recently finished XA branches (true = committed), by xid: a repeated XA_COMMIT or XA_ROLLBACK is answered. */
    private final Map<io.heraldmq.protocol.WireXid, XaFinished> xaFinished = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<io.heraldmq.protocol.WireXid, XaFinished> eldest) {
            return size() > XA_FINISHED_KEPT;
        }
    };
    /** How many finished XA branches are remembered for repeated outcomes. */
    static final int XA_FINISHED_KEPT = 10_000;

    private record XaFinished(boolean committed, XaBranch branch) {
    }

    /** A decided transaction and its partitions whose parts are not recorded applied. */
    private static final class Pending {
        final TxDecision decision;
        final Set<String> open = new LinkedHashSet<>();

        Pending(TxDecision decision) {
            this.decision = decision;
            for (TxDecision.Participant p : decision.participants()) {
                open.add(p.partition());
            }
        }
    }

    /** @param replicas this broker's replica of a partition key, or null */
    public DecisionLog(Function<String, PartitionReplica> replicas) {
        this.replicas = replicas;
    }

    /** Records {@code decision} if it is new and not fenced; completes once it is committed. Context: any. */
    public Future<TxLogResult> decide(TxDecision decision) {
        return onLeader(r -> {
            Boolean known = decided.get(decision.id());
            if (Boolean.FALSE.equals(known)) {
                return Future.succeededFuture(TxLogResult.error(ErrorCode.TRANSACTION_ROLLED_BACK, "transaction "
                        + decision.id() + " was rolled back: its outcome was asked for before it was decided"));
            }
            if (known != null) {
                return committed(r); // its record may still be on its way to a majority
            }
            for (TxDecision.Participant p : decision.participants()) {
                Integer gate = gates.get(p.partition());
                if (gate != null && gate > p.leaderEpoch()) {
                    return Future.succeededFuture(TxLogResult.error(ErrorCode.TRANSACTION_ROLLED_BACK,
                            "partition " + p.partition() + " changed leader (epoch " + gate + ", the transaction was"
                                    + " planned in epoch " + p.leaderEpoch() + ") before the transaction was decided"));
                }
            }
            TxLogRecord.Decision record = new TxLogRecord.Decision(decision);
            replay(record, System.currentTimeMillis());
            return append(r, record);
        });
    }

    /**
     * A new leader of {@code partition} in {@code leaderEpoch}: records the gate (committed before the answer) and
     * answers the decisions with a part for it not yet applied. Context: any.
     */
    public Future<TxLogResult> gate(String partition, int leaderEpoch) {
        return onLeader(r -> {
            Integer gate = gates.get(partition);
            if (gate != null && gate > leaderEpoch) {
                return Future.succeededFuture(TxLogResult.error(ErrorCode.ILLEGAL_STATE, partition + " has a"
                        + " leader of epoch " + gate + " already; epoch " + leaderEpoch + " is over"));
            }
            List<TxDecision> due = new ArrayList<>();
            boolean more = false;
            long bytes = 0;
            for (Pending p : pending.values()) {
                if (p.open.contains(partition)) {
                    if (!due.isEmpty() && bytes + p.decision.sizeEstimate() > GATE_ANSWER_BYTES) {
                        more = true;
                        break;
                    }
                    due.add(p.decision);
                    bytes += p.decision.sizeEstimate();
                }
            }
            List<XaBranch> held = new ArrayList<>();
            for (XaBranch x : xaPrepared.values()) {
                if (x.decision().indexOf(partition) >= 0) {
                    held.add(x);
                }
            }
            TxLogRecord.Gate record = new TxLogRecord.Gate(partition, leaderEpoch);
            replay(record, System.currentTimeMillis());
            TxLogResult answer = new TxLogResult((short) 0, null, more, due, held);
            return append(r, record).map(ok -> ok.ok() ? answer : ok);
        });
    }

    /** Records that {@code partitions}' parts of the transaction are applied. Context: any. */
    public Future<TxLogResult> applied(TxId id, List<String> partitions) {
        return onLeader(r -> {
            Pending p = pending.get(id);
            if (p == null || !p.open.removeAll(partitions)) {
                return committed(r); // recorded already, or never decided here
            }
            if (p.open.isEmpty()) {
                pending.remove(id);
            }
            return append(r, new TxLogRecord.Applied(id, partitions));
        });
    }

    /**
     * The outcome of a transaction whose commit lost its answer: OK if it is decided (once that is committed), else
     * TRANSACTION_ROLLED_BACK after recording ABORTED, so that its coordinator, if it is still at work, can no
     * longer decide it. Context: any.
     */
    public Future<TxLogResult> resolve(TxId id) {
        return onLeader(r -> {
            XaBranch branch = xaPrepared.get(id);
            if (branch != null) {
                // an XA branch waits for its transaction manager's XA_COMMIT or XA_ROLLBACK, however long
                return committed(r).map(ok -> ok.ok() ? new TxLogResult(ErrorCode.XA_WRONG_STATE.code(), "XA branch "
                        + branch.xid() + " is prepared; its transaction manager decides it", false, List.of(),
                        List.of(branch)) : ok);
            }
            Boolean known = decided.get(id);
            if (Boolean.TRUE.equals(known)) {
                return committed(r);
            }
            TxLogResult rolledBack = TxLogResult.error(ErrorCode.TRANSACTION_ROLLED_BACK, "transaction " + id
                    + " was not decided; it is rolled back");
            if (known != null) {
                return committed(r).map(ok -> ok.ok() ? rolledBack : ok);
            }
            TxLogRecord.Aborted record = new TxLogRecord.Aborted(id);
            replay(record, System.currentTimeMillis());
            return append(r, record).map(ok -> ok.ok() ? rolledBack : ok);
        });
    }

    /**
     * Records a prepared XA branch (PREPARED), fenced as a decision is: refused if a partition it touches has passed
     * a gate of a newer leader (that leader would not hold its consumed offsets), or if its transaction was rolled
     * back by an outcome query (a part whose coordinator went silent asked first). Answers once committed; a repeat
     * of the same prepare answers OK. Context: any.
     */
    public Future<TxLogResult> prepareXa(XaBranch branch) {
        TxDecision decision = branch.decision();
        return onLeader(r -> {
            XaBranch same = xaPrepared.get(decision.id());
            if (same != null) {
                return same.xid().equals(branch.xid()) ? committed(r) : Future.succeededFuture(TxLogResult.error(
                        ErrorCode.XA_DUPLICATE_XID, "transaction " + decision.id() + " is prepared as XA branch "
                                + same.xid() + " already"));
            }
            if (xaIds.containsKey(branch.xid())) {
                return Future.succeededFuture(TxLogResult.error(ErrorCode.XA_DUPLICATE_XID, "XA branch "
                        + branch.xid() + " is prepared already"));
            }
            Boolean known = decided.get(decision.id());
            if (known != null) {
                return Future.succeededFuture(TxLogResult.error(ErrorCode.TRANSACTION_ROLLED_BACK, "XA branch "
                        + branch.xid() + " was rolled back: its outcome was asked for before it was prepared"));
            }
            for (TxDecision.Participant p : decision.participants()) {
                Integer gate = gates.get(p.partition());
                if (gate != null && gate > p.leaderEpoch()) {
                    return Future.succeededFuture(TxLogResult.error(ErrorCode.TRANSACTION_ROLLED_BACK,
                            "partition " + p.partition() + " changed leader (epoch " + gate + ", the branch was"
                                    + " prepared in epoch " + p.leaderEpoch() + ") before it was recorded prepared"));
                }
            }
            TxLogRecord.XaPrepared record = new TxLogRecord.XaPrepared(branch);
            replay(record, System.currentTimeMillis());
            return append(r, record);
        });
    }

    /**
     * XA_COMMIT (two-phase) or XA_ROLLBACK of a prepared branch, from any broker: records its DECISION (not fenced:
     * the gates since its PREPARED record hold its offsets and learn the outcome) or ABORTED, and answers, once
     * committed, with the branch (its work, for the partitions' leaders to finish). A repeat of the same outcome
     * answers the same; the other outcome of a finished branch is XA_WRONG_STATE; an unknown xid XA_UNKNOWN_XID.
     * Context: any.
     */
    public Future<TxLogResult> finishXa(io.heraldmq.protocol.WireXid xid, boolean commit) {
        return onLeader(r -> {
            TxId id = xaIds.get(xid);
            XaBranch branch = id == null ? null : xaPrepared.get(id);
            if (branch == null) {
                XaFinished done = xaFinished.get(xid);
                if (done == null) {
                    return Future.succeededFuture(TxLogResult.error(ErrorCode.XA_UNKNOWN_XID, "no prepared XA"
                            + " branch " + xid + " in the cluster"));
                }
                if (done.committed() != commit) {
                    return Future.succeededFuture(TxLogResult.error(ErrorCode.XA_WRONG_STATE, "XA branch " + xid
                            + " was " + (done.committed() ? "committed" : "rolled back") + " already"));
                }
                return committed(r).map(ok -> ok.ok() ? TxLogResult.prepared(List.of(done.branch())) : ok);
            }
            TxLogRecord record = commit ? new TxLogRecord.Decision(branch.decision())
                    : new TxLogRecord.Aborted(branch.decision().id());
            replay(record, System.currentTimeMillis());
            return append(r, record).map(ok -> ok.ok() ? TxLogResult.prepared(List.of(branch)) : ok);
        });
    }

    /** The prepared, undecided XA branches of the whole cluster (XA_RECOVER). Context: any. */
    public Future<TxLogResult> recoverXa() {
        return onLeader(r -> committed(r).map(ok -> ok.ok()
                ? TxLogResult.prepared(new ArrayList<>(xaPrepared.values())) : ok));
    }

    /**
     * Appends again every prepared XA branch and every decision not wholly applied whose newest record was written
     * {@code olderThanMs} or more before {@code now}: a branch as its PREPARED record, a decision as its DECISION
     * record followed by an APPLIED record of the parts applied already. Called periodically on every broker; does
     * nothing where this broker does not lead the decision log (answers NOT_LEADER). Context: any.
     *
     * @return OK with how many records were carried in {@link TxLogResult#message()} ("carried N")
     */
    public Future<TxLogResult> carryForward(long now, long olderThanMs) {
        return onLeader(r -> {
            List<TxLogRecord> copies = new ArrayList<>();
            List<TxId> carried = new ArrayList<>();
            for (Map.Entry<TxId, XaBranch> e : xaPrepared.entrySet()) {
                if (now - recordedAt.getOrDefault(e.getKey(), 0L) >= olderThanMs) {
                    copies.add(new TxLogRecord.XaPrepared(e.getValue()));
                    carried.add(e.getKey());
                }
            }
            for (Map.Entry<TxId, Pending> e : pending.entrySet()) {
                if (now - recordedAt.getOrDefault(e.getKey(), 0L) >= olderThanMs) {
                    TxDecision d = e.getValue().decision;
                    copies.add(new TxLogRecord.Decision(d));
                    List<String> applied = new ArrayList<>();
                    for (TxDecision.Participant p : d.participants()) {
                        if (!e.getValue().open.contains(p.partition())) {
                            applied.add(p.partition());
                        }
                    }
                    if (!applied.isEmpty()) {
                        copies.add(new TxLogRecord.Applied(e.getKey(), applied));
                    }
                    carried.add(e.getKey());
                }
            }
            if (copies.isEmpty()) {
                return Future.succeededFuture(new TxLogResult((short) 0, "carried 0", false, List.of(), List.of()));
            }
            // the state is unchanged by a copy (replay is idempotent); only its age starts again
            long written = System.currentTimeMillis();
            carried.forEach(id -> recordedAt.put(id, written));
            LOG.info("{}: carrying {} record(s) forward ({} prepared XA branch(es) or decision(s) older than {} ms)",
                    KEY, copies.size(), carried.size(), olderThanMs);
            Future<TxLogResult> chain = Future.succeededFuture(TxLogResult.OK);
            for (TxLogRecord copy : copies) {
                chain = chain.compose(ok -> ok.ok() ? append(r, copy) : Future.succeededFuture(ok));
            }
            int count = copies.size();
            return chain.map(ok -> ok.ok() ? new TxLogResult((short) 0, "carried " + count, false, List.of(),
                    List.of()) : ok);
        });
    }

    // ------------------------------------------------------------------ leadership and state

    private Future<TxLogResult> onLeader(Function<PartitionReplica, Future<TxLogResult>> action) {
        PartitionReplica r = replicas.apply(KEY);
        if (r == null) {
            return Future.succeededFuture(TxLogResult.error(ErrorCode.NOT_LEADER, "this broker has no replica of "
                    + KEY));
        }
        Promise<TxLogResult> answer = Promise.promise();
        r.partition().run(() -> ready(r).compose(v -> action.apply(r)).onComplete(ar -> {
            if (ar.succeeded()) {
                answer.complete(ar.result());
            } else {
                answer.complete(TxLogResult.error(ErrorCode.NOT_LEADER, String.valueOf(ar.cause().getMessage())));
            }
        }));
        return answer.future();
    }

    /** Completes once this leadership's state is read from the log; fails when this broker does not lead. */
    private Future<Void> ready(PartitionReplica r) {
        if (!r.servesConsumers()) {
            return Future.failedFuture("this broker is not the established leader of " + KEY + " (leader "
                    + r.leader() + ", epoch " + r.epoch() + ")");
        }
        if (loadedEpoch != r.epoch() || loading == null || loading.failed()) {
            loadedEpoch = r.epoch();
            pending.clear();
            decided.clear();
            gates.clear();
            recordedAt.clear();
            xaPrepared.clear();
            xaIds.clear();
            xaFinished.clear();
            Partition p = r.partition();
            long end = p.logEndOffset();
            long start = p.logStartOffset();
            loading = scan(p, start, end).onSuccess(v -> LOG.info("{}: decision log of epoch {} read from offset {} "
                    + "to {}: {} transaction(s) not wholly applied, {} gate(s)", KEY, loadedEpoch, start, end,
                    pending.size(), gates.size()));
        }
        return loading;
    }

    private Future<Void> scan(Partition p, long from, long end) {
        if (from >= end) {
            return Future.succeededFuture();
        }
        return p.read(from).compose(batches -> {
            long next = from;
            int pos = 0;
            while (batches.length() - pos >= RecordBatch.HEADER_BYTES) {
                int size = RecordBatch.sizeAt(batches, pos);
                if (size <= 0 || pos + size > batches.length()) {
                    break;
                }
                Buffer batch = batches.slice(pos, pos + size);
                if (RecordBatch.nextOffset(batch) > from) {
                    try {
                        long written = RecordBatch.maxTimestamp(batch);
                        TxLogRecord.decode(batch).forEach(record -> replay(record, written));
                    } catch (RuntimeException e) {
                        LOG.warn("{}: unreadable batch at offset {} skipped", KEY, RecordBatch.baseOffset(batch), e);
                    }
                }
                next = Math.max(next, RecordBatch.nextOffset(batch));
                pos += size;
            }
            return next > from ? scan(p, next, end) : Future.succeededFuture();
        });
    }

    /** @param written when the record was written (ms since the epoch) */
    private void replay(TxLogRecord record, long written) {
        if (record instanceof TxLogRecord.Decision d) {
            TxId id = d.decision().id();
            if (decided.putIfAbsent(id, Boolean.TRUE) == null) {
                pending.put(id, new Pending(d.decision()));
            }
            xaFinished(id, true);
            if (pending.containsKey(id)) {
                recordedAt.put(id, written); // the original or a copy carried forward: the newest counts
            }
        } else if (record instanceof TxLogRecord.Applied a) {
            Pending p = pending.get(a.id());
            if (p != null) {
                p.open.removeAll(a.partitions());
                if (p.open.isEmpty()) {
                    pending.remove(a.id());
                    recordedAt.remove(a.id());
                }
            }
        } else if (record instanceof TxLogRecord.Aborted a) {
            decided.putIfAbsent(a.id(), Boolean.FALSE);
            xaFinished(a.id(), false);
        } else if (record instanceof TxLogRecord.XaPrepared x) {
            TxId id = x.branch().decision().id();
            if (!decided.containsKey(id) && !xaIds.containsKey(x.branch().xid())) {
                xaPrepared.put(id, x.branch());
                xaIds.put(x.branch().xid(), id);
            }
            if (xaPrepared.containsKey(id)) {
                recordedAt.put(id, written);
            }
        } else if (record instanceof TxLogRecord.Gate g) {
            gates.merge(g.partition(), g.leaderEpoch(), Math::max);
        }
    }

    /** A prepared XA branch's outcome is recorded: it is no longer prepared, and remembered as finished. */
    private void xaFinished(TxId id, boolean committed) {
        XaBranch branch = xaPrepared.remove(id);
        if (!pending.containsKey(id)) {
            recordedAt.remove(id);
        }
        if (branch != null) {
            xaIds.remove(branch.xid());
            xaFinished.put(branch.xid(), new XaFinished(committed, branch));
        }
    }

    /** OK once everything in the log now is committed. */
    private Future<TxLogResult> committed(PartitionReplica r) {
        return r.committedBarrier().map(v -> TxLogResult.OK).recover(e -> Future.succeededFuture(
                TxLogResult.error(ErrorCode.NOT_LEADER, String.valueOf(e.getMessage()))));
    }

    /** Appends {@code record}; OK once committed. A failure makes the next request read the log again. */
    private Future<TxLogResult> append(PartitionReplica r, TxLogRecord record) {
        return r.appendMetadata(new ControlRecord.Raw(record.encode())).map(v -> TxLogResult.OK).recover(e -> {
            loading = null; // the state may hold what the log does not
            return Future.succeededFuture(TxLogResult.error(ErrorCode.NOT_LEADER, "the decision log could not "
                    + "record it: " + e.getMessage()));
        });
    }
}
