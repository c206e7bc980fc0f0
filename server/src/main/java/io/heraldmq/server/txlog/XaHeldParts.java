package io.heraldmq.server.txlog;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.server.cluster.PartitionKey;
import io.heraldmq.server.partition.TopicRegistry;
import io.heraldmq.server.replication.PartitionReplica;
import io.heraldmq.server.subscription.Subscription;
import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * The parts of prepared XA branches whose holds this broker restored as a partition's new leader: the broker that
 * prepared the branch (and held its consumed deliveries) is gone or no longer leads, so at the gate
 * ({@link LeaderGate}) the decision log returned the PREPARED branches touching the partition, and their durable
 * acks' offsets were put into {@code HeldDeliveries} before the partition served anyone.
 * <p>
 * Invariants:
 * <ul>
 *   <li><b>A prepared branch's consumed messages go to no one else across leader changes</b>: every new leader of
 *       the partition holds them before it serves (the gate), until the branch's outcome is committed in the
 *       decision log.</li>
 *   <li><b>Nothing is applied before the branch's DECISION is committed</b>: {@link #finish} comes from the broker
 *       that recorded the outcome (TX_XA_FINISH, sent only after), or from this broker's own outcome query (decision
 *       log: decided / ABORTED).</li>
 *   <li><b>A part is finished once here</b>: one outcome per part; applying it again elsewhere (a later gate) is
 *       harmless (batches counted from their lower bound, settling idempotent).</li>
 *   <li><b>An XA branch waits for its transaction manager indefinitely</b>: the outcome query every
 *       {@link #ASK_EVERY_MS} only catches an outcome whose TX_XA_FINISH was lost; it never decides.</li>
 * </ul>
 */
public final class XaHeldParts {
    private static final Logger LOG = LoggerFactory.getLogger(XaHeldParts.class);
    /** How often a restored part asks the decision log whether its branch was decided meanwhile. */
    static final long ASK_EVERY_MS = 30_000;

    private final Vertx vertx;
    private final DecisionLogClient decisions;
    private final TxPartApplier applier;
    private final SubscriptionRegistry subscriptions;
    private final TopicRegistry topics;
    private final Function<String, PartitionReplica> replicas;
    private final Map<Key, Part> parts = new ConcurrentHashMap<>();

    private record Key(TxId id, String partition) {
    }

    private static final class Part {
        final TxDecision decision;
        final int epoch;
        volatile Future<Void> outcome;
        volatile long timer = -1;

        Part(TxDecision decision, int epoch) {
            this.decision = decision;
            this.epoch = epoch;
        }
    }

    XaHeldParts(Vertx vertx, DecisionLogClient decisions, TxPartApplier applier, SubscriptionRegistry subscriptions,
                TopicRegistry topics, Function<String, PartitionReplica> replicas) {
        this.vertx = vertx;
        this.decisions = decisions;
        this.applier = applier;
        this.subscriptions = subscriptions;
        this.topics = topics;
        this.replicas = replicas;
    }

    /** At the gate, on the partition's context, before it serves: holds the branch's consumed offsets here. */
    void restore(XaBranch branch, PartitionReplica replica) {
        TxDecision d = branch.decision();
        int index = d.indexOf(replica.key());
        if (index < 0) {
            return;
        }
        int partition = replica.partition().id();
        for (TxDecision.Ack a : d.acksOf(index)) {
            subscriptions.held().restore(a.subscriptionId(), partition, a.offset());
        }
        Key key = new Key(d.id(), replica.key());
        Part part = new Part(d, replica.epoch());
        Part old = parts.put(key, part);
        if (old != null) {
            vertx.cancelTimer(old.timer);
        }
        LOG.info("{}: XA branch {} is prepared; its {} consumed message(s) here are held until its transaction manager"
                + " decides", replica.key(), branch.xid(), d.acksOf(index).size());
        part.timer = vertx.setTimer(ASK_EVERY_MS, t -> ask(key, part));
    }

    /** How many parts are held here: for tests and administration. */
    public int count() {
        return parts.size();
    }

    /**
     * TX_XA_FINISH for a part whose holds were restored here: OK once applied (or released), OK at once when nothing
     * is held here for it, NOT_LEADER when the partition is not led here with its gate passed. Context: any.
     */
    public Future<TxLogResult> finish(TxXaFinish f) {
        PartitionReplica replica = replicas.apply(f.partition());
        if (replica == null || !replica.isEstablishedLeader() || !replica.gatePassed()) {
            return Future.succeededFuture(TxLogResult.error(ErrorCode.NOT_LEADER, f.partition() + " is not served"
                    + " by this broker"));
        }
        Key key = new Key(f.decision().id(), f.partition());
        Part part = parts.get(key);
        if (part == null) {
            return Future.succeededFuture(TxLogResult.OK);
        }
        return finish(key, part, f.apply(), replica).map(v -> TxLogResult.OK)
                .otherwise(e -> TxLogResult.error(ErrorCode.INTERNAL, String.valueOf(e.getMessage())));
    }

    /** Whether the part of {@code id} in {@code partition} is held here (restored at a gate). */
    public boolean holds(TxId id, String partition) {
        return parts.containsKey(new Key(id, partition));
    }

    private synchronized Future<Void> finish(Key key, Part part, boolean apply, PartitionReplica replica) {
        if (part.outcome != null) {
            return part.outcome;
        }
        vertx.cancelTimer(part.timer);
        Promise<Void> done = Promise.promise();
        part.outcome = done.future();
        TxDecision d = part.decision;
        int index = d.indexOf(key.partition());
        replica.partition().run(() -> {
            if (replica.epoch() != part.epoch || !replica.isEstablishedLeader()) {
                // leadership moved on: the next leader restored (or applies, if decided) the part at its gate
                parts.remove(key, part);
                done.complete();
                return;
            }
            Future<Void> batches = apply ? applier.applyBatches(d, index, replica) : Future.succeededFuture();
            batches.compose(v -> endHolds(d, index, replica, apply))
                    .compose(v -> onContext(replica, replica.positionsCommitted()))
                    .onComplete(ar -> {
                        if (ar.succeeded()) {
                            parts.remove(key, part);
                            LOG.info("{}: XA branch part {} {} here", key.partition(), d.id(),
                                    apply ? "committed" : "rolled back");
                            if (apply) {
                                decisions.applied(d.id(), List.of(key.partition()));
                            }
                            done.complete();
                        } else {
                            synchronized (this) {
                                part.outcome = null; // tried again by the next finish or outcome query
                            }
                            part.timer = vertx.setTimer(ASK_EVERY_MS, t -> ask(key, part));
                            done.fail(ar.cause());
                        }
                    });
        });
        return done.future();
    }

    /** Settles (commit) or releases the restored holds through their subscriptions (opened if idle). */
    private Future<Void> endHolds(TxDecision d, int index, PartitionReplica replica, boolean commit) {
        PartitionKey pk = PartitionKey.parse(replica.key());
        Map<String, List<Long>> bySubscription = new LinkedHashMap<>();
        for (TxDecision.Ack a : d.acksOf(index)) {
            bySubscription.computeIfAbsent(a.subscriptionId(), s -> new ArrayList<>()).add(a.offset());
        }
        if (bySubscription.isEmpty()) {
            return Future.succeededFuture();
        }
        int partition = replica.partition().id();
        return topics.get(pk.queue() ? DestinationKind.QUEUE : DestinationKind.TOPIC, pk.destination())
                .compose(topic -> {
                    List<Future<Void>> ended = new ArrayList<>();
                    bySubscription.forEach((id, offsets) -> {
                        Future<Subscription> sub = subscriptions.openForHolds(id, topic);
                        if (sub == null) {
                            subscriptions.held().forget(id, partition); // gone: nothing to settle or release
                            return;
                        }
                        ended.add(sub.compose(s -> s.endHold(partition, offsets.stream().mapToLong(Long::longValue)
                                .toArray(), commit)));
                    });
                    return Future.all(ended).<Void>mapEmpty();
                });
    }

    /** The outcome query: decided => applied, ABORTED => released, still prepared => asked again later. */
    private void ask(Key key, Part part) {
        if (part.outcome != null || parts.get(key) != part) {
            return;
        }
        decisions.resolve(key.id()).onComplete(ar -> {
            TxLogResult r = ar.succeeded() ? ar.result() : null;
            PartitionReplica replica = replicas.apply(key.partition());
            if (r != null && replica != null && (r.ok()
                    || ErrorCode.of(r.errorCode()) == ErrorCode.TRANSACTION_ROLLED_BACK)) {
                finish(key, part, r.ok(), replica);
            } else if (part.outcome == null) {
                part.timer = vertx.setTimer(ASK_EVERY_MS, t -> ask(key, part));
            }
        });
    }

    private static <T> Future<T> onContext(PartitionReplica replica, Future<T> f) {
        Promise<T> p = Promise.promise();
        f.onComplete(ar -> replica.partition().run(() -> p.handle(ar)));
        return p.future();
    }
}
