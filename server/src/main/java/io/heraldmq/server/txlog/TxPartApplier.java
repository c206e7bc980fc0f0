package io.heraldmq.server.txlog;

import io.heraldmq.server.meta.Position;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.replication.PartitionReplica;
import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Applies one partition's part of a decided transaction at the partition's new leader, during its gate (before it
 * serves consumers or transactions, so no subscription of the partition is open here and the stored positions are
 * the truth). Idempotent, as recovery from the single-node journal is:
 * <ul>
 *   <li>batches: the log from the part's lower bound to its end is searched for batches of the transaction; a
 *       transaction's batches for one partition are appended in decision order by one leader at a time and only a
 *       suffix can be missing (a log is a prefix of its leader's), so the first {@code k} found are the first
 *       {@code k} decided and the rest are appended, each waiting until committed;</li>
 *   <li>acks: merged into the stored positions ({@link Position#settle}); a position that changes is written to the
 *       partition's log for the followers, and the part is done once those positions are committed. A
 *       subscription with no stored position was deleted since and is skipped.</li>
 * </ul>
 * Runs on the partition's context.
 */
final class TxPartApplier {
    private final SubscriptionRegistry subscriptions;

    TxPartApplier(SubscriptionRegistry subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** Applies {@code decision}'s part for the replica's partition; completes on the partition's context. */
    Future<Void> apply(TxDecision decision, PartitionReplica replica) {
        int index = decision.indexOf(replica.key());
        if (index < 0) {
            return Future.succeededFuture();
        }
        return applyBatches(decision, index, replica).compose(v -> applyAcks(decision, index, replica));
    }

    Future<Void> applyBatches(TxDecision decision, int index, PartitionReplica replica) {
        List<TxDecision.Batch> batches = decision.batchesOf(index);
        if (batches.isEmpty()) {
            return Future.succeededFuture();
        }
        Partition partition = replica.partition();
        long from = batches.get(0).lowerBound();
        return onContext(partition, partition.countTransactionBatches(from, decision.id().producerId(),
                decision.id().sequence())).compose(found -> {
            Future<Void> chain = Future.succeededFuture();
            for (TxDecision.Batch b : batches.subList(Math.min(found, batches.size()), batches.size())) {
                chain = chain.compose(v -> onContext(partition, replica.produceAsLeader(b.batch(), true)).mapEmpty());
            }
            return chain;
        });
    }

    private Future<Void> applyAcks(TxDecision decision, int index, PartitionReplica replica) {
        List<TxDecision.Ack> acks = decision.acksOf(index);
        if (acks.isEmpty()) {
            return Future.succeededFuture();
        }
        Partition partition = replica.partition();
        Map<String, List<Long>> bySubscription = new LinkedHashMap<>();
        for (TxDecision.Ack a : acks) {
            bySubscription.computeIfAbsent(a.subscriptionId(), s -> new ArrayList<>()).add(a.offset());
        }
        Future<Void> chain = Future.succeededFuture();
        for (var e : bySubscription.entrySet()) {
            chain = chain.compose(v -> onContext(partition, subscriptions.storedPositions(e.getKey())).map(positions -> {
                Position stored = positions.get(partition.id());
                if (stored == null) {
                    return null; // unsubscribed (or the queue deleted) since the commit
                }
                Position settled = stored;
                for (long offset : e.getValue()) {
                    settled = settled.settle(offset);
                }
                if (!settled.equals(stored)) {
                    subscriptions.applyReplicatedPosition(e.getKey(), partition.id(), settled);
                    replica.positionChanged(e.getKey(), settled);
                }
                return null;
            }));
        }
        return chain.compose(v -> onContext(partition, replica.positionsCommitted()));
    }

    private static <T> Future<T> onContext(Partition partition, Future<T> f) {
        Promise<T> p = Promise.promise();
        f.onComplete(ar -> partition.run(() -> p.handle(ar)));
        return p.future();
    }
}
