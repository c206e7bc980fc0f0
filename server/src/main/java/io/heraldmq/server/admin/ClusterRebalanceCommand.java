package io.heraldmq.server.admin;

import io.heraldmq.protocol.AdminResult;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.cluster.Coordinator;
import io.vertx.core.Future;

/** CLUSTER_REBALANCE: spreads replicas and leaderships evenly over the live brokers, through the coordinator. */
public final class ClusterRebalanceCommand implements AdminCommand {
    private final Coordinator coordinator;

    public ClusterRebalanceCommand(Coordinator coordinator) {
        this.coordinator = coordinator;
    }

    @Override
    public Future<AdminResult> run(AdminArgs args) {
        return coordinator.rebalance().recover(e -> Future.failedFuture(new ProtocolException(ErrorCode.ILLEGAL_STATE,
                "rebalance failed: " + e.getMessage()))).map(v -> AdminResult.empty());
    }
}
