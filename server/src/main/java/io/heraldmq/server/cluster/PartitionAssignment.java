package io.heraldmq.server.cluster;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Who holds a partition, as the coordinator proposes it in the {@link PartitionTable}: a proposal, not a fact. The
 * table lives in Hazelcast maps, which favour availability (a split brain has two coordinators, a healed split
 * merges entries), so the replication layer must fence every leadership with {@code leaderEpoch}: a replica follows
 * only a leader whose epoch is at least the highest it has seen, and a leader accepts writes only once its ISR
 * acknowledges that epoch.
 * <p>
 * Invariants: {@code replicas} are distinct; {@code leader}, when not null, is one of them; {@code isr} is a subset
 * of {@code replicas}; every leader change raises {@code leaderEpoch}; {@code leaving}, when not null, is one of the
 * replicas. A null leader means the partition is offline (no live replica).
 * <p>
 * A replica moves in two steps, one broker at a time (Raft's single-server changes): the new broker is added and the
 * old one marked {@code leaving}, both replicas meanwhile, so a majority of the larger set intersects every majority
 * of the set before and of the set after; the old one is removed only once every other replica is in sync. Replacing
 * it in one step let two disjoint majorities exist (the old one and one with the new, empty replica), and an election
 * among the new one could lose acknowledged records ({@link AssignmentPlanner#completeMoves}).
 *
 * @param replicas    broker ids holding a copy, in preference order (the first was the initial leader)
 * @param leader      the broker id leading it, or null when offline
 * @param leaderEpoch raised at every change of leader; 1 for a new partition
 * @param isr         the in-sync replicas: the ones that may become leader without losing acknowledged messages
 * @param leaving     the replica being moved away (still a replica until the others are in sync), or null
 */
public record PartitionAssignment(List<String> replicas, String leader, int leaderEpoch, List<String> isr,
                                  String leaving) {
    /** An assignment with no replica leaving. */
    public PartitionAssignment(List<String> replicas, String leader, int leaderEpoch, List<String> isr) {
        this(replicas, leader, leaderEpoch, isr, null);
    }

    public PartitionAssignment {
        replicas = List.copyOf(replicas);
        isr = List.copyOf(isr);
        if (replicas.isEmpty()) {
            throw new IllegalArgumentException("a partition needs at least one replica");
        }
        if (replicas.stream().distinct().count() != replicas.size()) {
            throw new IllegalArgumentException("replicas must be distinct: " + replicas);
        }
        if (leader != null && !replicas.contains(leader)) {
            throw new IllegalArgumentException("leader " + leader + " is not among the replicas " + replicas);
        }
        if (!replicas.containsAll(isr)) {
            throw new IllegalArgumentException("isr " + isr + " is not a subset of the replicas " + replicas);
        }
        if (leaderEpoch < 0) {
            throw new IllegalArgumentException("leader epoch must not be negative, was " + leaderEpoch);
        }
        if (leaving != null && !replicas.contains(leaving)) {
            throw new IllegalArgumentException("leaving replica " + leaving + " is not among the replicas " + replicas);
        }
    }

    /** The replicas that stay: all but the one {@link #leaving}. */
    public List<String> staying() {
        return leaving == null ? replicas : replicas.stream().filter(b -> !b.equals(leaving)).toList();
    }

    /** The same replicas with another leader (null: offline) and epoch. */
    public PartitionAssignment withLeader(String newLeader, int epoch) {
        return new PartitionAssignment(replicas, newLeader, epoch, isr, leaving);
    }

    /** The same assignment with another ISR. */
    public PartitionAssignment withIsr(List<String> newIsr) {
        return new PartitionAssignment(replicas, leader, leaderEpoch, newIsr, leaving);
    }

    /**
     * The compact form stored in the table: {@code epoch|leader|replica,replica|isr,isr}, and {@code |leaving} while
     * a replica moves (an empty leader field for none). Broker ids never contain {@code |} or {@code ,}
     * ({@link ClusterSettings#ID}).
     */
    public String encode() {
        return leaderEpoch + "|" + (leader == null ? "" : leader) + "|" + String.join(",", replicas) + "|"
                + String.join(",", isr) + (leaving == null ? "" : "|" + leaving);
    }

    /** The inverse of {@link #encode()}. */
    public static PartitionAssignment decode(String s) {
        String[] f = s.split("\\|", -1);
        if (f.length != 4 && f.length != 5) {
            throw new IllegalArgumentException("not a partition assignment: '" + s + "'");
        }
        try {
            return new PartitionAssignment(list(f[2]), f[1].isEmpty() ? null : f[1], Integer.parseInt(f[0]),
                    list(f[3]), f.length == 5 && !f[4].isEmpty() ? f[4] : null);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("not a partition assignment: '" + s + "'");
        }
    }

    private static List<String> list(String s) {
        return s.isEmpty() ? List.of() : new ArrayList<>(Arrays.asList(s.split(",")));
    }
}
