package io.heraldmq.server.metrics;

import io.heraldmq.server.replication.PartitionReplica;
import io.heraldmq.server.replication.ReplicaManager;

/**
 * A clustered broker's figures of its replicas, summed when scraped over {@link ReplicaManager#all()} from volatile
 * fields (the role, and what the replica manager's once-a-second publication stored), without a hop to the
 * partitions' contexts.
 */
public final class ClusterMeters {
    private ClusterMeters() {
    }

    public static void register(BrokerMetrics metrics, ReplicaManager replicas) {
        metrics.gauge("cluster.partitions.led", "partitions this broker leads", replicas, r -> r.all().stream()
                .filter(p -> p.role() == PartitionReplica.Role.LEADER).count());
        metrics.gauge("cluster.partitions.under.replicated", "led partitions with fewer in-sync replicas than"
                + " replicas", replicas, r -> r.all().stream().filter(PartitionReplica::underReplicated).count());
        metrics.gauge("cluster.partitions.replicas", "partition replicas this broker holds", replicas,
                r -> r.all().size());
        metrics.gauge("cluster.replication.lag.max", "records the slowest follower of any partition led here"
                + " lacks", replicas, r -> r.all().stream()
                .mapToLong(p -> p.partition().figures().replicationLag.get()).max().orElse(0));
        metrics.counter("cluster.leader.changes", "leader changes this broker's replicas saw (failovers, moves)",
                replicas, r -> r.all().stream().mapToLong(PartitionReplica::leaderChanges).sum());
    }
}
