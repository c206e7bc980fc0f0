package io.heraldmq.server.cluster;

import io.heraldmq.admin.ClusterStatus;
import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.TopicInfo;
import io.heraldmq.server.BrokerProcess;
import io.heraldmq.server.Main;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three packaged brokers as separate JVMs on 127.0.0.1, configured alike but for ports and data directories: they
 * form a cluster, share destination definitions, get every partition assigned, and survive a SIGKILL of one of them
 * (the coordinator, so that takeover is exercised too) with new leaders at higher epochs; the killed broker rejoins
 * with its identity.
 */
class ClusterFormationIT {
    private static final Duration FAILOVER = Duration.ofSeconds(20);

    @TempDir
    Path dir;
    private final BrokerProcess[] brokers = new BrokerProcess[3];
    private final List<HeraldAdmin> admins = new ArrayList<>();

    @AfterEach
    void stop() {
        admins.forEach(HeraldAdmin::close);
        for (BrokerProcess b : brokers) {
            if (b != null) {
                b.process().destroyForcibly();
            }
        }
    }

    @Test
    void brokersFormAClusterAssignPartitionsAndFailOver() throws Exception {
        int[] clusterPorts = ClusterProcesses.freePorts(3);
        int[] replicationPorts = ClusterProcesses.freePorts(3);
        StringBuilder members = new StringBuilder();
        for (int p : clusterPorts) {
            members.append(members.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
        }
        Path[] configs = new Path[3];
        for (int i = 0; i < 3; i++) {
            configs[i] = dir.resolve("broker" + i + ".properties");
            Files.writeString(configs[i], "host = 127.0.0.1\nhttp.port = 0\n"
                    + "cluster.members = " + members + "\n"
                    + "cluster.port = " + clusterPorts[i] + "\n"
                    + "replication.port = " + replicationPorts[i] + "\n"
                    + "log.flush.policy = never\n", StandardCharsets.UTF_8);
        }
        List<CompletableFuture<BrokerProcess>> starting = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int n = i;
            starting.add(CompletableFuture.supplyAsync(() -> start(configs[n], n)));
        }
        for (int i = 0; i < 3; i++) {
            brokers[i] = starting.get(i).join();
        }
        String[] ids = new String[3];
        for (int i = 0; i < 3; i++) {
            ids[i] = Files.readString(data(i).resolve("broker-id")).trim();
            admins.add(HeraldAdmin.connect(url(i)));
        }

        // all three see each other
        for (HeraldAdmin admin : admins) {
            await("three members").atMost(Duration.ofSeconds(30)).until(() -> memberIds(admin.clusterStatus())
                    .containsAll(List.of(ids)) && admin.clusterStatus().members().size() == 3);
        }

        // a queue created through one broker exists on the others, with every partition assigned
        for (String queue : QUEUES) {
            admins.get(0).createQueue(queue, 3, -1, -1);
        }
        for (HeraldAdmin admin : admins.subList(1, 3)) {
            await("queues on every broker").atMost(Duration.ofSeconds(10)).until(() ->
                    admin.listTopics().stream().filter(t -> t.queue() && QUEUES.contains(t.name())
                            && t.partitions() == 3).count() == QUEUES.size());
        }
        await("queues assigned").atMost(Duration.ofSeconds(10)).until(() -> {
            List<ClusterStatus.Partition> all = orders(admins.get(1).clusterStatus());
            return all.size() == 9 && all.stream().allMatch(p -> p.replicas().size() == 3 && p.leader() != null
                    && p.isr().size() == 3 && p.leaderEpoch() >= 1);
        });
        ClusterStatus before = admins.get(2).clusterStatus();
        Map<String, Integer> led = new HashMap<>();
        Map<String, java.util.Set<String>> leadersOf = new HashMap<>();
        orders(before).forEach(p -> {
            led.merge(p.leader(), 1, Integer::sum);
            leadersOf.computeIfAbsent(p.destination(), d -> new java.util.HashSet<>()).add(p.leader());
        });
        assertEquals(Map.of(ids[0], 3, ids[1], 3, ids[2], 3), led, "one destination led by each: " + before);
        leadersOf.forEach((d, l) -> assertEquals(1, l.size(), d + " has one leader for all its partitions"));

        // dead-letter settings changed through one broker apply on all (whichever leads the queue after a failover)
        String q = QUEUES.get(0);
        admins.get(0).updateRedeliverySettings(true, q, 7, 250L, 2.0, 4000L, "parked-" + q);
        for (HeraldAdmin admin : admins.subList(1, 3)) {
            await("dead-letter settings on every broker").atMost(Duration.ofSeconds(10)).until(() -> {
                io.heraldmq.admin.RedeliverySettings r = admin.redeliverySettings(true, q);
                return r.maxDeliveryAttempts() == 7 && r.redeliveryDelayMs() == 250 && r.multiplier() == 2.0
                        && r.maxRedeliveryDelayMs() == 4000 && ("parked-" + q).equals(r.deadLetterQueue());
            });
        }

        // the CLI shows the same
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "cluster", "status", "--url",
                url(1));
        assertEquals(0, code, err.toString());
        String printed = out.toString();
        for (String id : ids) {
            assertTrue(printed.contains(id), printed);
        }
        assertTrue(printed.matches("(?s).*orders\\s+queue\\s+2\\s+\\S+\\s+\\S+,\\S+,\\S+\\s+.*"), printed);
        assertTrue(printed.contains("*"), "coordinator marked: " + printed);

        // SIGKILL the coordinator; the survivors drop it and elect new leaders
        String coordinator = before.members().get(0).id();
        int victim = List.of(ids).indexOf(coordinator);
        int survivor = (victim + 1) % 3;
        HeraldAdmin watcher = admins.get(survivor);
        Map<String, Integer> epochsLedByVictim = new HashMap<>();
        for (ClusterStatus.Partition p : orders(before)) {
            if (p.leader().equals(coordinator)) {
                epochsLedByVictim.put(p.destination() + "-" + p.partition(), p.leaderEpoch());
            }
        }
        assertFalse(epochsLedByVictim.isEmpty());
        admins.get(victim).close();
        long killedAt = System.nanoTime();
        brokers[victim].process().destroyForcibly();
        AtomicReference<Long> noticedAfterMs = new AtomicReference<>();
        await("killed member dropped").atMost(FAILOVER).pollInterval(Duration.ofMillis(100)).until(() -> {
            boolean gone = !memberIds(watcher.clusterStatus()).contains(coordinator);
            if (gone) {
                noticedAfterMs.set((System.nanoTime() - killedAt) / 1_000_000);
            }
            return gone;
        });
        await("new leaders").atMost(FAILOVER).pollInterval(Duration.ofMillis(100)).until(() -> {
            for (ClusterStatus.Partition p : orders(watcher.clusterStatus())) {
                Integer oldEpoch = epochsLedByVictim.get(p.destination() + "-" + p.partition());
                if (oldEpoch != null && (p.leader() == null || p.leader().equals(coordinator)
                        || p.leaderEpoch() <= oldEpoch || p.isr().contains(coordinator))) {
                    return false;
                }
            }
            return true;
        });
        long electedAfterMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("ClusterFormationIT: Hazelcast dropped the killed member after " + noticedAfterMs.get()
                + " ms; its partitions had new leaders after " + electedAfterMs + " ms");
        ClusterStatus after = watcher.clusterStatus();
        assertEquals(2, after.members().size(), after.toString());
        assertTrue(after.members().get(0).coordinator(), "a survivor took over: " + after);

        // restarted on its data directory, it rejoins as the same broker
        brokers[victim] = start(configs[victim], victim);
        await("rejoined").atMost(Duration.ofSeconds(30)).until(() -> memberIds(watcher.clusterStatus())
                .contains(coordinator) && watcher.clusterStatus().members().size() == 3);
        assertEquals(coordinator, Files.readString(data(victim).resolve("broker-id")).trim());
        try (HeraldAdmin rejoined = HeraldAdmin.connect(url(victim))) {
            List<TopicInfo> topics = rejoined.listTopics();
            assertTrue(topics.stream().anyMatch(t -> t.name().equals("orders") && t.partitions() == 3), topics
                    .toString());
            assertEquals(3, rejoined.clusterStatus().members().size());
        }
    }

    private BrokerProcess start(Path config, int n) {
        try {
            return BrokerProcess.start(config, data(n), dir.resolve("broker" + n + ".log"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private Path data(int n) {
        return dir.resolve("data" + n);
    }

    private String url(int n) {
        return "tcp://127.0.0.1:" + brokers[n].port();
    }

    private static List<String> memberIds(ClusterStatus status) {
        return status.members().stream().map(ClusterStatus.Member::id).toList();
    }

    private static final List<String> QUEUES = List.of("orders", "payments", "audit");

    /** The partitions of the test's queues. */
    private static List<ClusterStatus.Partition> orders(ClusterStatus status) {
        return status.partitions().stream().filter(p -> p.queue() && QUEUES.contains(p.destination())).toList();
    }
}
