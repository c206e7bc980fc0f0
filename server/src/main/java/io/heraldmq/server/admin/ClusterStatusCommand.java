package io.heraldmq.server.admin;

import io.heraldmq.protocol.AdminResult;
import io.heraldmq.server.cluster.BrokerInfo;
import io.heraldmq.server.cluster.ClusterMembership;
import io.heraldmq.server.cluster.PartitionAssignment;
import io.heraldmq.server.cluster.PartitionKey;
import io.heraldmq.server.cluster.PartitionTable;
import io.heraldmq.server.cluster.ReplicaState;
import io.heraldmq.server.cluster.ReplicaStates;
import io.vertx.core.Future;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * CLUSTER_STATUS: the live brokers as this broker sees them, then every partition of the table with its lag per
 * replica (the leader's published log end minus the replica's; "-" when either is unknown). One table, rows told
 * apart by {@code type}.
 */
public final class ClusterStatusCommand implements AdminCommand {
    private final ClusterMembership membership;
    private final PartitionTable table;
    private final ReplicaStates states;

    public ClusterStatusCommand(ClusterMembership membership, PartitionTable table, ReplicaStates states) {
        this.membership = membership;
        this.table = table;
        this.states = states;
    }

    @Override
    public Future<AdminResult> run(AdminArgs args) {
        Future<Map<PartitionKey, PartitionAssignment>> assignments = table.all();
        Future<Map<PartitionKey, Map<String, ReplicaState>>> known = states.all();
        return Future.all(assignments, known).map(v -> {
            AdminResult r = AdminResult.of("type", "id", "address", "coordinator", "kind", "destination",
                    "partition", "leader", "replicas", "isr", "epoch", "lag");
            for (BrokerInfo b : membership.members()) {
                r = r.row("member", b.id(), b.clientAddress(), b.coordinator(), null, null, null, null, null, null,
                        null, null);
            }
            for (Map.Entry<PartitionKey, PartitionAssignment> e : assignments.result().entrySet()) {
                PartitionKey k = e.getKey();
                PartitionAssignment a = e.getValue();
                r = r.row("partition", null, null, null, k.queue() ? "queue" : "topic", k.destination(),
                        k.partition(), a.leader(), String.join(",", a.replicas()), String.join(",", a.isr()),
                        a.leaderEpoch(), lag(a, known.result().getOrDefault(k, Map.of())));
            }
            return r;
        });
    }

    static String lag(PartitionAssignment a, Map<String, ReplicaState> states) {
        ReplicaState leader = a.leader() == null ? null : states.get(a.leader());
        List<String> out = new ArrayList<>();
        for (String replica : a.replicas()) {
            ReplicaState s = states.get(replica);
            out.add(replica + "=" + (leader == null || s == null ? "-"
                    : String.valueOf(Math.max(0, leader.logEndOffset() - s.logEndOffset()))));
        }
        return String.join(",", out);
    }
}
