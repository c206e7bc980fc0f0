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

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code cluster drain <broker> --replicas} on four brokers under a synchronous PERSISTENT producer: each replica the
 * drained broker holds moves, in two steps, to the broker that held none (added first, the drained one leaving once
 * the newcomer is in sync), the leadership leaves it too, and the drained broker is then killed. Nothing acknowledged
 * is lost, and the destination ends on three replicas, all in sync, none of them the drained broker.
 */
class ReplicaMoveIT {
    private static final String QUEUE = "moving";
    private static final int PARTITIONS = 2;

    @TempDir
    Path dir;
    private ClusterProcesses cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aDrainedBrokersReplicasMoveInTwoStepsAndNothingAcknowledgedIsLost() throws Exception {
        cluster = new ClusterProcesses(dir, 4, "log.flush.policy = always\n").start();
        List<String> ids = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            ids.add(cluster.brokerId(i));
        }
        try (HeraldAdmin admin = cluster.admin(0)) {
            admin.createQueue(QUEUE, PARTITIONS, -1, -1);
            await("assigned, three replicas in sync").atMost(Duration.ofSeconds(30)).until(() ->
                    settled(admin.clusterStatus()));
            List<String> replicas = partitions(admin.clusterStatus()).get(0).replicas();
            String spare = ids.stream().filter(b -> !replicas.contains(b)).findFirst().orElseThrow();
            String drained = replicas.get(replicas.size() - 1);
            int drainedIndex = cluster.indexOf(drained);
            int via = cluster.indexOf(spare);

            try (Producer producer = new Producer("p", false, QUEUE, 4, () -> new Target("b" + via,
                    cluster.url(via)), 5_000).rate(200).start()) {
                await("sends before the move").atMost(Duration.ofSeconds(30))
                        .until(() -> producer.ackedCount() >= 100);
                admin.drainBroker(drained, true);
                await("the drained broker in no replica set, the others in sync").atMost(Duration.ofSeconds(60))
                        .until(() -> {
                            List<ClusterStatus.Partition> ps = partitions(admin.clusterStatus());
                            return settled(admin.clusterStatus()) && ps.stream().allMatch(p ->
                                    !p.replicas().contains(drained) && p.replicas().contains(spare));
                        });
                long atMove = producer.ackedCount();
                await("sends after the move").atMost(Duration.ofSeconds(30))
                        .until(() -> producer.ackedCount() >= atMove + 100);
                // the drained broker goes down for its maintenance: the three others carry on
                cluster.kill(drainedIndex);
                long atKill = producer.ackedCount();
                await("sends with the drained broker gone").atMost(Duration.ofSeconds(30))
                        .until(() -> producer.ackedCount() >= atKill + 100);
                producer.close();
                List<Send> acked = producer.acked();
                List<Received> got = ClusterLoad.drain(cluster.url(via), false, QUEUE, null, null, 20_000, 3_000);
                assertEquals(List.of(), ClusterLoad.lost(acked, got), "acknowledged messages lost");
                assertEquals(List.of(), producer.errors(), "client errors");
                assertTrue(acked.size() >= 300, "sent " + acked.size());
            }
            Set<String> leaders = new HashSet<>();
            for (ClusterStatus.Partition p : partitions(admin.clusterStatus())) {
                assertEquals(3, p.replicas().size(), p.toString());
                assertFalse(p.replicas().contains(drained), p.toString());
                leaders.add(p.leader());
            }
            assertEquals(1, leaders.size(), "one leader for the whole destination");
        }
    }

    private static List<ClusterStatus.Partition> partitions(ClusterStatus status) {
        return status.partitions().stream().filter(p -> p.queue() && p.destination().equals(QUEUE)).toList();
    }

    /** Every partition of the queue assigned, led, on three replicas, all of them in sync. */
    private static boolean settled(ClusterStatus status) {
        List<ClusterStatus.Partition> ps = partitions(status);
        return ps.size() == PARTITIONS && ps.stream().allMatch(p -> p.leader() != null && p.replicas().size() == 3
                && p.isr().containsAll(p.replicas()));
    }
}
