package io.heraldmq.server.handler;

import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.server.replication.PartitionReplica;
import io.heraldmq.server.txlog.TxLogResult;
import io.heraldmq.server.txlog.TxXaFinish;
import io.heraldmq.server.txlog.XaHeldParts;
import io.vertx.core.Future;

import java.util.function.Function;

/**
 * TX_XA_FINISH at a partition's leader, sent once an XA branch's outcome is committed in the decision log: its part
 * in the partition is applied (commit) or released (rollback). The part is held either by the live prepare here
 * ({@link TxParts}, through its consumers' subscriptions) or, after a leader change, by the holds this broker
 * restored at the partition's gate ({@link XaHeldParts}). A partition not led here with its gate passed answers
 * NOT_LEADER (the sender asks its leader); one with nothing held here answers OK (finished already, or its part
 * was applied at a gate).
 */
public final class XaPartFinisher {
    private final TxParts live;
    private final Function<String, PartitionReplica> replicas;

    public XaPartFinisher(TxParts live, Function<String, PartitionReplica> replicas) {
        this.live = live;
        this.replicas = replicas;
    }

    public Future<TxLogResult> finish(TxXaFinish f, XaHeldParts restored) {
        PartitionReplica replica = replicas.apply(f.partition());
        if (replica == null || !replica.isEstablishedLeader() || !replica.gatePassed()) {
            return Future.succeededFuture(TxLogResult.error(ErrorCode.NOT_LEADER, f.partition() + " is not served"
                    + " by this broker"));
        }
        if (restored.holds(f.decision().id(), f.partition()) || !live.has(f.decision().id())) {
            return restored.finish(f);
        }
        return live.finish(f.decision().id(), f.apply()).map(stuck -> stuck.contains(f.partition())
                ? TxLogResult.error(ErrorCode.INTERNAL, "the XA branch's part in " + f.partition() + " could not be"
                        + " applied here yet; it is applied when the partition changes leader")
                : TxLogResult.OK);
    }
}
