package io.heraldmq.server.txlog;

import io.heraldmq.server.replication.PartitionReplica;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.function.Function;

/**
 * What a partition's new leader does once its epoch is committed and before it serves consumers or transactions:
 * asks the decision log for the decided transactions with a part here not yet applied (TX_GATE, which also fences
 * decisions planned under an older leader of the partition), applies each part ({@link TxPartApplier}) and reports
 * them applied; the prepared XA branches touching the partition have their consumed offsets held here
 * ({@link XaHeldParts}) until their transaction manager decides. Until it completes, {@link PartitionReplica#servesConsumers} is false, so no consumer is given a
 * message that a decided transaction consumed. The decision log's own partition has no gate.
 */
public final class LeaderGate implements Function<PartitionReplica, Future<Void>> {
    private static final Logger LOG = LoggerFactory.getLogger(LeaderGate.class);

    private final DecisionLogClient decisions;
    private final TxPartApplier applier;
    private final XaHeldParts held;

    LeaderGate(DecisionLogClient decisions, TxPartApplier applier, XaHeldParts held) {
        this.decisions = decisions;
        this.applier = applier;
        this.held = held;
    }

    /** Context: the replica's partition's; completes on it. */
    @Override
    public Future<Void> apply(PartitionReplica replica) {
        if (replica.key().equals(DecisionLog.KEY)) {
            return Future.succeededFuture();
        }
        int epoch = replica.epoch();
        return onContext(replica, decisions.gate(replica.key(), epoch)).compose(result -> {
            if (!result.ok()) {
                return Future.failedFuture(result.message());
            }
            // prepared XA branches: their consumed offsets are held here before the partition serves anyone
            for (XaBranch x : result.prepared()) {
                held.restore(x, replica);
            }
            Future<Void> chain = Future.succeededFuture();
            for (TxDecision d : result.decisions()) {
                chain = chain.compose(v -> applier.apply(d, replica)).compose(v -> {
                    LOG.info("{}: transaction {} decided by {} applied here as the new leader (epoch {})",
                            replica.key(), d.id(), d.coordinator(), epoch);
                    return onContext(replica, decisions.applied(d.id(), List.of(replica.key()))).compose(r ->
                            r.ok() ? Future.succeededFuture() : Future.failedFuture(r.message()));
                });
            }
            return chain.compose(v -> result.more() ? apply(replica) : Future.succeededFuture());
        });
    }

    private static <T> Future<T> onContext(PartitionReplica replica, Future<T> f) {
        Promise<T> p = Promise.promise();
        f.onComplete(ar -> replica.partition().run(() -> p.handle(ar)));
        return p.future();
    }
}
