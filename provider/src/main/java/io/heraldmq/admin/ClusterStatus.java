package io.heraldmq.admin;

import java.util.List;
import java.util.Map;

/**
 * A cluster as {@link HeraldAdmin#clusterStatus()} shows it: the live brokers and the partition table. The table is
 * the coordinator's proposal (leaders are confirmed by the replication layer, not by the table).
 *
 * @param members    the live brokers, oldest first
 * @param partitions every partition of every queue and topic, by destination and partition
 */
public record ClusterStatus(List<Member> members, List<Partition> partitions) {
    public ClusterStatus {
        members = List.copyOf(members);
        partitions = List.copyOf(partitions);
    }

    /**
     * A live broker.
     *
     * @param address     where clients reach it, {@code host:port}
     * @param coordinator whether it assigns the partitions (the oldest member)
     */
    public record Member(String id, String address, boolean coordinator) {
    }

    /**
     * One partition's assignment.
     *
     * @param leader      the leading broker's id, or null when the partition is offline (no live replica)
     * @param replicas    the brokers holding a copy
     * @param isr         the in-sync replicas
     * @param leaderEpoch raised at every change of leader
     * @param lag         per replica whose position is known: the leader's log end minus the replica's
     */
    public record Partition(boolean queue, String destination, int partition, String leader, List<String> replicas,
                            List<String> isr, int leaderEpoch, Map<String, Long> lag) {
    }
}
