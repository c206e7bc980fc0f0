package io.heraldmq.server.cluster;

import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AssignmentPlannerTest {
    private static final List<String> THREE = List.of("b1", "b2", "b3");
    private static final List<String> FOUR = List.of("b1", "b2", "b3", "b4");
    private final AssignmentPlanner planner = new AssignmentPlanner(0);

    /**
     * Partition 0 of queue {@code q<n>}: one destination each, since the partitions of one destination share
     * replicas and leader ({@link #partitionsOfADestinationShareItsLeader}).
     */
    private static PartitionKey q(int n) {
        return new PartitionKey(true, "q" + n, 0);
    }

    private static PartitionAssignment a(List<String> replicas, String leader, int epoch, List<String> isr) {
        return new PartitionAssignment(replicas, leader, epoch, isr);
    }

    private static List<PartitionKey> keys(int n) {
        return java.util.stream.IntStream.range(0, n).mapToObj(AssignmentPlannerTest::q).toList();
    }

    /** The table of {@link #newPartitionsSpreadLeadersAndReplicas}: three partitions over b1..b3. */
    private static Map<PartitionKey, PartitionAssignment> threeOnThree() {
        Map<PartitionKey, PartitionAssignment> t = new TreeMap<>();
        t.put(q(0), a(List.of("b1", "b2", "b3"), "b1", 1, List.of("b1", "b2", "b3")));
        t.put(q(1), a(List.of("b2", "b1", "b3"), "b2", 1, List.of("b2", "b1", "b3")));
        t.put(q(2), a(List.of("b3", "b1", "b2"), "b3", 1, List.of("b3", "b1", "b2")));
        return t;
    }

    // ------------------------------------------------------------------ (a) new partitions

    @Test
    void newPartitionsSpreadLeadersAndReplicas() {
        Map<PartitionKey, PartitionAssignment> plan = planner.assignNew(THREE, keys(3), Map.of(), Map.of());
        assertEquals(threeOnThree(), plan);
        assertEquals(plan, planner.assignNew(THREE, keys(3), Map.of(), Map.of()), "deterministic");
    }

    @Test
    void replicationFactorBelowTheBrokerCountSpreadsEvenly() {
        Map<PartitionKey, PartitionAssignment> plan = new AssignmentPlanner(2).assignNew(FOUR, keys(8), Map.of(),
                Map.of());
        Map<String, Integer> leaders = new HashMap<>();
        Map<String, Integer> replicas = new HashMap<>();
        for (PartitionAssignment p : plan.values()) {
            assertEquals(2, p.replicas().size());
            assertEquals(p.replicas().get(0), p.leader(), "leader = first replica");
            assertEquals(1, p.leaderEpoch());
            assertEquals(p.replicas(), p.isr());
            leaders.merge(p.leader(), 1, Integer::sum);
            p.replicas().forEach(r -> replicas.merge(r, 1, Integer::sum));
        }
        assertEquals(Map.of("b1", 2, "b2", 2, "b3", 2, "b4", 2), leaders);
        assertEquals(Map.of("b1", 4, "b2", 4, "b3", 4, "b4", 4), replicas);
    }

    @Test
    void newPartitionsCountExistingLoadAndFewerBrokersThanTheFactor() {
        Map<PartitionKey, PartitionAssignment> existing = Map.of(q(0), a(List.of("b1", "b2"), "b1", 1,
                List.of("b1", "b2")));
        assertEquals(Map.of(q(1), a(List.of("b2", "b1"), "b2", 1, List.of("b2", "b1"))),
                planner.assignNew(List.of("b1", "b2"), keys(2), existing, Map.of()));
        assertEquals(Map.of(q(0), a(List.of("b1"), "b1", 1, List.of("b1"))),
                new AssignmentPlanner(3).assignNew(List.of("b1"), keys(1), Map.of(), Map.of()));
        assertTrue(planner.assignNew(List.of(), keys(1), Map.of(), Map.of()).isEmpty());
    }

    @Test
    void aRebuiltTablePrefersTheBrokersThatHaveTheDataAndFencesTheirEpochs() {
        Map<PartitionKey, Map<String, ReplicaState>> states = Map.of(q(0), Map.of(
                "b2", new ReplicaState(6, 500, 500), "b3", new ReplicaState(7, 400, 400)));
        assertEquals(Map.of(q(0), a(List.of("b3", "b2", "b1"), "b3", 8, List.of("b3", "b2", "b1"))),
                planner.assignNew(THREE, keys(1), Map.of(), states));
    }

    // ------------------------------------------------------------------ (b) failover

    @Test
    void aDeadLeaderIsReplacedByTheMostUpToDateLiveIsrMember() {
        Map<PartitionKey, PartitionAssignment> t = Map.of(q(0), a(THREE, "b1", 3, THREE));
        Map<PartitionKey, Map<String, ReplicaState>> states = Map.of(q(0), Map.of(
                "b2", new ReplicaState(3, 100, 90), "b3", new ReplicaState(3, 120, 90)));
        assertEquals(Map.of(q(0), a(THREE, "b3", 4, List.of("b2", "b3"))),
                planner.failover(List.of("b2", "b3"), t, states));
        // unknown states: the first live ISR member
        assertEquals(Map.of(q(0), a(THREE, "b2", 4, List.of("b2", "b3"))),
                planner.failover(List.of("b2", "b3"), t, Map.of()));
        // a higher reported epoch than the table's is fenced too
        assertEquals(8, planner.failover(List.of("b2", "b3"), t, Map.of(q(0), Map.of("b2",
                new ReplicaState(7, 1, 1)))).get(q(0)).leaderEpoch());
    }

    @Test
    void withoutALiveIsrMemberALiveReplicaLeadsAlone() {
        Map<PartitionKey, PartitionAssignment> t = Map.of(q(0), a(THREE, "b1", 3, List.of("b1")));
        Map<PartitionKey, Map<String, ReplicaState>> states = Map.of(q(0), Map.of(
                "b2", new ReplicaState(2, 100, 90), "b3", new ReplicaState(3, 50, 50)));
        assertEquals(Map.of(q(0), a(THREE, "b3", 4, List.of("b3"))),
                planner.failover(List.of("b2", "b3", "b4"), t, states));
    }

    @Test
    void withoutALiveReplicaThePartitionGoesOfflineKeepingEpochAndIsr() {
        Map<PartitionKey, PartitionAssignment> t = Map.of(q(0), a(List.of("b1", "b2"), "b1", 3, List.of("b1", "b2")));
        PartitionAssignment offline = a(List.of("b1", "b2"), null, 3, List.of("b1", "b2"));
        assertEquals(Map.of(q(0), offline), planner.failover(List.of("b3"), t, Map.of()));
        assertTrue(planner.failover(List.of("b3"), Map.of(q(0), offline), Map.of()).isEmpty(), "already offline");
        // a returning ISR member leads again, one epoch up
        assertEquals(Map.of(q(0), a(List.of("b1", "b2"), "b2", 4, List.of("b2"))),
                planner.failover(List.of("b2", "b3"), Map.of(q(0), offline), Map.of()));
        assertTrue(planner.failover(THREE, threeOnThree(), Map.of()).isEmpty(), "live leaders stay");
    }

    // ------------------------------------------------------------------ (c) drain

    @Test
    void drainMovesLeadershipToAnotherLiveIsrMember() {
        Map<PartitionKey, PartitionAssignment> plan = planner.drain("b1", false, THREE, threeOnThree());
        assertEquals(Map.of(q(0), a(List.of("b1", "b2", "b3"), "b2", 2, List.of("b1", "b2", "b3"))), plan);
        // nobody else in sync: it stays
        assertTrue(planner.drain("b1", false, THREE, Map.of(q(0), a(THREE, "b1", 1, List.of("b1")))).isEmpty());
    }

    @Test
    void drainWithReplicasAddsTheLeastLoadedThenRemovesTheBrokerOnceTheOthersAreInSync() {
        Map<PartitionKey, PartitionAssignment> plan = planner.drain("b1", true, FOUR, threeOnThree());
        // first step: b4 added, b1 still a replica (and in sync) but leaving; a majority is now 3 of 4
        assertEquals(Map.of(
                q(0), new PartitionAssignment(List.of("b1", "b2", "b3", "b4"), "b2", 2, List.of("b1", "b2", "b3"),
                        "b1"),
                q(1), new PartitionAssignment(List.of("b2", "b1", "b3", "b4"), "b2", 1, List.of("b2", "b1", "b3"),
                        "b1"),
                q(2), new PartitionAssignment(List.of("b3", "b1", "b2", "b4"), "b3", 1, List.of("b3", "b1", "b2"),
                        "b1")), plan);
        Map<PartitionKey, PartitionAssignment> moving = new TreeMap<>(threeOnThree());
        moving.putAll(plan);
        assertTrue(planner.drain("b1", true, FOUR, moving).isEmpty(), "a move under way is kept");
        // second step: nothing while b4 is not in sync ...
        assertTrue(planner.completeMoves(FOUR, moving).isEmpty());
        // ... then b1 leaves the partitions where b4 caught up
        moving.put(q(0), moving.get(q(0)).withIsr(List.of("b2", "b3", "b4", "b1")));
        assertEquals(Map.of(q(0), a(List.of("b2", "b3", "b4"), "b2", 2, List.of("b2", "b3", "b4"))),
                planner.completeMoves(FOUR, moving));
        // a replica that stays but is out of sync holds the move back too: b2 may lack acknowledged records
        moving.put(q(1), moving.get(q(1)).withIsr(List.of("b1", "b3", "b4")));
        assertEquals(Set.of(q(0)), planner.completeMoves(FOUR, moving).keySet());
        // and the plan of every pass completes what it can
        assertEquals(a(List.of("b2", "b3", "b4"), "b2", 2, List.of("b2", "b3", "b4")),
                planner.plan(FOUR, moving.keySet(), moving, Map.of()).get(q(0)));
        // no broker left to take the replicas: only the leadership moves
        assertEquals(Map.of(q(0), a(List.of("b1", "b2", "b3"), "b2", 2, List.of("b1", "b2", "b3"))),
                planner.drain("b1", true, THREE, threeOnThree()));
    }

    @Test
    void aMoveCompletesForAWholeDestinationOnly() {
        PartitionKey p0 = new PartitionKey(true, "orders", 0);
        PartitionKey p1 = new PartitionKey(true, "orders", 1);
        Map<PartitionKey, PartitionAssignment> t = new TreeMap<>();
        t.put(p0, new PartitionAssignment(List.of("b1", "b2", "b3", "b4"), "b2", 2, List.of("b2", "b3", "b4"),
                "b1"));
        t.put(p1, new PartitionAssignment(List.of("b1", "b2", "b3", "b4"), "b2", 2, List.of("b2", "b3"), "b1"));
        assertTrue(planner.completeMoves(FOUR, t).isEmpty(), "partition 1's b4 is behind");
        t.put(p1, t.get(p1).withIsr(List.of("b2", "b3", "b4")));
        assertEquals(Set.of(p0, p1), planner.completeMoves(FOUR, t).keySet());
        // the leaving broker still leads: it must hand the leadership over first
        t.put(p0, t.get(p0).withLeader("b1", 3));
        assertTrue(planner.completeMoves(FOUR, t).isEmpty());
    }

    @Test
    void theLeavingReplicaSurvivesTheTable() {
        PartitionAssignment moving = new PartitionAssignment(List.of("b1", "b2", "b3", "b4"), "b2", 2,
                List.of("b2", "b3"), "b1");
        assertEquals(moving, PartitionAssignment.decode(moving.encode()));
        assertEquals("2|b2|b1,b2,b3,b4|b2,b3|b1", moving.encode());
        PartitionAssignment settled = a(THREE, "b1", 1, THREE);
        assertEquals("1|b1|b1,b2,b3|b1,b2,b3", settled.encode(), "the four-field form stays as it was");
        assertEquals(settled, PartitionAssignment.decode(settled.encode()));
        assertEquals(List.of("b2", "b3", "b4"), moving.staying());
        assertEquals(moving, moving.withIsr(List.of("b2", "b3")));
        assertEquals("b1", moving.withLeader("b3", 3).leaving());
    }

    // ------------------------------------------------------------------ (d) rebalance

    @Test
    void rebalanceSpreadsReplicasOntoANewBroker() {
        Map<PartitionKey, PartitionAssignment> plan = planner.rebalance(FOUR, threeOnThree());
        // added and marked leaving, one move per partition; the leaving replicas no longer count as held
        assertEquals(Map.of(
                q(0), new PartitionAssignment(List.of("b1", "b2", "b3", "b4"), "b1", 1, List.of("b1", "b2", "b3"),
                        "b2"),
                q(1), new PartitionAssignment(List.of("b2", "b1", "b3", "b4"), "b2", 1, List.of("b2", "b1", "b3"),
                        "b1")), plan);
        assertEquals(plan, planner.rebalance(FOUR, threeOnThree()), "deterministic");
        Map<PartitionKey, PartitionAssignment> after = new TreeMap<>(threeOnThree());
        after.putAll(plan);
        assertTrue(planner.rebalance(FOUR, after).isEmpty(), "balanced is a fixed point");
        after.put(q(0), after.get(q(0)).withIsr(List.of("b1", "b2", "b3", "b4")));
        assertEquals(Map.of(q(0), a(List.of("b1", "b3", "b4"), "b1", 1, List.of("b1", "b3", "b4"))),
                planner.completeMoves(FOUR, after));
    }

    @Test
    void rebalanceSpreadsLeadershipsRaisingEpochs() {
        Map<PartitionKey, PartitionAssignment> t = new TreeMap<>();
        for (int i = 0; i < 4; i++) {
            t.put(q(i), a(List.of("b1", "b2"), "b1", 5, List.of("b1", "b2")));
        }
        Map<PartitionKey, PartitionAssignment> plan = planner.rebalance(List.of("b1", "b2"), t);
        assertEquals(Map.of(q(0), a(List.of("b1", "b2"), "b2", 6, List.of("b1", "b2")),
                q(1), a(List.of("b1", "b2"), "b2", 6, List.of("b1", "b2"))), plan);
        // a broker outside the ISR never gets a leadership
        t.put(q(0), a(List.of("b1", "b2"), "b1", 5, List.of("b1")));
        t.put(q(1), a(List.of("b1", "b2"), "b1", 5, List.of("b1")));
        t.put(q(2), a(List.of("b1", "b2"), "b1", 5, List.of("b1")));
        assertEquals(Map.of(q(3), a(List.of("b1", "b2"), "b2", 6, List.of("b1", "b2"))),
                planner.rebalance(List.of("b1", "b2"), t));
    }

    // ------------------------------------------------------------------ the periodic pass

    @Test
    void planAssignsRemovesFailsOverAndTopsUp() {
        Map<PartitionKey, PartitionAssignment> existing = new TreeMap<>();
        existing.put(q(0), a(List.of("b1"), "b1", 1, List.of("b1")));            // created when b1 was alone
        existing.put(q(5), a(THREE, "b2", 1, THREE));                              // no longer defined
        existing.put(new PartitionKey(false, "t", 0), a(List.of("b4", "b1", "b2"), "b4", 2,
                List.of("b4", "b1", "b2")));                                       // leader gone
        List<PartitionKey> wanted = List.of(q(0), q(1), new PartitionKey(false, "t", 0));
        Map<PartitionKey, PartitionAssignment> plan = planner.plan(THREE, wanted, existing, Map.of());
        assertNull(plan.get(q(5)));
        assertTrue(plan.containsKey(q(5)), "removed");
        // topped up with the least loaded first (b2 holds the new q(1) and t:0, b3 only q(1)); ISR as it was
        assertEquals(a(List.of("b1", "b3", "b2"), "b1", 1, List.of("b1")), plan.get(q(0)));
        assertEquals(a(List.of("b4", "b1", "b2"), "b1", 3, List.of("b1", "b2")),
                plan.get(new PartitionKey(false, "t", 0)));
        PartitionAssignment fresh = plan.get(q(1));
        assertEquals(3, fresh.replicas().size());
        assertEquals(1, fresh.leaderEpoch());
        assertEquals(plan, planner.plan(THREE, wanted, existing, Map.of()), "deterministic");
    }

    @Test
    void partitionsOfADestinationShareItsLeader() {
        List<PartitionKey> orders = List.of(new PartitionKey(true, "orders", 0), new PartitionKey(true, "orders", 1),
                new PartitionKey(true, "orders", 2));
        Map<PartitionKey, PartitionAssignment> plan = planner.assignNew(THREE, orders, Map.of(), Map.of());
        assertEquals(3, plan.size());
        PartitionAssignment first = plan.get(orders.get(0));
        for (PartitionAssignment a : plan.values()) {
            assertEquals(first.replicas(), a.replicas());
            assertEquals(first.leader(), a.leader());
        }
        // a table where they differ (written before this rule) is aligned on partition 0, with a new epoch
        Map<PartitionKey, PartitionAssignment> mixed = new TreeMap<>();
        mixed.put(orders.get(0), a(List.of("b1", "b2", "b3"), "b1", 4, List.of("b1", "b2", "b3")));
        mixed.put(orders.get(1), a(List.of("b2", "b1", "b3"), "b2", 2, List.of("b2", "b1", "b3")));
        Map<PartitionKey, PartitionAssignment> aligned = AssignmentPlanner.alignDestinations(mixed, Map.of());
        assertEquals(a(List.of("b1", "b2", "b3"), "b1", 4, List.of("b2", "b1", "b3")), aligned.get(orders.get(1)));
    }

    @Test
    void drainedBrokersLeadNothingWhileAnotherReplicaCan() {
        PartitionKey orders = new PartitionKey(true, "orders", 0);
        PartitionKey fresh = new PartitionKey(true, "fresh", 0);
        Map<PartitionKey, PartitionAssignment> existing = Map.of(orders,
                a(List.of("b1", "b2", "b3"), "b1", 3, List.of("b1", "b2", "b3")));
        Map<PartitionKey, PartitionAssignment> changes = Map.of(fresh,
                a(List.of("b1", "b3", "b2"), "b1", 1, List.of("b1", "b3", "b2")));
        Map<PartitionKey, PartitionAssignment> out = AssignmentPlanner.avoidDrained(existing, changes,
                java.util.Set.of("b1"), THREE);
        assertEquals(a(List.of("b1", "b2", "b3"), "b2", 4, List.of("b1", "b2", "b3")), out.get(orders));
        assertEquals(a(List.of("b1", "b3", "b2"), "b3", 1, List.of("b1", "b3", "b2")), out.get(fresh),
                "a new partition just gets another leader");
        // nobody else in sync: the drained broker keeps leading
        Map<PartitionKey, PartitionAssignment> alone = Map.of(orders, a(List.of("b1", "b2"), "b1", 3,
                List.of("b1")));
        assertTrue(AssignmentPlanner.avoidDrained(alone, Map.of(), java.util.Set.of("b1"), THREE).isEmpty());
    }

    @Test
    void aPartitionWhoseLeaderCannotWinGetsItsMostUpToDateReplicaAndTheDestinationFollows() {
        PartitionKey p0 = new PartitionKey(true, "orders", 0);
        PartitionKey p1 = new PartitionKey(true, "orders", 1);
        PartitionKey p2 = new PartitionKey(true, "orders", 2);
        Map<PartitionKey, PartitionAssignment> table = new TreeMap<>();
        table.put(p0, a(List.of("b1", "b2", "b3"), "b2", 5, List.of("b2", "b3")));
        table.put(p1, a(List.of("b1", "b2", "b3"), "b2", 5, List.of("b2", "b3")));
        table.put(p2, a(List.of("b1", "b2", "b3"), "b2", 5, List.of("b2", "b3")));
        // b2 is behind b3 on partition 1: b3 refuses it, and b1 is down (it was ahead of everyone: it does not count)
        Map<PartitionKey, Map<String, ReplicaState>> states = Map.of(
                p0, Map.of("b2", new ReplicaState(5, 300, 290), "b3", new ReplicaState(5, 300, 290)),
                p1, Map.of("b1", new ReplicaState(4, 500, 400), "b2", new ReplicaState(3, 90, 90),
                        "b3", new ReplicaState(3, 100, 95)),
                p2, Map.of("b2", new ReplicaState(5, 80, 80), "b3", new ReplicaState(5, 80, 80)));
        List<String> live = List.of("b2", "b3");
        Map<PartitionKey, PartitionAssignment> unstuck = AssignmentPlanner.unstick(table, java.util.Set.of(p1), live,
                states);
        assertEquals(a(List.of("b1", "b2", "b3"), "b3", 6, List.of("b2", "b3")), unstuck.get(p1));
        // the destination goes with it: partition 0 names b3 too (its leader b2 hands over), and the alignment does
        // not send partition 1 back to b2, which b3 would refuse again (before: round and round, epoch 23)
        assertEquals(a(List.of("b1", "b2", "b3"), "b3", 6, List.of("b2", "b3")), unstuck.get(p0));
        Map<PartitionKey, PartitionAssignment> out = AssignmentPlanner.alignDestinations(table, unstuck, states);
        assertEquals("b3", out.get(p0).leader());
        assertEquals("b3", out.get(p1).leader());
        // partition 2, led in office by b2, moves once b3 has caught up with it there
        assertTrue(!out.containsKey(p2) || "b3".equals(out.get(p2).leader()));
        // partition 0 stuck as well: each keeps its own choice this pass
        Map<PartitionKey, PartitionAssignment> both = AssignmentPlanner.unstick(table, java.util.Set.of(p0, p1), live,
                states);
        assertEquals(2, both.size());
    }
}
