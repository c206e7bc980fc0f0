package io.heraldmq.server.cluster;

import io.heraldmq.admin.ClusterStatus;
import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.cluster.ClusterLoad.Received;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * One follower behind a slow link (netem, 200 ms each way): a PERSISTENT send needs a majority, which the leader and
 * the fast follower make on their own, so the send latency should not take the slow follower's round trip. Once the
 * delay is gone the slow follower catches up (lag 0, in the ISR of every partition).
 */
class SlowFollowerIT {
    private static final String QUEUE = "slow";
    private static final int PARTITIONS = 3;
    private static final int DELAY_MS = 200;
    private static final int SENDS = 150;
    private static final int THROTTLE_KBIT = 256;

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
    void leaderAndFastFollowerAcknowledgeWithoutWaitingForTheSlowOne() throws Exception {
        cluster = new NetnsCluster(dir, 3, "log.flush.policy = always\n").start();
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(0))) {
            admin.createQueue(QUEUE, PARTITIONS, -1, -1);
        }
        String leader = cluster.awaitLeader(0, true, QUEUE, PARTITIONS, null, Duration.ofSeconds(30));
        int l = cluster.indexOf(leader);
        int slow = (l + 1) % 3;
        String slowId = cluster.brokerId(slow);
        awaitCaughtUp(l, slowId);

        List<String> acked = new ArrayList<>();
        long[] before = sendTimed(l, "before", acked);
        boolean netem = cluster.netemSupported();
        String slowness;
        if (netem) {
            cluster.delay(slow, DELAY_MS);
            slowness = "netem +" + DELAY_MS + " ms each way";
        } else {
            // No netem in this kernel: a throttled link instead. At 256 kbit/s a full 1500-byte packet takes 47 ms
            // and a fetch answer of a few KB several hundred ms, so the follower is slow, by bandwidth.
            cluster.throttle(slow, THROTTLE_KBIT, 1_000);
            slowness = "no netem in this kernel: tbf " + THROTTLE_KBIT + " kbit/s each way, 1 s queue";
        }
        long[] during = sendTimed(l, "during", acked);
        ClusterStatus whileSlow = cluster.status(l);
        cluster.undelay(slow);
        long undelayedAt = System.currentTimeMillis();
        awaitCaughtUp(l, slowId);
        long catchUpMs = System.currentTimeMillis() - undelayedAt;
        long[] after = sendTimed(l, "after", acked);

        System.out.printf("SlowFollowerIT: leader b%d, slow follower b%d (%s); send latency ms"
                        + " p50/p90/max: before %s, during %s, after %s; slow follower while delayed: %s;"
                        + " caught up %d ms after the delay was removed%n", l, slow, slowness, stats(before),
                stats(during), stats(after), describe(whileSlow, slowId), catchUpMs);

        List<Received> got = ClusterLoad.drain(cluster.url(l), false, QUEUE, null, null, 20_000, 3_000);
        Set<String> ids = got.stream().map(Received::id).collect(Collectors.toSet());
        List<String> lost = acked.stream().filter(id -> !ids.contains(id)).toList();
        assertEquals(List.of(), lost, "acknowledged messages lost");
        // The slow follower's round trip is 2 x DELAY_MS; a median below DELAY_MS shows that sends did not wait
        // for it.
        assertTrue(percentile(during, 50) < DELAY_MS, "median send latency with a slow follower "
                + percentile(during, 50) + " ms: sends wait for the slow follower (before: " + stats(before) + ")");
    }

    /** Sends {@link #SENDS} PERSISTENT messages through broker n one by one; returns each send's latency in ms. */
    private long[] sendTimed(int n, String phase, List<String> acked) throws JMSException {
        long[] latencies = new long[SENDS];
        try (Connection c = new HeraldConnectionFactory(cluster.url(n) + "?requestTimeout=10000").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(QUEUE));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < SENDS; i++) {
                String id = phase + "-" + i;
                TextMessage m = s.createTextMessage(id);
                m.setStringProperty("id", id);
                m.setIntProperty("seq", i);
                m.setStringProperty("via", "b" + n);
                m.setLongProperty("sentAt", System.currentTimeMillis());
                m.setStringProperty("JMSXGroupID", phase + "-k" + (i % 3));
                long start = System.nanoTime();
                p.send(m);
                latencies[i] = (System.nanoTime() - start) / 1_000_000;
                acked.add(id);
            }
        }
        return latencies;
    }

    /** Every partition of the queue: {@code id} in the ISR with lag 0, as the leader reports it. */
    private void awaitCaughtUp(int via, String id) {
        await(id + " caught up").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200))
                .ignoreExceptions().until(() -> {
                    List<ClusterStatus.Partition> ps = partitions(cluster.status(via));
                    return ps.size() == PARTITIONS && ps.stream().allMatch(p -> p.isr().contains(id)
                            && Long.valueOf(0).equals(p.lag().get(id)));
                });
    }

    private static List<ClusterStatus.Partition> partitions(ClusterStatus s) {
        return s.partitions().stream().filter(p -> p.queue() && p.destination().equals(QUEUE)).toList();
    }

    private static String describe(ClusterStatus s, String id) {
        return partitions(s).stream().map(p -> "p" + p.partition() + "{inIsr=" + p.isr().contains(id) + ", lag="
                + p.lag().get(id) + "}").collect(Collectors.joining(" "));
    }

    private static long percentile(long[] values, int pct) {
        long[] sorted = values.clone();
        java.util.Arrays.sort(sorted);
        return sorted[Math.min(sorted.length - 1, sorted.length * pct / 100)];
    }

    private static String stats(long[] v) {
        return percentile(v, 50) + "/" + percentile(v, 90) + "/" + percentile(v, 100);
    }
}
