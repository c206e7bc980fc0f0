package io.heraldmq.server.handler;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.cluster.PartitionKey;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.partition.Partition;
import io.heraldmq.server.partition.Topic;
import io.heraldmq.server.replication.PartitionReplica;
import io.heraldmq.server.txlog.DecisionLogClient;
import io.heraldmq.server.txlog.TxDecision;
import io.heraldmq.server.txlog.TxId;
import io.heraldmq.server.txlog.TxLogResult;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * COMMIT on a clustered broker, the coordinator's side: the checked transaction ({@link TxPlanner}) becomes a
 * {@link TxDecision} that names every partition it touches with this broker's leader epoch there, is committed in
 * the replicated decision log ({@code DecisionLog}), and only then is applied here: batches appended on their
 * partitions (each waiting to be committed), acks settled through their consumers and the changed positions
 * written to the partitions' logs and committed. Then OK, and the parts applied are reported to the decision log.
 * <p>
 * Every partition must be led here with its gate passed (the transactions an earlier leader left are applied), else
 * the transaction is refused (TRANSACTION_ROLLED_BACK) before anything is recorded. A partition whose leadership
 * moves after the decision is not applied here: its new leader applies the part at its gate, which the decision
 * precedes (a gate before it would have fenced the decision: TRANSACTION_ROLLED_BACK). So a decided transaction is
 * applied whole whatever fails afterwards; a decision that got no answer within the client log's deadline is in
 * doubt (INTERNAL: the client reports the outcome unknown).
 */
final class ReplicatedCommit {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedCommit.class);

    /**
     * Fault injection for ClusterTransactionsIT: the broker halts (as kill -9 would stop it) once a decision with a
     * part in this destination is committed, before anything of it is applied. Unset in production.
     */
    private static final String HALT_AFTER_DECISION = System.getProperty("heraldmq.test.haltAfterDecisionTo");

    private final DecisionLogClient decisions;
    private final String localId;

    ReplicatedCommit(DecisionLogClient decisions, String localId) {
        this.decisions = decisions;
        this.localId = localId;
    }

    /** A partition the transaction touches, its replica, and the epoch its part was planned in. */
    private record Part(String key, Partition partition, PartitionReplica replica, int epoch) {
    }

    void commit(ClientConnection connection, int correlationId, TxPlanner.Plan plan, String what) {
        commit(connection, correlationId, plan, what, System.currentTimeMillis() + LEADERSHIP_WAIT_MS);
    }

    /** How long a commit waits for a partition elected here to pass its gate, as a SUBSCRIBE waits. */
    static final long LEADERSHIP_WAIT_MS = 10_000;

    private void commit(ClientConnection connection, int correlationId, TxPlanner.Plan plan, String what,
                        long deadline) {
        Map<String, Integer> index = new LinkedHashMap<>();
        List<Part> parts = new ArrayList<>();
        List<TxDecision.Batch> batches = new ArrayList<>();
        List<TxDecision.Ack> acks = new ArrayList<>();
        try {
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
        } catch (NotReadyYet notYet) {
            if (System.currentTimeMillis() >= deadline) {
                connection.replyError(correlationId, ErrorCode.TRANSACTION_ROLLED_BACK, notYet.getMessage()
                        + " after " + LEADERSHIP_WAIT_MS + " ms; nothing of the transaction was applied");
            } else {
                // elected here a moment ago: its gate (the transactions an earlier leader left) is being passed
                connection.context().owner().setTimer(50, t -> connection.context().runOnContext(v ->
                        commit(connection, correlationId, plan, what, deadline)));
            }
            return;
        } catch (ProtocolException refused) {
            connection.replyFailure(correlationId, refused);
            return;
        }
        List<TxDecision.Participant> participants = new ArrayList<>(parts.size());
        for (Part p : parts) {
            participants.add(new TxDecision.Participant(p.key(), p.epoch()));
        }
        TxDecision decision = new TxDecision(new TxId(plan.commit().producerId(), plan.commit().sequence()), localId,
                participants, batches, acks);
        int total = plan.bytes();
        connection.producing(total);
        hold(plan).onComplete(held -> connection.context().runOnContext(h -> {
            if (held.failed()) {
                connection.produced(total);
                connection.replyFailure(correlationId, held.cause());
                return;
            }
            decide(connection, correlationId, plan, decision, parts, total, what);
        }));
    }

    /**
     * Takes every delivery the transaction consumed out of its consumer's in-flight set and holds it for the
     * transaction: from then on no other consumer can be given it, and the decision's acks are exactly what is
     * held. A delivery that is no longer in flight to its consumer (returned after a relay moved the consumer to a
     * new leader, or after the consumer closed) cannot be consumed by this transaction: what was held is released
     * and the transaction is refused (TRANSACTION_ROLLED_BACK), its messages come again. Without this a commit
     * whose acks missed would still apply its sends: a message processed twice.
     */
    private static Future<Void> hold(TxPlanner.Plan plan) {
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
    private static Future<Void> endHolds(TxPlanner.Plan plan, boolean commit) {
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

    private void decide(ClientConnection connection, int correlationId, TxPlanner.Plan plan, TxDecision decision,
                        List<Part> parts, int total, String what) {
        decisions.decide(decision).onComplete(ar -> connection.context().runOnContext(v -> {
            TxLogResult result = ar.succeeded() ? ar.result()
                    : TxLogResult.error(ErrorCode.INTERNAL, String.valueOf(ar.cause().getMessage()));
            if (result.ok()) {
                apply(connection, correlationId, plan, decision, parts, total, what);
                return;
            }
            connection.produced(total);
            ErrorCode refusedCode = ErrorCode.of(result.errorCode());
            if (refusedCode != ErrorCode.NOT_LEADER && refusedCode != ErrorCode.INTERNAL) {
                endHolds(plan, false); // refused: nothing applied, the messages come again
            }
            // in doubt: the holds stay until the consumer closes (its deliveries then return to the queue); the
            // partitions' next leaders settle them if the transaction was decided
            ErrorCode code = ErrorCode.of(result.errorCode());
            if (code == ErrorCode.NOT_LEADER || code == ErrorCode.INTERNAL) {
                connection.replyError(correlationId, ErrorCode.INTERNAL, "the " + what + " is in doubt: the"
                        + " decision log did not confirm it (" + result.message() + ")");
            } else {
                connection.replyError(correlationId, code, result.message());
            }
        }));
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

    private void apply(ClientConnection connection, int correlationId, TxPlanner.Plan plan, TxDecision decision,
                       List<Part> parts, int total, String what) {
        if (HALT_AFTER_DECISION != null && parts.stream().anyMatch(p -> p.key().contains(":" + HALT_AFTER_DECISION
                + ":"))) {
            LOG.error("heraldmq.test.haltAfterDecisionTo: halting after deciding {}", decision.id());
            Runtime.getRuntime().halt(137);
        }
        // parts that failed here for a reason other than a leadership change: applied only at a later gate
        Set<String> failed = ConcurrentHashMap.newKeySet();
        List<Future<?>> applied = new ArrayList<>();
        for (int b = 0; b < plan.routed().size(); b++) {
            TxPlanner.Routed r = plan.routed().get(b);
            Part part = parts.get(decision.batches().get(b).participant());
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
        for (TxDecision.Ack a : decision.acks()) {
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
        Future.join(applied).onComplete(done -> connection.context().runOnContext(v -> {
            connection.produced(total);
            List<String> mine = new ArrayList<>();
            List<String> stuck = new ArrayList<>();
            for (Part p : parts) {
                if (!ledAsPlanned(p)) {
                    continue; // its next leader applies the part at its gate
                }
                (failed.contains(p.key()) ? stuck : mine).add(p.key());
            }
            if (!stuck.isEmpty()) {
                LOG.warn("{} {} is decided but could not be applied to {} here; it is applied when they change leader",
                        what, decision.id(), stuck, done.cause());
                connection.replyError(correlationId, ErrorCode.INTERNAL, "the " + what + " is committed but could"
                        + " not be applied to " + stuck + " yet (" + (done.cause() == null ? "" : done.cause()
                        .getMessage()) + "); it is applied when they change leader");
            } else {
                // decided: what is not applied here is applied by the partitions' next leaders at their gates
                connection.send(Ok.encode(correlationId));
            }
            if (!mine.isEmpty()) {
                decisions.applied(decision.id(), mine).onComplete(a -> {
                    if (a.failed() || !a.result().ok()) {
                        if (LOG.isDebugEnabled()) {
                            LOG.debug("{} {}: applied, but the decision log was not told ({}); a later gate applies it "
                                    + "again, harmlessly", what, decision.id(),
                                    String.valueOf(a.failed() ? a.cause() : a.result().message()));
                        }
                    }
                });
            }
        }));
    }

    /** A partition is being elected here, or is passing its gate: the commit waits. */
    private static final class NotReadyYet extends RuntimeException {
        NotReadyYet(String message) {
            super(message, null, false, false);
        }
    }

    /** Whether this broker still leads the part's partition in the epoch the transaction was planned in. */
    private static boolean ledAsPlanned(Part part) {
        return part.replica().isEstablishedLeader() && part.replica().epoch() == part.epoch();
    }
}
