package io.heraldmq.server.tx;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.protocol.RecordBatch;
import io.heraldmq.protocol.WireXid;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.Topic;
import io.heraldmq.server.partition.TopicRegistry;
import io.heraldmq.server.subscription.Subscription;
import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The broker's XA branches between prepare and forget, and the journal records that keep them. States:
 * <pre>
 *   (XA_PREPARE) PREPARING --journaled PREPARED--> PREPARED --XA_COMMIT/XA_ROLLBACK--> DECIDING --applied--> gone
 *                                                      \--heraldmq tx commit|rollback--> DECIDING --applied-->
 *                         HEURISTIC_COMMITTED | HEURISTIC_ROLLED_BACK --XA_FORGET--> gone
 * </pre>
 * Invariants:
 * <ul>
 *   <li>A branch is answered OK to XA_PREPARE only once its PREPARED record (its whole work) is fsynced, and from then
 *       on, until an outcome record is fsynced, its messages are not appended and the deliveries it consumed are held
 *       ({@link io.heraldmq.server.subscription.HeldDeliveries}), also across a restart.</li>
 *   <li>Its work is applied only after a COMMITTED (or HEURISTIC_COMMITTED) record is fsynced; a crash before the
 *       application finishes is finished by {@link TxRecovery} at the next start, exactly once (batches counted,
 *       acks merged idempotently).</li>
 *   <li>The journal indexes of a living branch's records stay unapplied in {@link TxSettlement}, so the checkpoint
 *       never passes the newest copy of a PREPARED or HEURISTIC_ record whose branch lives. A record that has been
 *       waiting {@value #CARRY_AFTER_MS} ms while later records were written is copied to the journal's end
 *       ({@link #carryForward}); once the copy is durable the old one no longer holds the checkpoint back.</li>
 *   <li>Decisions and copies are handed to the journal writer under this object's lock, whose queue keeps that order:
 *       a copy of a PREPARED record never lands after the record that decides it.</li>
 * </ul>
 * Only an operator decides heuristically; the broker never ends a prepared branch on its own (no timeout).
 */
public final class XaTransactions {
    private static final Logger LOG = LoggerFactory.getLogger(XaTransactions.class);
    /** A living branch's newest record is copied forward once it is this old and later records exist. */
    static final long CARRY_AFTER_MS = 10_000;
    /** {@link #CARRY_AFTER_MS}, shortened by tests. */
    static volatile long carryAfterMs = CARRY_AFTER_MS;

    /** Where a branch stands. */
    public enum State { PREPARING, PREPARED, DECIDING, HEURISTIC_COMMITTED, HEURISTIC_ROLLED_BACK }

    /** One delivery a prepared branch consumed and holds. */
    public record Hold(String subscriptionId, DestinationKind kind, String destination, int partition, long offset) {
    }

    /** What administration shows of a branch. */
    public record Info(WireXid xid, State state, long preparedAtMs, int messages, int consumed,
                       List<String> destinations) {
    }

    private static final class Branch {
        final WireXid xid;
        State state = State.PREPARING;
        /** The PREPARED record (kind PREPARED, this xid); null once decided heuristically. */
        TxRecord work;
        List<Hold> holds = List.of();
        /** Journal records that must stay after the checkpoint while the branch lives. */
        final List<Long> indexes = new ArrayList<>();
        long preparedAtMs;
        long writtenAtMs;
        boolean carrying;

        Branch(WireXid xid) {
            this.xid = xid;
        }

        long newestIndex() {
            return indexes.isEmpty() ? Long.MAX_VALUE : indexes.get(indexes.size() - 1);
        }
    }

    private final TransactionLog log;
    private final TopicRegistry topics;
    private final SubscriptionRegistry subscriptions;
    private final Map<WireXid, Branch> branches = new LinkedHashMap<>();

    XaTransactions(TransactionLog log, TopicRegistry topics, SubscriptionRegistry subscriptions) {
        this.log = log;
        this.topics = topics;
        this.subscriptions = subscriptions;
    }

    /**
     * At start-up, before subscriptions open: the branches the journal left open, with their consumed deliveries held
     * again. Returns the journal indexes that must stay unapplied.
     */
    synchronized List<Long> restore(TxRecovery.Open open, long nowMs) {
        List<Long> retained = new ArrayList<>();
        for (TxRecord r : open.prepared().values()) {
            Branch b = new Branch(r.xid());
            b.state = State.PREPARED;
            b.work = r;
            b.indexes.add(r.index());
            b.preparedAtMs = nowMs;
            b.writtenAtMs = nowMs;
            List<Hold> holds = new ArrayList<>();
            for (TxRecord.Ack a : r.acks()) {
                SubscriptionRegistry.DestinationRef d = subscriptions.destinationOf(a.subscriptionId());
                if (d == null) {
                    LOG.warn("XA branch {}: subscription {} no longer exists; its consumed offset {} is not held",
                            r.xid(), a.subscriptionId(), a.offset());
                    continue;
                }
                subscriptions.held().restore(a.subscriptionId(), a.partition(), a.offset());
                holds.add(new Hold(a.subscriptionId(), d.kind(), d.name(), a.partition(), a.offset()));
            }
            b.holds = holds;
            branches.put(b.xid, b);
            retained.add(r.index());
        }
        for (TxRecord r : open.heuristic().values()) {
            Branch b = new Branch(r.xid());
            b.state = r.kind() == TxRecord.Kind.HEURISTIC_COMMITTED ? State.HEURISTIC_COMMITTED
                    : State.HEURISTIC_ROLLED_BACK;
            b.indexes.add(r.index());
            b.preparedAtMs = nowMs;
            b.writtenAtMs = nowMs;
            branches.put(b.xid, b);
            retained.add(r.index());
        }
        if (!branches.isEmpty()) {
            LOG.warn("{} XA branch(es) wait for their transaction manager (or `heraldmq tx`): {}", branches.size(),
                    branches.keySet());
        }
        return retained;
    }

    // ---------------------------------------------------------------- prepare

    /** Claims {@code xid} for a prepare; false if a branch of it exists already (XAER_DUPID). */
    public synchronized boolean reserve(WireXid xid) {
        if (branches.containsKey(xid)) {
            return false;
        }
        branches.put(xid, new Branch(xid));
        return true;
    }

    /**
     * Journals the branch as prepared; its consumed deliveries are held already ({@code holds}). On failure the holds
     * are released (counted) and the xid is free again: nothing was prepared.
     *
     * @param work the transaction's record (kind COMMIT, as planned); journaled as PREPARED
     */
    public Future<Void> prepare(WireXid xid, TxRecord work, List<Hold> holds) {
        List<TxRecord.Batch> copies = new ArrayList<>(work.batches().size());
        for (TxRecord.Batch b : work.batches()) {
            // its own bytes: a prepared branch may wait long, and must not pin the frame it came in
            copies.add(new TxRecord.Batch(b.kind(), b.destination(), b.partition(), b.lowerBound(),
                    b.batch().copy()));
        }
        TxRecord prepared = new TxRecord(0, work.producerId(), work.sequence(), copies, work.acks(),
                TxRecord.Kind.PREPARED, xid);
        Future<Long> journaled;
        synchronized (this) {
            Branch b = branches.get(xid);
            b.work = prepared;
            b.holds = List.copyOf(holds);
            journaled = log.journal(prepared);
        }
        return journaled.transform(ar -> {
            if (ar.failed()) {
                return abandon(xid, holds).transform(x -> Future.failedFuture(new ProtocolException(
                        ErrorCode.RESOURCE_EXHAUSTED, "the XA branch could not be written to the transaction journal"
                        + " (" + ar.cause().getMessage() + "); it is rolled back")));
            }
            synchronized (this) {
                Branch b = branches.get(xid);
                b.indexes.add(ar.result());
                b.preparedAtMs = System.currentTimeMillis();
                b.writtenAtMs = b.preparedAtMs;
                b.state = State.PREPARED;
            }
            return Future.succeededFuture();
        });
    }

    /** A prepare that failed before its record was durable: its holds come again, counted; the xid is free. */
    public Future<Void> abandon(WireXid xid, List<Hold> holds) {
        synchronized (this) {
            Branch b = branches.get(xid);
            if (b != null && b.state == State.PREPARING) {
                branches.remove(xid);
            }
        }
        return endHolds(holds, false);
    }

    // ---------------------------------------------------------------- decide

    /**
     * Commits ({@code commit}) or rolls back a prepared branch: the outcome record is fsynced, then the work applied
     * (or dropped and its deliveries released). With {@code heuristic} (an operator's command) the outcome is
     * remembered until the transaction manager forgets it.
     *
     * @return fails with a ProtocolException: XA_UNKNOWN_XID, XA_HEURISTIC_COMMIT / _ROLLBACK (decided by an operator
     *         already), XA_WRONG_STATE (being prepared or decided right now), RESOURCE_EXHAUSTED (the outcome could
     *         not be journaled: still prepared), INTERNAL (committed in the journal, applied at the next start)
     */
    public Future<Void> decide(WireXid xid, boolean commit, boolean heuristic) {
        Branch b;
        TxRecord.Kind kind = heuristic
                ? (commit ? TxRecord.Kind.HEURISTIC_COMMITTED : TxRecord.Kind.HEURISTIC_ROLLED_BACK)
                : (commit ? TxRecord.Kind.COMMITTED : TxRecord.Kind.ROLLED_BACK);
        Future<Long> journaled;
        synchronized (this) {
            b = branches.get(xid);
            ProtocolException refused = refusal(b, xid, heuristic);
            if (refused != null) {
                return Future.failedFuture(refused);
            }
            b.state = State.DECIDING;
            journaled = log.journal(TxRecord.outcome(kind, xid));
        }
        Branch branch = b;
        return journaled.transform(ar -> {
            if (ar.failed()) {
                synchronized (this) {
                    branch.state = State.PREPARED;
                }
                return Future.failedFuture(new ProtocolException(ErrorCode.RESOURCE_EXHAUSTED, "the outcome of XA"
                        + " branch " + xid + " could not be written to the transaction journal ("
                        + ar.cause().getMessage() + "); it is still prepared"));
            }
            long outcomeIndex = ar.result();
            Future<Void> work = commit ? applyWork(branch.work).compose(v -> endHolds(branch.holds, true))
                    : endHolds(branch.holds, false);
            return work.transform(done -> finish(branch, kind, outcomeIndex, done.cause()));
        });
    }

    private static ProtocolException refusal(Branch b, WireXid xid, boolean heuristic) {
        if (b == null) {
            return new ProtocolException(ErrorCode.XA_UNKNOWN_XID, "no XA branch " + xid + " is prepared here");
        }
        return switch (b.state) {
            case PREPARED -> null;
            case HEURISTIC_COMMITTED -> new ProtocolException(heuristic ? ErrorCode.ILLEGAL_STATE
                    : ErrorCode.XA_HEURISTIC_COMMIT, "XA branch " + xid + " was committed by an operator");
            case HEURISTIC_ROLLED_BACK -> new ProtocolException(heuristic ? ErrorCode.ILLEGAL_STATE
                    : ErrorCode.XA_HEURISTIC_ROLLBACK, "XA branch " + xid + " was rolled back by an operator");
            default -> new ProtocolException(ErrorCode.XA_WRONG_STATE, "XA branch " + xid + " is being "
                    + (b.state == State.PREPARING ? "prepared" : "decided") + " right now");
        };
    }

    private Future<Void> finish(Branch b, TxRecord.Kind kind, long outcomeIndex, Throwable failure) {
        synchronized (this) {
            if (failure != null) {
                // Decided in the journal: the next start finishes it, so its records stay after the checkpoint.
                branches.remove(b.xid);
                LOG.warn("XA branch {} is {} in the journal but could not be applied; the next start applies it", b.xid,
                        kind, failure);
                return Future.failedFuture(new ProtocolException(ErrorCode.INTERNAL, "the XA branch is decided"
                        + " but could not be applied yet (" + failure.getMessage() + "); the broker applies it when"
                        + " it restarts"));
            }
            for (long index : b.indexes) {
                log.applied(index);
            }
            b.indexes.clear();
            if (kind == TxRecord.Kind.HEURISTIC_COMMITTED || kind == TxRecord.Kind.HEURISTIC_ROLLED_BACK) {
                b.state = kind == TxRecord.Kind.HEURISTIC_COMMITTED ? State.HEURISTIC_COMMITTED
                        : State.HEURISTIC_ROLLED_BACK;
                b.indexes.add(outcomeIndex);
                b.writtenAtMs = System.currentTimeMillis();
                b.work = null;
                b.holds = List.of();
                LOG.warn("XA branch {} {} by an operator", b.xid, kind);
            } else {
                log.applied(outcomeIndex);
                branches.remove(b.xid);
            }
        }
        return Future.succeededFuture();
    }

    /** Forgets a heuristically decided branch (XA_FORGET). */
    public Future<Void> forget(WireXid xid) {
        Branch b;
        State was;
        Future<Long> journaled;
        synchronized (this) {
            b = branches.get(xid);
            if (b == null) {
                return Future.failedFuture(new ProtocolException(ErrorCode.XA_UNKNOWN_XID, "no XA branch " + xid
                        + " is known here"));
            }
            if (b.state != State.HEURISTIC_COMMITTED && b.state != State.HEURISTIC_ROLLED_BACK) {
                return Future.failedFuture(new ProtocolException(ErrorCode.XA_WRONG_STATE, "XA branch " + xid
                        + " was not decided heuristically; only such branches are forgotten"));
            }
            was = b.state;
            b.state = State.DECIDING;
            journaled = log.journal(TxRecord.outcome(TxRecord.Kind.FORGOTTEN, xid));
        }
        Branch branch = b;
        State previous = was;
        return journaled.transform(ar -> {
            synchronized (this) {
                if (ar.failed()) {
                    branch.state = previous;
                    return Future.failedFuture(new ProtocolException(ErrorCode.RESOURCE_EXHAUSTED, "forgetting XA"
                            + " branch " + xid + " could not be journaled: " + ar.cause().getMessage()));
                }
                for (long index : branch.indexes) {
                    log.applied(index);
                }
                log.applied(ar.result());
                branches.remove(xid);
            }
            return Future.succeededFuture();
        });
    }

    // ---------------------------------------------------------------- recover, list

    /** The branches a transaction manager may have to complete: prepared and heuristically decided ones. */
    public synchronized List<WireXid> recoverable() {
        List<WireXid> out = new ArrayList<>();
        for (Branch b : branches.values()) {
            if (b.state != State.PREPARING) {
                out.add(b.xid);
            }
        }
        return out;
    }

    /** Every branch past PREPARING, for administration. */
    public synchronized List<Info> list() {
        List<Info> out = new ArrayList<>();
        for (Branch b : branches.values()) {
            if (b.state == State.PREPARING) {
                continue;
            }
            int messages = 0;
            List<String> destinations = new ArrayList<>();
            if (b.work != null) {
                for (TxRecord.Batch batch : b.work.batches()) {
                    messages += RecordBatch.recordCount(batch.batch());
                    String d = (batch.kind().isQueue() ? "queue:" : "topic:") + batch.destination();
                    if (!destinations.contains(d)) {
                        destinations.add(d);
                    }
                }
            }
            out.add(new Info(b.xid, b.state, b.preparedAtMs, messages, b.holds.size(), destinations));
        }
        return out;
    }

    /** The journal index of a branch's newest record, or -1: for tests. */
    synchronized long journalIndex(WireXid xid) {
        Branch b = branches.get(xid);
        return b == null || b.indexes.isEmpty() ? -1 : b.newestIndex();
    }

    /** Whether any branch lives: for tests. */
    public synchronized int size() {
        return branches.size();
    }

    // ---------------------------------------------------------------- checkpoint support

    /**
     * Copies living branches' newest records to the journal's end when they have waited {@value #CARRY_AFTER_MS} ms
     * and later records exist, so that the checkpoint can pass the old copies (see the class comment).
     */
    void carryForward(long nowMs, long lastJournaled) {
        List<Future<Void>> ignored = new ArrayList<>();
        synchronized (this) {
            for (Branch b : branches.values()) {
                boolean waiting = b.state == State.PREPARED || b.state == State.HEURISTIC_COMMITTED
                        || b.state == State.HEURISTIC_ROLLED_BACK;
                if (!waiting || b.carrying || b.newestIndex() >= lastJournaled
                        || nowMs - b.writtenAtMs < carryAfterMs) {
                    continue;
                }
                TxRecord copy = b.state == State.PREPARED ? b.work
                        : TxRecord.outcome(b.state == State.HEURISTIC_COMMITTED ? TxRecord.Kind.HEURISTIC_COMMITTED
                        : TxRecord.Kind.HEURISTIC_ROLLED_BACK, b.xid);
                b.carrying = true;
                ignored.add(log.journal(copy).transform(ar -> carried(b, ar.succeeded() ? ar.result() : null)));
            }
        }
    }

    private synchronized Future<Void> carried(Branch b, Long copyIndex) {
        b.carrying = false;
        if (copyIndex == null) {
            return Future.succeededFuture(); // the old copy still holds the checkpoint; tried again later
        }
        if (branches.get(b.xid) != b || b.indexes.isEmpty()) {
            log.applied(copyIndex); // decided meanwhile: the copy is as finished as the branch
            return Future.succeededFuture();
        }
        for (long old : b.indexes) {
            log.applied(old);
        }
        b.indexes.clear();
        b.indexes.add(copyIndex);
        b.writtenAtMs = System.currentTimeMillis();
        return Future.succeededFuture();
    }

    // ---------------------------------------------------------------- applying

    /** Appends a decided branch's batches, in journal order per partition, durably. */
    private Future<Void> applyWork(TxRecord work) {
        List<Future<Topic>> resolved = new ArrayList<>();
        for (TxRecord.Batch b : work.batches()) {
            resolved.add(topics.get(b.kind(), b.destination()));
        }
        return Future.all(resolved).compose(all -> {
            List<Future<?>> appended = new ArrayList<>();
            for (int i = 0; i < work.batches().size(); i++) {
                TxRecord.Batch b = work.batches().get(i);
                Topic topic = resolved.get(i).result();
                if (b.partition() < 0 || b.partition() >= topic.partitions().size()) {
                    LOG.warn("XA branch {}: {} has no partition {} any more; its batch there is dropped", work.xid(),
                            topic, b.partition());
                    continue;
                }
                Partition p = topic.partitions().get(b.partition());
                Promise<Long> done = Promise.promise();
                // submitted in order, so each partition appends the branch's batches in journal order
                p.run(() -> p.append(b.batch(), true).onComplete(done));
                appended.add(done.future());
            }
            return Future.all(appended).mapEmpty();
        });
    }

    /**
     * Settles ({@code commit}) or releases the held deliveries, through their subscriptions (opened if idle, so that
     * the subscription's own position records it). A subscription that is gone (non-durable, deleted) is skipped.
     */
    private Future<Void> endHolds(List<Hold> holds, boolean commit) {
        Map<String, Map<Integer, List<Long>>> grouped = new LinkedHashMap<>();
        Map<String, Hold> first = new LinkedHashMap<>();
        for (Hold h : holds) {
            grouped.computeIfAbsent(h.subscriptionId(), k -> new LinkedHashMap<>())
                    .computeIfAbsent(h.partition(), k -> new ArrayList<>()).add(h.offset());
            first.putIfAbsent(h.subscriptionId(), h);
        }
        List<Future<Void>> done = new ArrayList<>();
        for (var e : grouped.entrySet()) {
            Hold h = first.get(e.getKey());
            done.add(topics.get(h.kind(), h.destination()).compose(topic -> {
                Future<Subscription> sub = subscriptions.openForHolds(h.subscriptionId(), topic);
                if (sub == null) {
                    if (LOG.isDebugEnabled()) {
                        LOG.debug("XA: subscription {} is gone; nothing to {}", h.subscriptionId(),
                                (commit ? "settle" : "release"));
                    }
                    e.getValue().keySet().forEach(p -> subscriptions.held().forget(h.subscriptionId(), p));
                    return Future.succeededFuture();
                }
                return sub.compose(s -> {
                    List<Future<Void>> parts = new ArrayList<>();
                    for (var p : e.getValue().entrySet()) {
                        if (p.getKey() >= 0 && p.getKey() < topic.partitions().size()) {
                            parts.add(s.endHold(p.getKey(), p.getValue().stream().mapToLong(Long::longValue)
                                    .toArray(), commit));
                        }
                    }
                    return Future.all(parts).mapEmpty();
                });
            }));
        }
        return Future.all(done).mapEmpty();
    }
}
