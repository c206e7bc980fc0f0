package io.heraldmq.server.handler;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.cluster.PartitionKey;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.Topic;
import io.heraldmq.server.replication.PartitionReplica;
import io.heraldmq.server.txlog.TxDecision;
import io.vertx.core.Future;
import io.vertx.core.Promise;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The work a clustered broker does for the partitions it leads in a transaction, shared by the single-leader commit
 * ({@link ReplicatedCommit}) and a leader's part of a transaction spanning brokers ({@link TxParts}):
 * <ol>
 *   <li>{@link #describe}: the partitions touched, each with this broker's leader epoch (fencing), each batch with its
 *       lower bound (the partition's high watermark), each durable ack: the decision's view of the part;</li>
 *   <li>{@link #hold}: the consumed deliveries leave their consumers and are held (no other consumer gets them);</li>
 *   <li>{@link #apply}, only once the decision is committed: batches appended, holds settled and the changed
 *       positions committed, on the partitions still led here in the planned epoch (the others' next leaders apply
 *       their part at their gates); or {@link #endHolds} with {@code commit = false}: released, nothing applied.</li>
 * </ol>
 */
final class TxPartWork {
    private TxPartWork() {
    }

    /** A partition the transaction touches, its replica, and the epoch its part was planned in. */
    record Part(String key, Partition partition, PartitionReplica replica, int epoch) {
    }

    /** A part described for the decision: {@code batches} in the plan's order, indices into {@code parts}. */
    record Described(List<Part> parts, List<TxDecision.Batch> batches, List<TxDecision.Ack> acks) {
        List<TxDecision.Participant> participants() {
            List<TxDecision.Participant> out = new ArrayList<>(parts.size());
            for (Part p : parts) {
                out.add(new TxDecision.Participant(p.key(), p.epoch()));
            }
            return out;
        }
    }

    /** What {@link #apply} did: partitions applied here, partitions that failed here (with the first cause). */
    record Applied(List<String> mine, List<String> stuck, Throwable cause) {
    }

    /** A partition is being elected here, or is passing its gate: the commit waits. */
    static final class NotReadyYet extends RuntimeException {
        NotReadyYet(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * @throws NotReadyYet        a partition elected here a moment ago has not passed its gate yet
     * @throws ProtocolException  TRANSACTION_ROLLED_BACK: a partition is not led here
     */
    static Described describe(TxPlanner.Plan plan) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<Part> parts = new ArrayList<>();
        List<TxDecision.Batch> batches = new ArrayList<>();
        List<TxDecision.Ack> acks = new ArrayList<>();
        for (TxPlanner.Routed r : plan.routed()) {
            int i = part(index, parts, r.batch().kind().isQueue(), r.batch().destination(), r.partition());
            batches.add(new TxDecision.Batch(i, r.batch().lowerBound(), r.batch().batch()));
        }
        for (TxPlanner.Consumed c : plan.consumed()) {
            if (!c.consumer().subscription().durable()) {
                continue; // dies with the broker: settled through its consumer only
            }
            Topic topic = c.consumer().subscription().topic();
            String subscription = c.consumer().subscription().id();
            for (int k = 0; k < c.ack().count(); k++) {
                int i = part(index, parts, topic.isQueue(), topic.name(),
                        topic.partitions().get(c.ack().partitions()[k]));
                acks.add(new TxDecision.Ack(i, subscription, c.ack().offsets()[k]));
            }
        }
        return new Described(parts, batches, acks);
    }

    /** The index of {@code partition}'s part, added if new. */
    private static int part(Map<String, Integer> index, List<Part> parts, boolean queue, String destination,
                            Partition partition) {
        String key = new PartitionKey(queue, destination, partition.id()).encode();
        Integer i = index.get(key);
        if (i != null) {
            return i;
        }
        PartitionReplica replica = partition.replication();
        if (replica == null || replica.role() == PartitionReplica.Role.FOLLOWER) {
            throw new ProtocolException(ErrorCode.TRANSACTION_ROLLED_BACK, "partition " + key + " is not led by"
                    + " this broker (its leader is " + (replica == null ? "unknown" : replica.leader()) + "); nothing"
                    + " of the transaction was applied");
        }
        if (!replica.gatePassed()) {
            throw new NotReadyYet("partition " + key + " is not yet served by this broker");
        }
        parts.add(new Part(key, partition, replica, replica.epoch()));
        index.put(key, parts.size() - 1);
        return parts.size() - 1;
    }

    /**
     * Takes every delivery the transaction consumed out of its consumer's in-flight set and holds it for the
     * transaction: from then on no other consumer can be given it, and the decision's acks are exactly what is
     * held. A delivery that is no longer in flight to its consumer (returned after a relay moved the consumer to a
     * new leader, or after the consumer closed) cannot be consumed by this transaction: what was held is released
     * and the transaction is refused (TRANSACTION_ROLLED_BACK), its messages come again. Without this a commit
     * whose acks missed would still apply its sends: a message processed twice.
     */
    static Future<Void> hold(TxPlanner.Plan plan) {
        List<Future<List<long[]>>> holds = new ArrayList<>();
        for (TxPlanner.Consumed c : plan.consumed()) {
            holds.add(c.consumer().hold(c.ack()));
        }
        return Future.join(holds).transform(ar -> {
            List<long[]> missed = new ArrayList<>();
            for (Future<List<long[]>> h : holds) {
                if (h.succeeded()) {
                    missed.addAll(h.result());
                }
            }
            if (ar.succeeded() && missed.isEmpty()) {
                return Future.succeededFuture();
            }
            return endHolds(plan, false).transform(x -> Future.failedFuture(new ProtocolException(
                    ErrorCode.TRANSACTION_ROLLED_BACK, missed.size() + " message(s) the transaction consumed are no"
                    + " longer delivered to its consumer (moved to a new leader, or the consumer closed); they come"
                    + " again")));
        });
    }

    /** Settles ({@code commit}) or releases every delivery {@link #hold} held for the transaction. */
    static Future<Void> endHolds(TxPlanner.Plan plan, boolean commit) {
        List<Future<Void>> ended = new ArrayList<>();
        for (TxPlanner.Consumed c : plan.consumed()) {
            Map<Integer, List<Long>> byPartition = new LinkedHashMap<>();
            for (int k = 0; k < c.ack().count(); k++) {
                byPartition.computeIfAbsent(c.ack().partitions()[k], p -> new ArrayList<>()).add(c.ack().offsets()[k]);
            }
            byPartition.forEach((partition, offsets) -> {
                if (partition >= 0 && partition < c.consumer().subscription().topic().partitions().size()) {
                    ended.add(c.consumer().subscription().endHold(partition,
                            offsets.stream().mapToLong(Long::longValue).toArray(), commit));
                }
            });
        }
        return Future.join(ended).mapEmpty();
    }

    /**
     * Applies a decided part here. Must only be called once the decision naming {@code described} is committed in
     * the decision log. Partitions no longer led here in the planned epoch are skipped (their next leader applies
     * the part at its gate). Completes once every batch is appended and committed and every changed position is
     * committed (or failed); never fails.
     */
    static Future<Applied> apply(TxPlanner.Plan plan, Described described) {
        List<Part> parts = described.parts();
        // parts that failed here for a reason other than a leadership change: applied only at a later gate
        Set<String> failed = ConcurrentHashMap.newKeySet();
        List<Future<?>> applied = new ArrayList<>();
        for (int b = 0; b < plan.routed().size(); b++) {
            TxPlanner.Routed r = plan.routed().get(b);
            Part part = parts.get(described.batches().get(b).participant());
            Promise<Void> appended = Promise.promise();
            // run() keeps submission order per partition: the batches land in decision order
            part.partition().run(() -> {
                if (!ledAsPlanned(part)) {
                    appended.complete();
                } else {
                    part.replica().produceAsLeader(r.batch().batch(), true).<Void>mapEmpty()
                            .onComplete(appended);
                }
            });
            applied.add(appended.future().onFailure(e -> failed.add(part.key())));
        }
        Set<Integer> withAcks = new LinkedHashSet<>();
        for (TxDecision.Ack a : described.acks()) {
            withAcks.add(a.participant());
        }
        Future<Void> settledAll = endHolds(plan, true);
        for (int i : withAcks) {
            Part part = parts.get(i);
            Promise<Void> done = Promise.promise();
            settledAll.onComplete(s -> part.partition().run(() -> {
                if (!ledAsPlanned(part)) {
                    done.complete();
                } else if (s.failed()) {
                    done.fail(s.cause());
                } else {
                    part.replica().positionsCommitted().onComplete(done);
                }
            }));
            applied.add(done.future().onFailure(e -> failed.add(part.key())));
        }
        return Future.join(applied).transform(done -> {
            List<String> mine = new ArrayList<>();
            List<String> stuck = new ArrayList<>();
            for (Part p : parts) {
                if (!ledAsPlanned(p)) {
                    continue; // its next leader applies the part at its gate
                }
                (failed.contains(p.key()) ? stuck : mine).add(p.key());
            }
            return Future.succeededFuture(new Applied(mine, stuck, done.cause()));
        });
    }

    /** Whether this broker still leads the part's partition in the epoch the transaction was planned in. */
    static boolean ledAsPlanned(Part part) {
        return part.replica().isEstablishedLeader() && part.replica().epoch() == part.epoch();
    }
}
