package io.heraldmq.server.admin;

import io.heraldmq.protocol.AdminResult;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.cluster.ClusterMembership;
import io.heraldmq.server.cluster.Coordinator;
import io.heraldmq.server.cluster.PartitionTable;
import io.vertx.core.Future;

/**
 * CLUSTER_DRAIN: moves leadership (with {@code replicas=true} also the replicas) off one broker, through the
 * coordinator. A broker id that is neither live nor in the partition table is refused, as a likely typing mistake.
 */
public final class ClusterDrainCommand implements AdminCommand {
    private final Coordinator coordinator;
    private final ClusterMembership membership;
    private final PartitionTable table;

    public ClusterDrainCommand(Coordinator coordinator, ClusterMembership membership,
                               PartitionTable table) {
        this.coordinator = coordinator;
        this.membership = membership;
        this.table = table;
    }

    @Override
    public Future<AdminResult> run(AdminArgs args) {
        String broker = args.required("broker");
        boolean moveReplicas = args.flag("replicas");
        boolean live = membership.members().stream().anyMatch(b -> b.id().equals(broker));
        Future<Boolean> known = live ? Future.succeededFuture(true) : table.all().map(all -> all.values().stream()
                .anyMatch(a -> a.replicas().contains(broker)));
        return known.compose(k -> {
            if (!k) {
                return Future.failedFuture(new ProtocolException(ErrorCode.INVALID_ARGUMENT, "no broker '" + broker
                        + "' in the cluster"));
            }
            return coordinator.drain(broker, moveReplicas).recover(e -> Future.failedFuture(
                    new ProtocolException(ErrorCode.ILLEGAL_STATE, "drain failed: " + e.getMessage())));
        }).map(v -> AdminResult.empty());
    }
}
