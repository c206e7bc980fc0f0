package io.heraldmq.server.tx;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.WireXid;
import io.heraldmq.server.meta.MetaStore;
import io.heraldmq.server.meta.Position;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.TopicRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Finishes the journaled transactions after the last checkpoint, at broker start: after the partitions are
 * recovered, before subscriptions open and clients connect. Every step is idempotent, so a crash during recovery
 * only means it runs again:
 * <ul>
 *   <li>batches: per target partition, the log from the record's lower-bound offset to its end is scanned for
 *       batches carrying the transaction's (producerId, sequence); a transaction's batches for one partition were
 *       appended in journal order and a crash can only cut off a suffix, so the first {@code k} found are the first
 *       {@code k} journaled and the rest are appended (durably);</li>
 *   <li>acks: merged into the stored positions ({@link Position#settle}); a subscription with no stored position
 *       was deleted since and is skipped.</li>
 * </ul>
 * A target whose destination or partition no longer exists is skipped with a warning.
 */
final class TxRecovery {
    private static final Logger LOG = LoggerFactory.getLogger(TxRecovery.class);

    private record Target(DestinationKind kind, String destination, int partition) {
    }

    private final TopicRegistry topics;
    private final MetaStore meta;
    private int appended;

    TxRecovery(TopicRegistry topics, MetaStore meta) {
        this.topics = topics;
        this.meta = meta;
    }

    /**
     * What the journal leaves open after recovery: the XA branches that are prepared and undecided (their last
     * PREPARED record), and those an operator decided that nobody forgot yet (their last HEURISTIC_ record).
     */
    record Open(Map<WireXid, TxRecord> prepared, Map<WireXid, TxRecord> heuristic) {
    }

    /**
     * Re-applies {@code records} in journal order: committed transactions, and the work of XA branches whose
     * COMMITTED or HEURISTIC_COMMITTED record follows their PREPARED one; completes when all is applied and the
     * positions are synced, with the branches left open.
     */
    Future<Open> recover(List<TxRecord> records) {
        Map<WireXid, TxRecord> prepared = new LinkedHashMap<>();
        Map<WireXid, TxRecord> heuristic = new LinkedHashMap<>();
        Future<Void> chain = Future.succeededFuture();
        int transactions = 0;
        for (TxRecord r : records) {
            TxRecord work = null;
            switch (r.kind()) {
                case COMMIT -> work = r;
                case PREPARED -> prepared.put(r.xid(), r);
                case COMMITTED -> work = decided(prepared, r);
                case ROLLED_BACK -> prepared.remove(r.xid());
                case HEURISTIC_COMMITTED -> {
                    work = decided(prepared, r);
                    heuristic.put(r.xid(), r);
                }
                case HEURISTIC_ROLLED_BACK -> {
                    prepared.remove(r.xid());
                    heuristic.put(r.xid(), r);
                }
                case FORGOTTEN -> heuristic.remove(r.xid());
                default -> throw new IllegalStateException("unknown record kind " + r.kind());
            }
            if (work != null) {
                transactions++;
                TxRecord apply = work;
                chain = chain.compose(v -> apply(apply));
            }
        }
        int checked = transactions;
        return chain.compose(v -> meta.syncPositions()).map(v -> {
            if (!records.isEmpty()) {
                LOG.info("transaction journal: {} transaction(s) after the checkpoint checked, {} batch(es) appended "
                        + "that a crash had left out; {} XA branch(es) prepared and undecided, {} decided by an "
                        + "operator", checked, appended, prepared.size(), heuristic.size());
            }
            return new Open(prepared, heuristic);
        });
    }

    /** The prepared work an outcome record commits; null if its PREPARED record lies before the checkpoint. */
    private static TxRecord decided(Map<WireXid, TxRecord> prepared, TxRecord outcome) {
        TxRecord p = prepared.remove(outcome.xid());
        if (p == null) {
            // applied before the checkpoint passed it: the checkpoint never passes an undecided PREPARED record
            if (LOG.isDebugEnabled()) {
                LOG.debug("XA branch {}: {} without PREPARED after the checkpoint; applied before", outcome.xid(),
                        outcome.kind());
            }
        }
        return p;
    }

    private Future<Void> apply(TxRecord r) {
        Map<Target, List<TxRecord.Batch>> byTarget = new LinkedHashMap<>();
        for (TxRecord.Batch b : r.batches()) {
            byTarget.computeIfAbsent(new Target(b.kind(), b.destination(), b.partition()), t -> new ArrayList<>())
                    .add(b);
        }
        Future<Void> chain = Future.succeededFuture();
        for (var e : byTarget.entrySet()) {
            chain = chain.compose(v -> applyBatches(r, e.getKey(), e.getValue()));
        }
        Map<String, List<TxRecord.Ack>> bySubscription = new LinkedHashMap<>();
        for (TxRecord.Ack a : r.acks()) {
            bySubscription.computeIfAbsent(a.subscriptionId(), s -> new ArrayList<>()).add(a);
        }
        for (var e : bySubscription.entrySet()) {
            chain = chain.compose(v -> applyAcks(e.getKey(), e.getValue()));
        }
        return chain;
    }

    private Future<Void> applyBatches(TxRecord r, Target target, List<TxRecord.Batch> batches) {
        return topics.get(target.kind(), target.destination()).compose(topic -> {
            if (target.partition() < 0 || target.partition() >= topic.partitions().size()) {
                LOG.warn("transaction {}: {} has no partition {} any more; its batches there are skipped", r.index(),
                        topic, target.partition());
                return Future.succeededFuture();
            }
            Partition partition = topic.partitions().get(target.partition());
            long from = batches.get(0).lowerBound();
            return partition.countTransactionBatches(from, r.producerId(), r.sequence())
                    .compose(found -> appendMissing(partition, batches.subList(Math.min(found, batches.size()),
                            batches.size())));
        }).recover(e -> {
            LOG.warn("transaction {}: cannot re-apply its batches to {}-{}: {}", r.index(), target.destination(),
                    target.partition(), e.getMessage(), e);
            return Future.succeededFuture();
        });
    }

    private Future<Void> appendMissing(Partition partition, List<TxRecord.Batch> missing) {
        Future<Void> chain = Future.succeededFuture();
        for (TxRecord.Batch b : missing) {
            chain = chain.compose(v -> {
                Promise<Void> done = Promise.promise();
                partition.run(() -> partition.append(b.batch(), true).<Void>mapEmpty().onComplete(done));
                appended++;
                return done.future();
            });
        }
        return chain;
    }

    private Future<Void> applyAcks(String subscriptionId, List<TxRecord.Ack> acks) {
        return meta.loadPositions(subscriptionId).map(positions -> {
            if (positions.isEmpty()) {
                return null; // unsubscribed (or the queue deleted) since the commit
            }
            Map<Integer, Position> changed = new LinkedHashMap<>();
            for (TxRecord.Ack a : acks) {
                Position p = changed.getOrDefault(a.partition(), positions.get(a.partition()));
                if (p != null) {
                    changed.put(a.partition(), p.settle(a.offset()));
                }
            }
            changed.forEach((partition, p) -> {
                if (!p.equals(positions.get(partition))) {
                    meta.commitPosition(subscriptionId, partition, p);
                }
            });
            return null;
        });
    }
}
