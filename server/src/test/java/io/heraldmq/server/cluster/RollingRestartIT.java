package io.heraldmq.server.cluster;

import io.heraldmq.admin.ClusterStatus;
import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.server.cluster.ClusterLoad.Consumer;
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
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The upgrade procedure: under continuous synchronous PERSISTENT load (a producer and a consumer, each reconnecting
 * by itself to a live broker while the client cannot fail over), the three brokers are stopped cleanly (SIGTERM) and
 * started again one at a time, each back in the ISR of every partition before the next goes down. Nothing
 * acknowledged may be lost; client errors are counted (the goal, once client failover exists, is none).
 */
class RollingRestartIT {
    private static final String QUEUE = "rolling";
    private static final int PARTITIONS = 3;

    @TempDir
    Path dir;
    private NetnsCluster cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void restartingEveryBrokerInTurnLosesNothingAcknowledged() throws Exception {
        long seed = Long.getLong("rolling.seed", System.nanoTime());
        System.out.println("RollingRestartIT: seed=" + seed);
        Random random = new Random(seed);
        cluster = new NetnsCluster(dir, 3, "log.flush.policy = always\n").start();
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(0))) {
            admin.createQueue(QUEUE, PARTITIONS, -1, -1);
        }
        String[] ids = {cluster.brokerId(0), cluster.brokerId(1), cluster.brokerId(2)};
        awaitInSync(0, Set.of(ids));

        List<String> steps = new ArrayList<>();
        try (Producer producer = new Producer("p", false, QUEUE, 4, anyLive(new Random(random.nextLong())), 5_000)
                .rate(100).start();
             Consumer consumer = new Consumer(QUEUE, anyLive(new Random(random.nextLong()))).start()) {
            await("load flowing").atMost(Duration.ofSeconds(30))
                    .until(() -> producer.ackedCount() >= 20 && consumer.received().size() >= 10);
            for (int n = 0; n < 3; n++) {
                long ackedBefore = producer.ackedCount();
                long t0 = System.currentTimeMillis();
                int status = cluster.stop(n);
                long stopped = System.currentTimeMillis();
                cluster.restart(n);
                long started = System.currentTimeMillis();
                int other = (n + 1) % 3;
                awaitInSync(other, Set.of(ids));
                long inSync = System.currentTimeMillis();
                // Some load with the restarted broker back, before the next one goes.
                long acked = producer.ackedCount();
                await("load after restarting b" + n).atMost(Duration.ofSeconds(60))
                        .until(() -> producer.ackedCount() >= acked + 20);
                steps.add(String.format("b%d: exit %d, stop %d ms, start %d ms, back in ISR %d ms later; acked"
                                + " during the step %d", n, status, stopped - t0, started - stopped,
                        inSync - started, producer.ackedCount() - ackedBefore));
                assertEquals(0, status, "b" + n + " did not stop cleanly on SIGTERM; see " + cluster.log(n));
            }
            producer.close();
            List<Send> acked = producer.acked();
            Set<String> ackedIds = acked.stream().map(Send::id).collect(Collectors.toSet());
            // The consumer keeps going until it has everything acknowledged or nothing more comes.
            await("consumer has every acknowledged message").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(200)).failFast(() -> false).ignoreExceptions()
                    .until(() -> consumer.received().stream().map(Received::id).collect(Collectors.toSet())
                            .containsAll(ackedIds) || quiet(consumer));
            consumer.close();
            List<Received> got = new ArrayList<>(consumer.received());
            // What the consumer never got (it may have missed a delivery in a reconnect) must still be in the queue.
            got.addAll(ClusterLoad.drain(cluster.url(0), false, QUEUE, null, null, 5_000, 3_000));
            List<String> lost = ClusterLoad.lost(acked, got);
            int clientErrors = producer.errors().size() + consumer.errors().size();

            steps.forEach(s -> System.out.println("RollingRestartIT: " + s));
            System.out.printf("RollingRestartIT: acked=%d sent in doubt=%d consumed=%d lost=%d duplicates delivered=%d"
                            + " order violations=%s client errors=%d (producer %d, consumer %d), producer"
                            + " reconnects=%d%n", acked.size(),
                    producer.sends().stream().filter(s -> !s.acked()).count(), got.size(), lost.size(),
                    ClusterLoad.duplicates(got), ClusterLoad.orderViolations(got), clientErrors,
                    producer.errors().size(), consumer.errors().size(), producer.reconnects());
            producer.errors().stream().limit(15).forEach(e -> System.out.println("  producer error " + e));
            consumer.errors().stream().limit(15).forEach(e -> System.out.println("  consumer error " + e));
            assertEquals(List.of(), lost, "acknowledged messages lost");
            assertTrue(acked.size() > 60, "too little load got through: " + acked.size());
        }
    }

    /** The consumer got nothing in the last 5 s. */
    private static boolean quiet(Consumer consumer) {
        List<Received> r = consumer.received();
        return r.isEmpty() || System.currentTimeMillis() - r.get(r.size() - 1).sentAt() > 10_000;
    }

    private Supplier<Target> anyLive(Random random) {
        return () -> {
            synchronized (random) {
                List<Integer> live = new ArrayList<>();
                for (int i = 0; i < cluster.size(); i++) {
                    if (cluster.alive(i)) {
                        live.add(i);
                    }
                }
                if (live.isEmpty()) {
                    return null;
                }
                int n = live.get(random.nextInt(live.size()));
                return new Target("b" + n, ClusterLoad.CLIENT_FAILOVER ? cluster.clusterUrl(n) : cluster.url(n));
            }
        };
    }

    /** Every partition led by a live broker, with all of {@code ids} in its ISR, as broker {@code via} sees it. */
    private void awaitInSync(int via, Set<String> ids) {
        java.util.concurrent.atomic.AtomicReference<Object> last = new java.util.concurrent.atomic.AtomicReference<>();
        try {
            awaitInSync(via, ids, last);
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("not all brokers back in the ISR; last status through b" + via + ": "
                    + last.get(), e);
        }
    }

    private void awaitInSync(int via, Set<String> ids, java.util.concurrent.atomic.AtomicReference<Object> last) {
        await("all brokers in the ISR").atMost(Duration.ofSeconds(90)).pollInterval(Duration.ofMillis(250))
                .ignoreExceptions().until(() -> {
                    ClusterStatus s = cluster.status(via);
                    last.set(s);
                    List<ClusterStatus.Partition> ps = s.partitions().stream()
                            .filter(p -> p.queue() && p.destination().equals(QUEUE)).toList();
                    return s.members().size() == 3 && ps.size() == PARTITIONS
                            && ClusterProcesses.leaderOf(s, true, QUEUE, PARTITIONS) != null
                            && ps.stream().allMatch(p -> p.isr().containsAll(ids));
                });
    }
}
