package io.heraldmq.server.cluster;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The three-broker cluster of the transaction ITs ({@code ClusterTransactionsIT}, {@code ClusterCrossTransactionsIT},
 * {@code ClusterXaIT}), started once per class, and what their tests do with it: place queues' leaders, send,
 * move messages in a transaction, drain a queue, read what a broker logged since a mark.
 * <p>
 * The tests of a class share it: each uses queues of its own names, and {@link #reviveKilled} before each test
 * restarts whatever an earlier one killed. Fault injection is per destination
 * ({@code heraldmq.test.haltAfterDecisionTo}, {@code heraldmq.test.haltAfterPrepareOf}, each a comma-separated list),
 * so the brokers can carry every switch of their class from the start: only the destinations named halt them.
 */
final class TxCluster implements AutoCloseable {
    /** Where the queues are led: A by broker x, B by broker y (maybe x), z leads neither. */
    record Layout(String a, String b, int x, int y, int z) {
    }

    private final Path dir;
    private final ClusterProcesses cluster;

    private TxCluster(Path dir, ClusterProcesses cluster) {
        this.dir = dir;
        this.cluster = cluster;
    }

    /** Starts three brokers syncing every write ({@code log.flush.policy = always}), none with JVM options. */
    static TxCluster start(Path dir) throws IOException {
        return start(dir, new String[3][0]);
    }

    /** @param jvmOptions broker n's JVM options (fault injection switches), kept across its restarts */
    static TxCluster start(Path dir, String[][] jvmOptions) throws IOException {
        ClusterProcesses cluster = new ClusterProcesses(dir, 3, "log.flush.policy = always\n");
        for (int i = 0; i < jvmOptions.length; i++) {
            cluster.jvmOptions(i, jvmOptions[i]);
        }
        return new TxCluster(dir, cluster.start());
    }

    ClusterProcesses processes() {
        return cluster;
    }

    /** The cluster's directory: brokers' configurations, data and logs ({@code broker<n>.log}). */
    Path dir() {
        return dir;
    }

    /** Restarts every broker an earlier test killed; before each test. */
    void reviveKilled() {
        cluster.reviveKilled();
    }

    void kill(int n) {
        cluster.kill(n);
    }

    /** How long broker n's log is now: {@link #loggedSince} reads what it logs after. */
    long logMark(int n) throws IOException {
        Path log = log(n);
        return Files.exists(log) ? Files.size(log) : 0;
    }

    /**
     * What broker n logged since {@code mark} (its log is appended to across restarts, so a shared cluster's log
     * holds earlier tests' lines: a check must look only at its own test's).
     */
    String loggedSince(int n, long mark) throws IOException {
        byte[] all = Files.readAllBytes(log(n));
        int from = (int) Math.min(mark, all.length);
        return new String(all, from, all.length - from, StandardCharsets.UTF_8);
    }

    private Path log(int n) {
        return dir.resolve("broker" + n + ".log");
    }

    /** The first broker alive, by index. */
    int firstAlive() {
        for (int i = 0; i < cluster.size(); i++) {
            if (cluster.alive(i)) {
                return i;
            }
        }
        throw new IllegalStateException("no broker alive");
    }

    /** Creates the queues (one partition each) and drains the other brokers so that broker n leads them all. */
    void leadAllFrom(int n, String... queues) throws Exception {
        try (HeraldAdmin admin = cluster.admin(n)) {
            for (String q : queues) {
                admin.createQueue(q, 1, -1, -1);
            }
            String lead = cluster.brokerId(n);
            // Only a replica that is not behind can win the election a drain starts (a new partition's followers may
            // not have fetched its first leader's epoch marker yet). One drain at a time, each after the last one's
            // leader is caught up: a drain of a leader elected a moment before hands nothing over, and its successor,
            // behind that leader's epoch marker, cannot win its election (the coordinator then gave the partition
            // back to a drained broker after 5 s: a failed run of session 13).
            awaitCaughtUp(admin, queues);
            for (int i = 0; i < cluster.size(); i++) {
                if (i != n) {
                    String drained = cluster.brokerId(i);
                    admin.drainBroker(drained, false);
                    await(drained + " leads none of " + List.of(queues)).atMost(Duration.ofSeconds(30))
                            .pollInterval(Duration.ofMillis(100)).until(() -> {
                                var status = admin.clusterStatus();
                                for (String q : queues) {
                                    String leader = ClusterProcesses.leaderOf(status, true, q, 1);
                                    if (leader == null || leader.equals(drained)) {
                                        return false;
                                    }
                                }
                                return true;
                            });
                    awaitCaughtUp(admin, queues);
                }
            }
            await("broker " + n + " leads " + List.of(queues)).atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(100)).until(() -> {
                        var status = admin.clusterStatus();
                        for (String q : queues) {
                            if (!lead.equals(ClusterProcesses.leaderOf(status, true, q, 1))) {
                                return false;
                            }
                        }
                        return true;
                    });
        }
    }

    /** Waits until every replica of the queues is at its leader's log end. */
    private void awaitCaughtUp(HeraldAdmin admin, String... queues) {
        try {
            await("every replica caught up").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                    .until(() -> admin.clusterStatus().partitions().stream()
                            .filter(p -> p.queue() && List.of(queues).contains(p.destination()))
                            .allMatch(p -> p.lag().size() == cluster.size()
                                    && p.lag().values().stream().allMatch(v -> v == 0)));
        } catch (org.awaitility.core.ConditionTimeoutException e) {
            throw new AssertionError("replicas not caught up: " + admin.clusterStatus().partitions()
                    + "; brokers' logs in " + dir, e);
        }
    }

    /**
     * Creates queue {@code b}, then candidate queues {@code prefix-n} until one is led by the same broker as b
     * ({@code sameLeader}) or by another: that one is A.
     */
    Layout layout(String b, String prefix, boolean sameLeader) throws Exception {
        try (HeraldAdmin admin = cluster.admin(firstAlive())) {
            admin.createQueue(b, 1, -1, -1);
            String leaderB = leader(admin, b);
            for (int n = 0; n < 12; n++) {
                String a = prefix + "-" + n;
                admin.createQueue(a, 1, -1, -1);
                String leaderA = leader(admin, a);
                if (leaderA.equals(leaderB) == sameLeader) {
                    int x = cluster.indexOf(leaderA);
                    int y = cluster.indexOf(leaderB);
                    return new Layout(a, b, x, y, sameLeader ? (x + 1) % 3 : 3 - x - y);
                }
            }
            throw new AssertionError("no queue created with the wanted leader (B's: " + leaderB + ")");
        }
    }

    private static String leader(HeraldAdmin admin, String queue) {
        String[] leader = new String[1];
        await("a leader for " + queue).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> (leader[0] = ClusterProcesses.leaderOf(admin.clusterStatus(), true, queue, 1)) != null);
        return leader[0];
    }

    /** Sends {@code m0}..{@code m<count-1>}, PERSISTENT, through broker {@code via} (failing over to the others). */
    void produce(int via, String queue, int count) throws JMSException {
        produce(via, queue, count, "m");
    }

    void produce(int via, String queue, int count, String prefix) throws JMSException {
        try (Connection c = new HeraldConnectionFactory(cluster.clusterUrl(via)).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < count; i++) {
                p.send(s.createTextMessage(prefix + i));
            }
        }
    }

    /**
     * Receives {@code count} messages and sends a copy of each, in the consumer's transacted session (or XA
     * session's current branch).
     */
    static List<String> move(MessageConsumer in, MessageProducer out, int count) throws JMSException {
        List<String> moved = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message m = in.receive(10_000);
            assertNotNull(m, "message " + i + " not received");
            moved.add(((TextMessage) m).getText());
            out.send(m, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, 0);
        }
        return moved;
    }

    /**
     * Everything left in the queue, received through broker {@code via} (the first receive waits up to 30 s, for a
     * leader); each message must come once.
     */
    List<String> drain(int via, String queue) throws JMSException {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (Connection c = new HeraldConnectionFactory(cluster.clusterUrl(via)).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            Message m = consumer.receive(30_000);
            while (m != null) {
                String body = ((TextMessage) m).getText();
                assertTrue(seen.add(body), "delivered twice: " + body + "; logs in " + dir);
                out.add(body);
                m = consumer.receive(2_000);
            }
        }
        return out;
    }

    @Override
    public void close() {
        cluster.close();
    }
}
