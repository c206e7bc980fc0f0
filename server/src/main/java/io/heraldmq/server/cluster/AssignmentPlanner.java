package io.heraldmq.server.cluster;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Decides the partition table: which brokers replicate a partition and which one leads it. Pure and deterministic
 * (no clock, no randomness, no I/O): the same inputs give the same plan, so it is unit-tested on its own and the
 * {@link Coordinator} only reads the table, calls a method here and writes the changes back with compare-and-set.
 * <p>
 * Inputs are the live brokers (oldest first: ties between equally loaded brokers go to the older one), the existing
 * assignments and, for elections, the {@link ReplicaState}s brokers published. Every method returns only the
 * partitions it changes, each mapped to its new assignment ({@link #plan} also maps removed ones to null).
 * Rules kept by every method: a leader change raises the epoch (above every epoch a replica reported, so a table
 * rebuilt from scratch after a whole-cluster restart still fences the old leaders); changing a replica set keeps the
 * order of the replicas that stay; a partition without a live leader is touched only to elect one.
 */
public final class AssignmentPlanner {
    private static final ReplicaState UNKNOWN = new ReplicaState(-1, -1, -1);

    private final int replicationFactor;

    /** @param replicationFactor replicas per partition; 0 = min(3, live brokers) */
    public AssignmentPlanner(int replicationFactor) {
        if (replicationFactor < 0) {
            throw new IllegalArgumentException("replication factor must not be negative");
        }
        this.replicationFactor = replicationFactor;
    }

    /** Replicas a partition gets with {@code live} brokers up: the factor, at most the live brokers, at least 1. */
    public int targetReplicas(int live) {
        return Math.max(1, Math.min(replicationFactor == 0 ? 3 : replicationFactor, live));
    }

    /**
     * The coordinator's periodic pass: removes the assignments of partitions no longer {@code wanted}, assigns new
     * ones ({@link #assignNew}), elects leaders for partitions whose leader is not live ({@link #failover}) and adds
     * replicas to partitions with fewer than the replication factor ({@link #topUp}; replicas are never removed
     * here).
     *
     * @return the changes; a removed partition maps to null
     */
    public Map<PartitionKey, PartitionAssignment> plan(List<String> live, Collection<PartitionKey> wanted,
                                                       Map<PartitionKey, PartitionAssignment> existing,
                                                       Map<PartitionKey, Map<String, ReplicaState>> states) {
        Map<PartitionKey, PartitionAssignment> changes = new TreeMap<>();
        Map<PartitionKey, PartitionAssignment> current = new TreeMap<>(existing);
        Set<PartitionKey> keep = Set.copyOf(wanted);
        for (PartitionKey k : existing.keySet()) {
            if (!keep.contains(k)) {
                current.remove(k);
                changes.put(k, null);
            }
        }
        List<PartitionKey> missing = new ArrayList<>();
        for (PartitionKey k : new java.util.TreeSet<>(keep)) {
            if (!current.containsKey(k)) {
                missing.add(k);
            }
        }
        apply(changes, current, assignNew(live, missing, current, states));
        apply(changes, current, failover(live, current, states));
        apply(changes, current, topUp(live, current));
        apply(changes, current, completeMoves(live, current));
        return changes;
    }

    /**
     * The second step of replica moves: a destination whose partitions all have a replica {@code leaving} loses it
     * once, in every partition, the leader is live and not the leaving one and every other replica is in the ISR (so
     * every acknowledged record is on every replica that stays, and a majority of the smaller set holds it). Per
     * destination, as leadership and replicas are ({@link #alignDestinations}). A move whose new replica never
     * catches up stays half done: the partition then needs a majority of the larger set.
     */
    public Map<PartitionKey, PartitionAssignment> completeMoves(List<String> live,
                                                                Map<PartitionKey, PartitionAssignment> existing) {
        Map<String, List<Map.Entry<PartitionKey, PartitionAssignment>>> byDestination = new TreeMap<>();
        for (Map.Entry<PartitionKey, PartitionAssignment> e : existing.entrySet()) {
            byDestination.computeIfAbsent((e.getKey().queue() ? "q:" : "t:") + e.getKey().destination(),
                    d -> new ArrayList<>()).add(e);
        }
        Map<PartitionKey, PartitionAssignment> out = new TreeMap<>();
        for (List<Map.Entry<PartitionKey, PartitionAssignment>> partitions : byDestination.values()) {
            boolean done = partitions.stream().map(Map.Entry::getValue).allMatch(a -> a.leaving() != null
                    && online(a, live) && !a.leader().equals(a.leaving()) && a.isr().containsAll(a.staying()));
            if (!done) {
                continue;
            }
            for (Map.Entry<PartitionKey, PartitionAssignment> e : partitions) {
                PartitionAssignment a = e.getValue();
                out.put(e.getKey(), new PartitionAssignment(a.staying(), a.leader(), a.leaderEpoch(),
                        a.isr().stream().filter(b -> !b.equals(a.leaving())).toList()));
            }
        }
        return out;
    }

    /**
     * (a) Assignments for new partitions, spreading leaders and replicas evenly over the live brokers (counting the
     * existing assignments): the leader is the broker leading fewest partitions, the other replicas those holding
     * fewest; the leader is the first replica, the epoch 1 and the ISR all replicas. A partition some live brokers
     * already reported a state for (a table lost with the whole cluster) gets those brokers, the most up-to-date one
     * as leader, and an epoch above the ones they reported.
     */
    public Map<PartitionKey, PartitionAssignment> assignNew(List<String> live, Collection<PartitionKey> partitions,
                                                            Map<PartitionKey, PartitionAssignment> existing,
                                                            Map<PartitionKey, Map<String, ReplicaState>> states) {
        Map<PartitionKey, PartitionAssignment> out = new TreeMap<>();
        if (live.isEmpty()) {
            return out;
        }
        Loads loads = new Loads(live, existing);
        int n = targetReplicas(live.size());
        for (PartitionKey key : new java.util.TreeSet<>(partitions)) {
            if (existing.containsKey(key)) {
                continue;
            }
            Map<String, ReplicaState> known = states.getOrDefault(key, Map.of());
            PartitionKey firstKey = new PartitionKey(key.queue(), key.destination(), 0);
            PartitionAssignment first = key.partition() == 0 ? null
                    : out.containsKey(firstKey) ? out.get(firstKey) : existing.get(firstKey);
            if (first != null && first.leader() != null) {
                // leadership is per destination: the other partitions follow partition 0
                PartitionAssignment a = new PartitionAssignment(first.replicas(), first.leader(),
                        nextEpoch(0, known), first.replicas(), first.leaving());
                loads.add(a);
                out.put(key, a);
                continue;
            }
            List<String> withData = new ArrayList<>();
            for (String b : live) {
                if (known.containsKey(b)) {
                    withData.add(b);
                }
            }
            withData.sort((x, y) -> known.get(y).compareAsCandidate(known.get(x)));
            List<String> replicas = new ArrayList<>(withData.subList(0, Math.min(n, withData.size())));
            if (replicas.isEmpty()) {
                replicas.add(loads.leastLeaders(live, List.of()));
            }
            while (replicas.size() < n) {
                replicas.add(loads.leastReplicas(live, replicas));
            }
            PartitionAssignment a = new PartitionAssignment(replicas, replicas.get(0), nextEpoch(0, known),
                    replicas);
            loads.add(a);
            out.put(key, a);
        }
        return out;
    }

    /**
     * (b) New leaders for partitions whose leader is not live: the live ISR member with the highest
     * {@code (lastEpoch, logEndOffset)} (unknown states last, ties to the earlier in the ISR), the epoch raised and
     * the ISR shrunk to the live members. With no live ISR member, the live replica that is most up to date (an
     * unclean election: it may lack acknowledged messages; it becomes the only ISR member). With no live replica
     * the partition goes offline: leader null, epoch and ISR unchanged (the ISR says who may lead when they return).
     */
    public Map<PartitionKey, PartitionAssignment> failover(List<String> live,
                                                           Map<PartitionKey, PartitionAssignment> existing,
                                                           Map<PartitionKey, Map<String, ReplicaState>> states) {
        Map<PartitionKey, PartitionAssignment> out = new TreeMap<>();
        for (Map.Entry<PartitionKey, PartitionAssignment> e : new TreeMap<>(existing).entrySet()) {
            PartitionAssignment a = e.getValue();
            if (a.leader() != null && live.contains(a.leader())) {
                continue;
            }
            Map<String, ReplicaState> known = states.getOrDefault(e.getKey(), Map.of());
            List<String> liveIsr = a.isr().stream().filter(live::contains).toList();
            List<String> liveReplicas = a.replicas().stream().filter(live::contains).toList();
            if (liveReplicas.isEmpty()) {
                if (a.leader() != null) {
                    out.put(e.getKey(), a.withLeader(null, a.leaderEpoch()));
                }
                continue;
            }
            // The most up-to-date live replica by the published states, an in-sync one on a tie: the ISR in the
            // table can be a publish interval old, and a candidate behind another replica is refused its votes
            // (an election stuck for 5 s before it is given to the better one). Votes, not this choice, keep
            // committed records safe.
            String best = liveIsr.isEmpty() ? liveReplicas.get(0) : liveIsr.get(0);
            for (String c : liveReplicas) {
                int cmp = known.getOrDefault(c, UNKNOWN).compareAsCandidate(known.getOrDefault(best, UNKNOWN));
                if (cmp > 0 || (cmp == 0 && liveIsr.contains(c) && !liveIsr.contains(best))) {
                    best = c;
                }
            }
            out.put(e.getKey(), new PartitionAssignment(a.replicas(), best, nextEpoch(a.leaderEpoch(), known),
                    liveIsr.contains(best) ? liveIsr : List.of(best), a.leaving()));
        }
        return out;
    }

    /**
     * Replicas for online partitions with fewer than {@link #targetReplicas}: the least loaded live brokers, added
     * at the end (not in the ISR until the replication layer says they caught up). Leaders and epochs stay.
     */
    public Map<PartitionKey, PartitionAssignment> topUp(List<String> live,
                                                        Map<PartitionKey, PartitionAssignment> existing) {
        Map<PartitionKey, PartitionAssignment> out = new TreeMap<>();
        Loads loads = new Loads(live, existing);
        int n = targetReplicas(live.size());
        for (Map.Entry<PartitionKey, PartitionAssignment> e : new TreeMap<>(existing).entrySet()) {
            PartitionAssignment a = e.getValue();
            if (!online(a, live) || a.replicas().size() >= n) {
                continue;
            }
            List<String> replicas = new ArrayList<>(a.replicas());
            String add;
            while (replicas.size() < n && (add = loads.leastReplicas(live, replicas)) != null) {
                replicas.add(add);
                loads.replicas.merge(add, 1, Integer::sum);
            }
            if (replicas.size() > a.replicas().size()) {
                out.put(e.getKey(), new PartitionAssignment(replicas, a.leader(), a.leaderEpoch(), a.isr(),
                        a.leaving()));
            }
        }
        return out;
    }

    /**
     * (c) Takes leadership off {@code broker}: each online partition it leads goes to the live ISR member (other than
     * it) leading fewest partitions, epoch raised. With {@code moveReplicas} it also leaves every replica set, in
     * two steps: the least loaded live broker not yet a replica is added and {@code broker} marked leaving (not in the
     * ISR until caught up), and {@link #completeMoves} removes {@code broker} once the others are in sync; leaders
     * other than it unchanged. A partition with no other live ISR member keeps {@code broker} as leader, a replica
     * with no broker to take it stays, and a partition with a move under way keeps that move.
     */
    public Map<PartitionKey, PartitionAssignment> drain(String broker, boolean moveReplicas, List<String> live,
                                                        Map<PartitionKey, PartitionAssignment> existing) {
        Map<PartitionKey, PartitionAssignment> out = new TreeMap<>();
        Loads loads = new Loads(live, existing);
        for (Map.Entry<PartitionKey, PartitionAssignment> e : new TreeMap<>(existing).entrySet()) {
            PartitionAssignment a = e.getValue();
            if (!online(a, live) || !a.replicas().contains(broker)) {
                continue;
            }
            String leader = a.leader();
            int epoch = a.leaderEpoch();
            if (leader.equals(broker)) {
                List<String> candidates = a.isr().stream().filter(b -> !b.equals(broker) && live.contains(b))
                        .toList();
                if (candidates.isEmpty()) {
                    continue;
                }
                leader = loads.leastLeaders(candidates, List.of());
                epoch++;
            }
            List<String> replicas = a.replicas();
            String leaving = a.leaving();
            // one move at a time: a partition whose replica is already leaving keeps that move
            String replacement = moveReplicas && leaving == null ? loads.leastReplicas(live, replicas) : null;
            if (replacement != null) {
                replicas = withBroker(replicas, replacement);
                leaving = broker;
            }
            PartitionAssignment next = new PartitionAssignment(replicas, leader, epoch, a.isr(), leaving);
            if (!next.equals(a)) {
                loads.remove(a);
                loads.add(next);
                out.put(e.getKey(), next);
            }
        }
        return out;
    }

    /**
     * (d) Spreads replicas, then leaderships, evenly over the live brokers (typically onto a newly added one), after
     * topping up under-replicated partitions. Replicas move from the broker holding most to the one holding fewest
     * while they differ by more than one, only where the moving replica is not the leader and no move is under way
     * (the newcomer is added and the old one marked leaving, removed by {@link #completeMoves} once the others are
     * in sync; a leaving replica no longer counts as held); then leaderships move the same way, only to a live ISR
     * member that is not leaving, each raising the epoch. Every move lowers the imbalance, so this ends.
     */
    public Map<PartitionKey, PartitionAssignment> rebalance(List<String> live,
                                                            Map<PartitionKey, PartitionAssignment> existing) {
        Map<PartitionKey, PartitionAssignment> changes = new TreeMap<>();
        Map<PartitionKey, PartitionAssignment> current = new TreeMap<>(existing);
        apply(changes, current, topUp(live, current));
        while (true) {
            Map.Entry<PartitionKey, PartitionAssignment> move = replicaMove(live, current);
            if (move == null) {
                break;
            }
            apply(changes, current, Map.of(move.getKey(), move.getValue()));
        }
        while (true) {
            Map.Entry<PartitionKey, PartitionAssignment> move = leaderMove(live, current);
            if (move == null) {
                break;
            }
            apply(changes, current, Map.of(move.getKey(), move.getValue()));
        }
        return changes;
    }

    private Map.Entry<PartitionKey, PartitionAssignment> replicaMove(List<String> live,
                                                                      Map<PartitionKey, PartitionAssignment> current) {
        Loads loads = new Loads(live, current);
        for (String from : loads.byLoad(live, loads.replicas, true)) {
            for (String to : loads.byLoad(live, loads.replicas, false)) {
                if (loads.replicas.get(from) - loads.replicas.get(to) <= 1) {
                    break;
                }
                for (Map.Entry<PartitionKey, PartitionAssignment> e : current.entrySet()) {
                    PartitionAssignment a = e.getValue();
                    if (online(a, live) && a.leaving() == null && a.replicas().contains(from)
                            && !a.leader().equals(from) && !a.replicas().contains(to)) {
                        return Map.entry(e.getKey(), new PartitionAssignment(withBroker(a.replicas(), to),
                                a.leader(), a.leaderEpoch(), a.isr(), from));
                    }
                }
            }
        }
        return null;
    }

    private Map.Entry<PartitionKey, PartitionAssignment> leaderMove(List<String> live,
                                                                     Map<PartitionKey, PartitionAssignment> current) {
        Loads loads = new Loads(live, current);
        for (String from : loads.byLoad(live, loads.leaders, true)) {
            for (String to : loads.byLoad(live, loads.leaders, false)) {
                if (loads.leaders.get(from) - loads.leaders.get(to) <= 1) {
                    break;
                }
                for (Map.Entry<PartitionKey, PartitionAssignment> e : current.entrySet()) {
                    PartitionAssignment a = e.getValue();
                    if (online(a, live) && a.leader().equals(from) && a.isr().contains(to)
                            && !to.equals(a.leaving())) {
                        return Map.entry(e.getKey(), a.withLeader(to, a.leaderEpoch() + 1));
                    }
                }
            }
        }
        return null;
    }

    /**
     * New leaders for partitions whose proposed leader has not taken office within the time the coordinator allows
     * ({@code stuck}: the proposals it has seen unestablished for too long): Raft's votes refuse a candidate whose
     * log is behind a majority's, and with leadership per destination the broker proposed for a whole destination
     * can be behind on one of its partitions. That partition gets its own most up-to-date live replica (by the
     * published states), or the same one again, at a higher epoch. A partition other than 0 takes its whole
     * destination along (partition 0, unless that one is stuck too, gets the same leader, and alignment moves the
     * rest): giving it back to the destination's leader would be refused again (it is behind there), round and
     * round, and a destination split between leaders cannot run transactions. Partitions whose leaders are in office
     * move to the new leader by handover once it has caught up with them.
     */
    public static Map<PartitionKey, PartitionAssignment> unstick(Map<PartitionKey, PartitionAssignment> existing,
                                                             java.util.Set<PartitionKey> stuck, List<String> live,
                                                             Map<PartitionKey, Map<String, ReplicaState>> states) {
        Map<PartitionKey, PartitionAssignment> out = new TreeMap<>();
        for (PartitionKey key : stuck) {
            PartitionAssignment a = existing.get(key);
            if (a == null || a.leader() == null) {
                continue;
            }
            Map<String, ReplicaState> known = states.getOrDefault(key, Map.of());
            String best = null;
            for (String r : a.replicas()) {
                if (live.contains(r) && (best == null
                        || known.getOrDefault(r, UNKNOWN).compareAsCandidate(known.getOrDefault(best, UNKNOWN)) > 0)) {
                    best = r;
                }
            }
            if (best != null) {
                String chosen = best;
                List<String> isr = a.isr().contains(chosen) ? a.isr() : a.replicas().stream()
                        .filter(r -> r.equals(chosen) || a.isr().contains(r)).toList();
                out.put(key, new PartitionAssignment(a.replicas(), chosen, nextEpoch(a.leaderEpoch(), known), isr,
                        a.leaving()));
            }
        }
        Map<PartitionKey, PartitionAssignment> firsts = new TreeMap<>();
        for (Map.Entry<PartitionKey, PartitionAssignment> e : out.entrySet()) {
            PartitionKey key = e.getKey();
            PartitionKey firstKey = new PartitionKey(key.queue(), key.destination(), 0);
            PartitionAssignment first = existing.get(firstKey);
            String chosen = e.getValue().leader();
            if (key.partition() == 0 || stuck.contains(firstKey) || firsts.containsKey(firstKey) || first == null
                    || chosen.equals(first.leader()) || !first.replicas().contains(chosen)) {
                continue;
            }
            List<String> isr = first.isr().contains(chosen) ? first.isr() : withBroker(first.isr(), chosen);
            firsts.put(firstKey, new PartitionAssignment(first.replicas(), chosen,
                    nextEpoch(first.leaderEpoch(), states.getOrDefault(firstKey, Map.of())), isr));
        }
        out.putAll(firsts);
        return out;
    }

    /**
     * Moves leadership off drained brokers, after {@code changes} are applied to {@code existing}: to the first live
     * in-sync replica that is not drained, with a higher epoch (a new partition just gets that leader). A partition
     * whose other replicas are all drained or gone keeps its leader.
     *
     * @return {@code changes} with the partitions this moves added or adjusted
     */
    public static Map<PartitionKey, PartitionAssignment> avoidDrained(
            Map<PartitionKey, PartitionAssignment> existing, Map<PartitionKey, PartitionAssignment> changes,
            Set<String> drained, List<String> live) {
        return avoidDrained(existing, changes, drained, live, Map.of());
    }

    /**
     * {@link #avoidDrained(Map, Map, Set, List)}, moving leadership only to a replica that is not known to be behind
     * the current leader's high watermark ({@code states}): a replica missing committed records cannot win its
     * election (the others refuse it their votes), and proposing it again after every unsticking would leave the
     * partition without a leader for good.
     */
    public static Map<PartitionKey, PartitionAssignment> avoidDrained(
            Map<PartitionKey, PartitionAssignment> existing, Map<PartitionKey, PartitionAssignment> changes,
            Set<String> drained, List<String> live, Map<PartitionKey, Map<String, ReplicaState>> states) {
        Map<PartitionKey, PartitionAssignment> out = new TreeMap<>(changes);
        if (drained.isEmpty()) {
            return out;
        }
        Map<PartitionKey, PartitionAssignment> after = new TreeMap<>(existing);
        changes.forEach((k, v) -> {
            if (v == null) {
                after.remove(k);
            } else {
                after.put(k, v);
            }
        });
        for (Map.Entry<PartitionKey, PartitionAssignment> e : after.entrySet()) {
            PartitionAssignment a = e.getValue();
            if (a.leader() == null || !drained.contains(a.leader())) {
                continue;
            }
            Map<String, ReplicaState> known = states.getOrDefault(e.getKey(), Map.of());
            ReplicaState leaderState = known.get(a.leader());
            String to = a.isr().stream().filter(b -> live.contains(b) && !drained.contains(b)
                    && !behind(known.get(b), leaderState)).findFirst().orElse(null);
            if (to == null) {
                continue;
            }
            PartitionAssignment before = existing.get(e.getKey());
            boolean wasLed = before != null && before.leader() != null;
            int epoch = wasLed ? Math.max(a.leaderEpoch(), before.leaderEpoch()) + 1 : a.leaderEpoch();
            out.put(e.getKey(), new PartitionAssignment(a.replicas(), to, epoch, a.isr(), a.leaving()));
        }
        return out;
    }

    /** Whether {@code candidate} is known to lack records that {@code leader} knows are committed. */
    private static boolean behind(ReplicaState candidate, ReplicaState leader) {
        return candidate != null && leader != null && (candidate.lastEpoch() < leader.lastEpoch()
                || (candidate.lastEpoch() == leader.lastEpoch() && candidate.logEndOffset() < leader.highWatermark()));
    }

    /**
     * Gives every partition of a destination the replicas and the leader of its partition 0, after {@code changes}
     * are applied to {@code existing}: leadership is per destination (a subscription spans all its partitions and
     * lives on one broker). A partition whose leader changes this way gets a higher epoch; its ISR keeps the members
     * that stay replicas (all of the new replicas if none does).
     *
     * @return {@code changes} with the partitions this moves added or adjusted
     */
    public static Map<PartitionKey, PartitionAssignment> alignDestinations(
            Map<PartitionKey, PartitionAssignment> existing, Map<PartitionKey, PartitionAssignment> changes) {
        return alignDestinations(existing, changes, Map.of());
    }

    /**
     * As {@link #alignDestinations(Map, Map)}, but a partition that already has a leader moves to partition 0's only
     * once that broker has caught up with it, as the brokers published ({@code states}: it holds the current epoch
     * and everything below the current leader's high watermark); else its votes would refuse it. Partitions whose
     * states are not known move at once.
     */
    public static Map<PartitionKey, PartitionAssignment> alignDestinations(
            Map<PartitionKey, PartitionAssignment> existing, Map<PartitionKey, PartitionAssignment> changes,
            Map<PartitionKey, Map<String, ReplicaState>> states) {
        Map<PartitionKey, PartitionAssignment> after = new TreeMap<>(existing);
        for (Map.Entry<PartitionKey, PartitionAssignment> c : changes.entrySet()) {
            if (c.getValue() == null) {
                after.remove(c.getKey());
            } else {
                after.put(c.getKey(), c.getValue());
            }
        }
        Map<PartitionKey, PartitionAssignment> out = new TreeMap<>(changes);
        for (Map.Entry<PartitionKey, PartitionAssignment> e : after.entrySet()) {
            PartitionKey key = e.getKey();
            if (key.partition() == 0) {
                continue;
            }
            PartitionAssignment first = after.get(new PartitionKey(key.queue(), key.destination(), 0));
            PartitionAssignment a = e.getValue();
            if (first == null || (first.replicas().equals(a.replicas())
                    && java.util.Objects.equals(first.leader(), a.leader())
                    && java.util.Objects.equals(first.leaving(), a.leaving()))) {
                continue;
            }
            boolean leaderMoves = !java.util.Objects.equals(first.leader(), a.leader());
            Map<String, ReplicaState> known = states.getOrDefault(key, Map.of());
            // Only a partition led in office (its leader before these changes, established) waits for the
            // destination's leader to catch up; one that is getting a new leader anyway gets the destination's.
            PartitionAssignment before = existing.get(key);
            ReplicaState inOffice = before == null || before.leader() == null ? null : known.get(before.leader());
            boolean ledInOffice = inOffice != null && before.leader().equals(a.leader())
                    && inOffice.lastEpoch() == before.leaderEpoch();
            if (leaderMoves && ledInOffice && first.leader() != null) {
                ReplicaState current = known.get(a.leader());
                ReplicaState target = known.get(first.leader());
                if (current == null || target == null || current.lastEpoch() != a.leaderEpoch()
                        || target.lastEpoch() != a.leaderEpoch() || target.logEndOffset() < current.highWatermark()) {
                    continue;
                }
            }
            int epoch = leaderMoves ? Math.max(a.leaderEpoch() + 1, first.leaderEpoch()) : a.leaderEpoch();
            List<String> isr = a.isr().stream().filter(first.replicas()::contains).toList();
            if (isr.isEmpty() || (first.leader() != null && !isr.contains(first.leader()))) {
                isr = first.replicas();
            }
            out.put(key, new PartitionAssignment(first.replicas(), first.leader(), epoch, isr, first.leaving()));
        }
        return out;
    }

    private static boolean online(PartitionAssignment a, List<String> live) {
        return a.leader() != null && live.contains(a.leader());
    }

    /** One more than both the table's epoch and every epoch a replica reported. */
    private static int nextEpoch(int current, Map<String, ReplicaState> known) {
        int max = current;
        for (ReplicaState s : known.values()) {
            max = Math.max(max, s.lastEpoch());
        }
        return max + 1;
    }

    private static void apply(Map<PartitionKey, PartitionAssignment> changes,
                              Map<PartitionKey, PartitionAssignment> current,
                              Map<PartitionKey, PartitionAssignment> step) {
        changes.putAll(step);
        current.putAll(step);
    }

    private static List<String> withBroker(List<String> replicas, String broker) {
        List<String> r = new ArrayList<>(replicas);
        if (!r.contains(broker)) {
            r.add(broker);
        }
        return r;
    }

    /** Partitions led and held per live broker; ties go to the broker earlier in the live list. */
    private static final class Loads {
        final Map<String, Integer> leaders = new HashMap<>();
        final Map<String, Integer> replicas = new HashMap<>();
        final List<String> order;

        Loads(List<String> live, Map<PartitionKey, PartitionAssignment> assignments) {
            this.order = live;
            for (String b : live) {
                leaders.put(b, 0);
                replicas.put(b, 0);
            }
            assignments.values().forEach(this::add);
        }

        void add(PartitionAssignment a) {
            count(a, 1);
        }

        void remove(PartitionAssignment a) {
            count(a, -1);
        }

        private void count(PartitionAssignment a, int delta) {
            if (a.leader() != null) {
                leaders.computeIfPresent(a.leader(), (k, v) -> v + delta);
            }
            // a leaving replica counts as gone: it is removed once the others are in sync
            for (String r : a.staying()) {
                replicas.computeIfPresent(r, (k, v) -> v + delta);
            }
        }

        /** Among {@code candidates} not in {@code exclude}: fewest leaderships, then fewest replicas; or null. */
        String leastLeaders(List<String> candidates, List<String> exclude) {
            String best = null;
            for (String b : candidates) {
                if (exclude.contains(b) || !leaders.containsKey(b)) {
                    continue;
                }
                if (best == null || leaders.get(b) < leaders.get(best)
                        || (leaders.get(b).equals(leaders.get(best)) && replicas.get(b) < replicas.get(best))
                        || (leaders.get(b).equals(leaders.get(best)) && replicas.get(b).equals(replicas.get(best))
                        && order.indexOf(b) < order.indexOf(best))) {
                    best = b;
                }
            }
            return best;
        }

        /** Among {@code candidates} not in {@code exclude}: fewest replicas; or null. */
        String leastReplicas(List<String> candidates, List<String> exclude) {
            String best = null;
            for (String b : candidates) {
                if (exclude.contains(b) || !replicas.containsKey(b)) {
                    continue;
                }
                if (best == null || replicas.get(b) < replicas.get(best)
                        || (replicas.get(b).equals(replicas.get(best)) && order.indexOf(b) < order.indexOf(best))) {
                    best = b;
                }
            }
            return best;
        }

        /** The live brokers by load, most loaded first ({@code descending}) or least loaded first. */
        List<String> byLoad(List<String> live, Map<String, Integer> load, boolean descending) {
            List<String> out = new ArrayList<>(live);
            out.sort((x, y) -> {
                int c = descending ? Integer.compare(load.get(y), load.get(x)) : Integer.compare(load.get(x),
                        load.get(y));
                return c != 0 ? c : Integer.compare(order.indexOf(x), order.indexOf(y));
            });
            return out;
        }
    }
}
