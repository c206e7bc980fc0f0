package io.heraldmq.server.cluster;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Three broker processes replicating a queue: messages sent through a broker that does not lead the queue are
 * consumed through another that does not lead it either; the leader is SIGKILLed; a survivor takes over with every
 * acknowledged message.
 */
class ClusterReplicationIT {
    private static final int PARTITIONS = 3;
    private static final int GROUPS = 10;

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
    void acknowledgedMessagesSurviveTheLeadersKillAndFlowThroughBrokersThatDoNotLead() throws Exception {
        cluster = new ClusterProcesses(dir, 3, "log.flush.policy = always\n").start();
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(0))) {
            admin.createQueue("orders", PARTITIONS, -1, -1);
        }
        String leader = awaitLeader(0, null);
        int leaderIdx = cluster.indexOf(leader);
        int producerIdx = (leaderIdx + 1) % 3;
        int consumerIdx = (leaderIdx + 2) % 3;

        Set<Integer> sent = new HashSet<>();
        send(producerIdx, 0, 300, sent);
        Map<Integer, Integer> seen = new HashMap<>();
        receive(consumerIdx, 150, seen);
        // the queue's position travels to the followers in the log (coalesced, applied once committed)
        for (int follower : new int[]{producerIdx, consumerIdx}) {
            try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(follower))) {
                await("position replicated to " + follower).atMost(Duration.ofSeconds(10)).until(() ->
                        admin.listSubscriptions("orders").stream().anyMatch(i -> i.queue() && i.backlog() <= 155));
            }
        }

        long killedAt = System.nanoTime();
        cluster.kill(leaderIdx);
        int survivor = producerIdx;
        String newLeader = awaitLeader(survivor, leader);
        assertNotEquals(leader, newLeader);
        // the first send after the kill measures how long a client waited
        send(survivor, 300, 301, sent);
        long failoverMs = (System.nanoTime() - killedAt) / 1_000_000;
        send(survivor, 301, 600, sent);
        receive(consumerIdx, Integer.MAX_VALUE, seen);

        Set<Integer> lost = new HashSet<>(sent);
        lost.removeAll(seen.keySet());
        long duplicates = seen.values().stream().filter(c -> c > 1).count();
        System.out.println("ClusterReplicationIT: failover " + failoverMs + " ms; sent " + sent.size()
                + ", lost " + lost.size() + ", delivered more than once " + duplicates);
        assertTrue(lost.isEmpty(), "acknowledged messages lost: " + lost);
        assertTrue(duplicates <= 10, "the new leader resumes the queue where it was: " + duplicates
                + " delivered again");
        assertEquals(600, sent.size());
    }

    /** The queue's leader as seen through broker {@code via}, once it is live and not {@code not}. */
    private String awaitLeader(int via, String not) {
        AtomicReference<String> leader = new AtomicReference<>();
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(via))) {
            await("leader of orders").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100)).until(() -> {
                String l = ClusterProcesses.leaderOf(admin.clusterStatus(), true, "orders", PARTITIONS);
                leader.set(l);
                return l != null && !l.equals(not);
            });
        }
        return leader.get();
    }

    private void send(int via, int from, int to, Set<Integer> sent) throws JMSException {
        try (Connection c = new HeraldConnectionFactory(cluster.url(via)).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue("orders");
            MessageProducer p = s.createProducer(q);
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = from; i < to; i++) {
                TextMessage m = s.createTextMessage("m" + i);
                m.setIntProperty("n", i);
                m.setStringProperty("JMSXGroupID", "g" + (i % GROUPS));
                p.send(m);
                sent.add(i);
            }
        }
    }

    /**
     * Receives until {@code count} messages or until nothing more comes, checking that each group's messages come
     * in send order (first deliveries; redeliveries after a failover may repeat earlier ones).
     */
    private void receive(int via, int count, Map<Integer, Integer> seen) throws JMSException {
        Map<Integer, Integer> lastPerGroup = new HashMap<>();
        try (Connection c = new HeraldConnectionFactory(cluster.url(via)).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("orders"));
            int got = 0;
            while (got < count) {
                Message m = consumer.receive(got == 0 ? 20_000 : 5_000);
                if (m == null) {
                    break;
                }
                int n = m.getIntProperty("n");
                if (seen.merge(n, 1, Integer::sum) == 1) {
                    int group = n % GROUPS;
                    Integer last = lastPerGroup.put(group, n);
                    assertTrue(last == null || last < n, "group " + group + ": " + n + " after " + last);
                }
                got++;
            }
        }
    }
}
