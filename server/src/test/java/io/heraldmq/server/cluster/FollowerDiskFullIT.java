package io.heraldmq.server.cluster;

import io.heraldmq.admin.ClusterStatus;
import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.server.cluster.ClusterLoad.Producer;
import io.heraldmq.server.cluster.ClusterLoad.Received;
import io.heraldmq.server.cluster.ClusterLoad.Target;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A follower's disk fills up: its data directory is a small tmpfs that the test fills to the brim, then producers
 * keep sending through the leader. The majority (leader + the other follower) must keep acknowledging, nothing
 * acknowledged may be lost, and the full follower must not take the others down. What the full follower itself does
 * (crash, stall, drop out of the ISR, recover once space is freed) is reported, not asserted.
 */
class FollowerDiskFullIT {
    private static final String QUEUE = "full";
    private static final int PARTITIONS = 3;
    private static final int FULL = 2;
    private static final String TMPFS_SIZE = "48m";
    /** Room left on the full follower's disk after the filler: a few hundred messages' worth. */
    private static final long HEADROOM = 512 * 1024;
    private static final int BODY = 4096;

    @TempDir
    Path dir;
    private ClusterProcesses cluster;
    private Path mount;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
        if (mount != null) {
            // Lazy: a broker still dying might hold a file open for a moment.
            NetnsCluster.exec(false, "umount", "-l", mount.toString());
        }
    }

    @Test
    void majorityKeepsAcknowledgingWhileAFollowersDiskIsFull() throws Exception {
        Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "mounting a tmpfs needs root");
        cluster = new ClusterProcesses(dir, 3, "log.flush.policy = always\nlog.segment.bytes = 1048576\n");
        mount = cluster.data(FULL);
        Files.createDirectories(mount);
        NetnsCluster.Result mounted = NetnsCluster.exec(false, "mount", "-t", "tmpfs", "-o", "size=" + TMPFS_SIZE,
                "tmpfs", mount.toString());
        if (!mounted.ok()) {
            mount = null;
        }
        Assumptions.assumeTrue(mounted.ok(), "cannot mount a tmpfs: " + mounted.output());
        cluster.start();
        String fullId = cluster.brokerId(FULL);
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(0))) {
            admin.createQueue(QUEUE, PARTITIONS, -1, -1);
            String leader = awaitLeader(null);
            if (leader.equals(fullId)) {
                // The full disk must be a follower's: move the leadership off it.
                admin.drainBroker(fullId, false);
                awaitLeader(fullId);
            }
        }
        String leader = awaitLeader(fullId);
        int l = cluster.indexOf(leader);
        int other = 3 - l - FULL;

        Path filler = mount.resolve("filler");
        long usable = Files.getFileStore(mount).getUsableSpace();
        fill(filler, usable - HEADROOM);
        long left = Files.getFileStore(mount).getUsableSpace();

        long fullAt;
        String fullState;
        try (Producer producer = new Producer("p", false, QUEUE, 3, () -> new Target("b" + l, cluster.url(l)), 10_000)
                .padding(BODY).start()) {
            // Twice the headroom and more in acknowledged data: the follower's copy cannot fit.
            long needed = 4 * HEADROOM / BODY + 100;
            await("majority acknowledges past the full disk").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofMillis(200)).until(() -> producer.ackedCount() >= needed);
            fullAt = System.currentTimeMillis();
            fullState = describe(cluster.url(l), fullId);
            long acked = producer.ackedCount();
            await("still acknowledging").atMost(Duration.ofSeconds(30))
                    .until(() -> producer.ackedCount() >= acked + 50);
            producer.close();

            boolean fullAlive = cluster.alive(FULL) && processAlive(FULL);
            String excerpt = logExcerpt(FULL);
            // Free the space: does the follower resume by itself?
            Files.delete(filler);
            boolean recovered = true;
            try {
                await("full follower catches up after space is freed").atMost(Duration.ofSeconds(30))
                        .pollInterval(Duration.ofMillis(250)).ignoreExceptions().until(() -> {
                            ClusterStatus s = status(l);
                            return s.partitions().stream().filter(p -> p.queue() && p.destination().equals(QUEUE))
                                    .allMatch(p -> Long.valueOf(0).equals(p.lag().get(fullId))
                                            && p.isr().contains(fullId));
                        });
            } catch (org.awaitility.core.ConditionTimeoutException e) {
                recovered = false;
            }
            String afterFree = describe(cluster.url(l), fullId);

            List<Received> got = ClusterLoad.drain(cluster.url(l), false, QUEUE, null, null, 20_000, 3_000);
            List<String> lost = ClusterLoad.lost(producer.acked(), got);
            System.out.printf("FollowerDiskFullIT: leader b%d, full follower b%d (tmpfs %s, %d bytes left after the"
                            + " filler); acked %d (%d-byte bodies), in doubt %d, producer errors %d; lost %d; full"
                            + " follower process alive=%s, state when full: %s; after freeing the space: %s"
                            + " (caught up within 30 s: %s); other brokers alive: b%d=%s b%d=%s%n",
                    l, FULL, TMPFS_SIZE, left, producer.ackedCount(), BODY,
                    producer.sends().stream().filter(s -> !s.acked()).count(), producer.errors().size(), lost.size(),
                    fullAlive, fullState, afterFree, recovered, l, processAlive(l), other, processAlive(other));
            System.out.println("FollowerDiskFullIT: full follower's log, warnings and errors:\n" + excerpt);
            assertTrue(processAlive(l) && processAlive(other), "a full follower took down the majority");
            assertEquals(List.of(), lost, "acknowledged messages lost");
            assertTrue(fullAt > 0);
        }
    }

    private boolean processAlive(int n) {
        try {
            try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(n))) {
                admin.clusterStatus();
                return true;
            }
        } catch (RuntimeException e) {
            return false;
        }
    }

    private static void fill(Path file, long bytes) throws IOException {
        byte[] chunk = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= chunk.length) {
                out.write(chunk, 0, (int) Math.min(chunk.length, left));
            }
        }
    }

    private String logExcerpt(int n) throws IOException {
        Path log = dir.resolve("broker" + n + ".log");
        List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
        List<String> hits = new java.util.ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.startsWith("SEVERE") || line.startsWith("WARNING") || line.contains("No space")
                    || line.contains("Exception")) {
                if (!line.contains("Hazelcast is starting in a Java modular")) {
                    hits.add(line);
                }
            }
        }
        return hits.stream().distinct().limit(25).map(s -> "  " + s).collect(Collectors.joining("\n"));
    }

    private String describe(String url, String id) {
        try (HeraldAdmin admin = HeraldAdmin.connect(url)) {
            return admin.clusterStatus().partitions().stream()
                    .filter(p -> p.queue() && p.destination().equals(QUEUE))
                    .map(p -> "p" + p.partition() + "{inIsr=" + p.isr().contains(id) + ", lag=" + p.lag().get(id)
                            + "}").collect(Collectors.joining(" "));
        } catch (RuntimeException e) {
            return "status failed: " + e;
        }
    }

    private ClusterStatus status(int n) {
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(n))) {
            return admin.clusterStatus();
        }
    }

    private String awaitLeader(String not) {
        java.util.concurrent.atomic.AtomicReference<String> leader = new java.util.concurrent.atomic.AtomicReference<>();
        await("leader of " + QUEUE).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                .ignoreExceptions().until(() -> {
                    leader.set(ClusterProcesses.leaderOf(status(0), true, QUEUE, PARTITIONS));
                    return leader.get() != null && !leader.get().equals(not);
                });
        return leader.get();
    }
}
