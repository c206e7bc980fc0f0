package io.heraldmq.server.cluster;

import io.heraldmq.admin.ClusterStatus;
import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.server.cluster.ClusterLoad.Producer;
import io.heraldmq.server.cluster.ClusterLoad.Received;
import io.heraldmq.server.cluster.ClusterLoad.Send;
import io.heraldmq.server.cluster.ClusterLoad.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A network partition isolates the leader of a queue from both followers while clients keep sending on both sides
 * (the test JVM reaches both: {@link NetnsCluster#cut} separates the brokers only). The isolated leader must
 * acknowledge nothing once cut; the majority elects a new leader and acknowledges again; after the heal the old
 * leader follows and its unacknowledged tail is gone: every acknowledged message is consumed, none of the messages
 * the isolated side took after the cut is ever delivered.
 */
class ClusterSplitIT {
    private static final String QUEUE = "split";
    private static final int PARTITIONS = 3;
    /**
     * A send whose replication reached the followers just before the cut may be answered a moment after it (the
     * leader still has to fsync and write the answer): acknowledgments up to this long after the cut are allowed.
     */
    private static final long GRACE_MS = 500;
    /** How long the partition lasts at least: several Hazelcast heartbeat timeouts, several request timeouts. */
    private static final long SPLIT_MS = 12_000;
    private static final long REQUEST_TIMEOUT_MS = 4_000;

    // kept when the test fails: the brokers' logs are the evidence
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;
    private NetnsCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void isolatedLeaderAcknowledgesNothingAndLosesItsDivergentTail() throws Exception {
        cluster = new NetnsCluster(dir, 3, "log.flush.policy = always\n").start();
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(0))) {
            admin.createQueue(QUEUE, PARTITIONS, -1, -1);
        }
        String oldLeader = cluster.awaitLeader(0, true, QUEUE, PARTITIONS, null, Duration.ofSeconds(30));
        int l = cluster.indexOf(oldLeader);
        int m = (l + 1) % 3;
        System.out.println("ClusterSplitIT: leader b" + l + " (" + oldLeader + "), majority producer via b" + m);

        // Both producers stay on their broker: the point is what each side answers, not client failover.
        try (Producer isolated = new Producer("iso", false, QUEUE, 5, () -> new Target("b" + l, cluster.url(l)),
                REQUEST_TIMEOUT_MS).start();
             Producer majority = new Producer("maj", false, QUEUE, 5, () -> new Target("b" + m, cluster.url(m)),
                     REQUEST_TIMEOUT_MS).start()) {
            await("both producers acknowledged").atMost(Duration.ofSeconds(30))
                    .until(() -> isolated.ackedCount() >= 20 && majority.ackedCount() >= 20);

            long cutAt = System.currentTimeMillis();
            cluster.cut(l);
            long cutDone = System.currentTimeMillis();

            await("majority acknowledges again after the cut").atMost(Duration.ofSeconds(60))
                    .until(() -> majority.firstAckStartedAfter(cutDone) != null);
            Send first = majority.firstAckStartedAfter(cutDone);
            long failoverMs = first.endMs() - cutAt;
            String newLeader = cluster.awaitLeader(m, true, QUEUE, PARTITIONS, oldLeader, Duration.ofSeconds(30));
            // Keep the split a while: long enough for the isolated side to time out sends, step down or try to
            // elect itself (its Hazelcast half thinks the others are dead).
            await("split held").atMost(Duration.ofMillis(SPLIT_MS + 30_000)).pollInterval(Duration.ofMillis(200))
                    .until(() -> System.currentTimeMillis() - cutAt >= SPLIT_MS
                            && majority.ackedCount() > 0);
            // The isolated broker is the oldest member of its own side, hence its coordinator: it must propose
            // nothing there (else both sides mint the same epochs for different leaders).
            await("isolated coordinator refuses to change the table").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(200))
                    .until(() -> Files.readString(cluster.log(l), StandardCharsets.UTF_8).contains("not a majority"));
            // Stop the isolated producer before the heal, so that each of its sends ended inside the split.
            isolated.close();
            long isolatedClosed = System.currentTimeMillis();
            long healAt = System.currentTimeMillis();
            cluster.heal(l);

            // The old leader rejoins: all three members on both sides, it follows, and it is back in sync.
            cluster.awaitMembers(l, 3);
            cluster.awaitMembers(m, 3);
            java.util.concurrent.atomic.AtomicReference<Object> lastSeen = new java.util.concurrent.atomic.AtomicReference<>();
            try {
                await("old leader back in the ISR of every partition, following").atMost(Duration.ofSeconds(60))
                        .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                            ClusterStatus s = cluster.status(m);
                            List<ClusterStatus.Partition> ps = s.partitions().stream()
                                    .filter(p -> p.queue() && p.destination().equals(QUEUE)).toList();
                            lastSeen.set(ps);
                            // whoever leads now (a CI run once saw a third leader after the heal): the old
                            // leader follows it and is in sync
                            return ps.size() == PARTITIONS
                                    && ps.stream().allMatch(p -> p.leader() != null && !oldLeader.equals(p.leader())
                                    && p.isr().contains(oldLeader) && p.isr().size() == 3);
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                throw new AssertionError("the old leader " + oldLeader + " is not back in the ISR (leader during"
                        + " the split: " + newLeader + "); last seen " + lastSeen.get() + "; brokers' logs in " + dir, e);
            }
            long rejoinMs = System.currentTimeMillis() - healAt;
            majority.close();

            // ---- verdicts
            List<Send> isoSends = isolated.sends();
            List<Send> lateAcks = isoSends.stream()
                    .filter(s -> s.acked() && s.endMs() > cutDone + GRACE_MS).toList();
            List<Send> racing = isoSends.stream()
                    .filter(s -> s.acked() && s.endMs() >= cutAt && s.endMs() <= cutDone + GRACE_MS).toList();
            List<Send> startedInSplit = isoSends.stream().filter(s -> s.startMs() > cutDone).toList();
            List<Send> acked = new java.util.ArrayList<>(isolated.acked());
            acked.addAll(majority.acked());

            List<Received> got = ClusterLoad.drain(cluster.url(cluster.indexOf(newLeader)), false, QUEUE, null,
                    null, 20_000, 3_000);
            Map<String, Received> byId = got.stream()
                    .collect(Collectors.toMap(Received::id, Function.identity(), (a, b) -> a));
            List<String> lost = ClusterLoad.lost(acked, got);
            Set<String> splitIds = startedInSplit.stream().map(Send::id).collect(Collectors.toSet());
            List<Received> resurrected = got.stream().filter(r -> splitIds.contains(r.id())).toList();

            System.out.printf("ClusterSplitIT: cut at %d (routes in place %d ms later); isolated side: %d sends"
                            + " started in the split (%d failed, %d acknowledged), %d acks racing the cut, %d acks"
                            + " after cut+%dms; majority: first ack %d ms after the cut (new leader %s), %d acked"
                            + " in all; isolated producer stopped %d ms after the cut; old leader back in sync %d ms"
                            + " after the heal; consumed %d (%d distinct), lost %d, duplicates delivered %d,"
                            + " split sends delivered %d%n",
                    cutAt, cutDone - cutAt, startedInSplit.size(),
                    startedInSplit.stream().filter(s -> !s.acked()).count(),
                    startedInSplit.stream().filter(Send::acked).count(), racing.size(), lateAcks.size(), GRACE_MS,
                    failoverMs, newLeader, majority.ackedCount(), isolatedClosed - cutAt, rejoinMs, got.size(),
                    byId.size(), lost.size(), ClusterLoad.duplicates(got), resurrected.size());
            isoSends.stream().filter(s -> s.startMs() > cutAt - 2_000).limit(40).forEach(s ->
                    System.out.println("  iso " + s.id() + " start=+" + (s.startMs() - cutAt) + "ms end=+"
                            + (s.endMs() - cutAt) + "ms acked=" + s.acked()
                            + (s.error() == null ? "" : " " + s.error())));

            assertNotEquals(oldLeader, newLeader);
            assertTrue(lateAcks.isEmpty(), "the isolated leader acknowledged sends after the cut: " + lateAcks);
            assertTrue(!startedInSplit.isEmpty(), "the isolated producer sent nothing during the split");
            assertTrue(lost.isEmpty(), lost.size() + " acknowledged messages lost: " + lost);
            assertEquals(List.of(), resurrected,
                    "messages sent through the isolated leader during the split (never acknowledged) were delivered");
            assertTrue(failoverMs < 30_000, "majority took " + failoverMs + " ms to acknowledge again");
        }
    }
}
