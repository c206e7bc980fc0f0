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
import jakarta.jms.TransactionRolledBackException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Transactions spanning destinations led by different brokers, on three broker processes: "consume from queue A
 * (led by X), send to queue B (led by Y), commit", coordinated by the client's own broker (Z, which leads neither,
 * or X). It commits and rolls back atomically; its coordinator halting right after the decision is committed
 * ({@code heraldmq.test.haltAfterDecisionTo}) leaves X and Y to apply it whole (B gets the messages once, A's never
 * come back); the leader of B halting once it prepared its part ({@code heraldmq.test.haltAfterPrepareOf}), before the
 * decision, rolls it back (the client is told, A's messages come again, B stays empty).
 */
class ClusterCrossTransactionsIT {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;
    private ClusterProcesses cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Where the queues are led: A by broker x, B by broker y, neither by broker z. */
    private record Layout(String a, String b, int x, int y, int z) {
    }

    @Test
    void aConsumeAndSendTransactionAcrossTwoLeadersCommitsAndRollsBackThroughEitherBroker() throws Exception {
        start();
        Layout l = layout("span-dst", "span-src");
        produce(l.z(), l.a(), 20);
        List<String> committed = new ArrayList<>();
        List<String> rolledBack = new ArrayList<>();
        for (int via : new int[]{l.z(), l.x()}) { // coordinated by a broker leading neither, then by A's leader
            try (Connection c = new HeraldConnectionFactory(cluster.url(via)).createConnection()) {
                c.start();
                Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer in = tx.createConsumer(tx.createQueue(l.a()));
                MessageProducer out = tx.createProducer(tx.createQueue(l.b()));
                long t0 = System.nanoTime();
                List<String> moved = move(in, out, 5);
                tx.commit();
                System.out.println("ClusterCrossTransactionsIT: spanning commit through broker " + via + " took "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms (5 receives, 5 sends)");
                committed.addAll(moved);
                List<String> back = move(in, out, 5);
                tx.rollback();
                rolledBack.addAll(back);
                in.close();
            }
        }
        assertEquals(committed, drain(l.y(), l.b()), "B has exactly the committed messages, once, in order");
        List<String> left = drain(l.x(), l.a());
        assertEquals(10, left.size(), "A lost the 10 committed ones and kept the rest: " + left);
        assertTrue(left.stream().noneMatch(committed::contains), "a committed message came back: " + left);
        assertTrue(left.containsAll(new HashSet<>(rolledBack).stream().filter(m -> !committed.contains(m)).toList()));
    }

    @Test
    void aSpanningTransactionWhoseCoordinatorDiesAfterDecidingIsAppliedWholeByTheLeaders() throws Exception {
        start("-Dheraldmq.test.haltAfterDecisionTo=halt-dst");
        Layout l = layout("halt-dst", "halt-src");
        produce(l.x(), l.a(), 20);
        List<String> moved;
        try (Connection c = new HeraldConnectionFactory(cluster.clusterUrl(l.z())).createConnection()) {
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer in = tx.createConsumer(tx.createQueue(l.a()));
            MessageProducer out = tx.createProducer(tx.createQueue(l.b()));
            moved = move(in, out, 5);
            long t0 = System.nanoTime();
            // broker z decides and halts: the client fails over and asks the decision log (TX_OUTCOME)
            tx.commit();
            System.out.println("ClusterCrossTransactionsIT: commit answered OK after " + (System.nanoTime() - t0)
                    / 1_000_000 + " ms, its coordinator dead");
        }
        cluster.kill(l.z());
        assertEquals(moved, drain(l.y(), l.b()), "the decided transaction's messages, once, applied by B's leader");
        List<String> left = drain(l.x(), l.a());
        assertEquals(15, left.size(), "the messages it consumed do not come back: " + left);
        assertTrue(left.stream().noneMatch(moved::contains));
        assertTrue(Files.readString(dir.resolve("broker" + l.x() + ".log")).contains("says it is decided"),
                "A's leader applied its part after asking the decision log");
    }

    @Test
    void aSpanningTransactionWhoseLeaderDiesBeforeTheDecisionRollsBack() throws Exception {
        start("-Dheraldmq.test.haltAfterPrepareOf=lost-dst");
        Layout l = layout("lost-dst", "lost-src");
        produce(l.x(), l.a(), 20);
        List<String> moved;
        try (Connection c = new HeraldConnectionFactory(cluster.url(l.x())).createConnection()) {
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer in = tx.createConsumer(tx.createQueue(l.a()));
            MessageProducer out = tx.createProducer(tx.createQueue(l.b()));
            moved = move(in, out, 5);
            // broker x prepares its own part (holds A's messages), broker y prepares B's part and halts
            assertThrows(TransactionRolledBackException.class, tx::commit);
            List<String> again = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Message m = in.receive(10_000);
                assertTrue(m != null, "rolled back message " + i + " not redelivered; logs in " + dir);
                assertTrue(m.getJMSRedelivered());
                again.add(((TextMessage) m).getText());
            }
            assertEquals(moved, again, "the messages the transaction consumed come again, in order");
            tx.rollback();
            in.close();
        }
        cluster.kill(l.y());
        // a marker sent now waits for B's new leader; B must hold it alone
        produce(l.x(), l.b(), 1, "marker");
        assertEquals(List.of("marker0"), drain(l.x(), l.b()), "nothing of the rolled back transaction reached B");
        assertEquals(20, drain(l.z(), l.a()).size(), "every message is back in A");
    }

    private void start(String... jvmOptions) throws Exception {
        cluster = new ClusterProcesses(dir, 3, "log.flush.policy = always\n");
        for (int i = 0; i < 3; i++) {
            cluster.jvmOptions(i, jvmOptions);
        }
        cluster.start();
    }

    /**
     * Creates queue {@code b}, then candidate queues {@code prefix-n} until one is led by another broker than b's:
     * that one is A.
     */
    private Layout layout(String b, String prefix) throws Exception {
        try (HeraldAdmin admin = cluster.admin(0)) {
            admin.createQueue(b, 1, -1, -1);
            String leaderB = leader(admin, b);
            for (int n = 0; n < 12; n++) {
                String a = prefix + "-" + n;
                admin.createQueue(a, 1, -1, -1);
                String leaderA = leader(admin, a);
                if (!leaderA.equals(leaderB)) {
                    int x = cluster.indexOf(leaderA);
                    int y = cluster.indexOf(leaderB);
                    return new Layout(a, b, x, y, 3 - x - y);
                }
            }
            throw new AssertionError("every queue created is led by " + leaderB);
        }
    }

    private static String leader(HeraldAdmin admin, String queue) {
        String[] leader = new String[1];
        await("a leader for " + queue).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                .until(() -> (leader[0] = ClusterProcesses.leaderOf(admin.clusterStatus(), true, queue, 1)) != null);
        return leader[0];
    }

    private void produce(int via, String queue, int count) throws JMSException {
        produce(via, queue, count, "m");
    }

    private void produce(int via, String queue, int count, String prefix) throws JMSException {
        try (Connection c = new HeraldConnectionFactory(cluster.clusterUrl(via)).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < count; i++) {
                p.send(s.createTextMessage(prefix + i));
            }
        }
    }

    /** Receives {@code count} messages and sends a copy of each, in the consumer's transacted session. */
    private static List<String> move(MessageConsumer in, MessageProducer out, int count) throws JMSException {
        List<String> moved = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message m = in.receive(10_000);
            assertTrue(m != null, "message " + i + " not received");
            moved.add(((TextMessage) m).getText());
            out.send(m, DeliveryMode.PERSISTENT, Message.DEFAULT_PRIORITY, 0);
        }
        return moved;
    }

    /** Everything left in the queue, received through broker {@code via} (the first receive waits for a leader). */
    private List<String> drain(int via, String queue) throws JMSException {
        List<String> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        try (Connection c = new HeraldConnectionFactory(cluster.clusterUrl(via)).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            Message m = consumer.receive(20_000);
            while (m != null) {
                String body = ((TextMessage) m).getText();
                assertTrue(seen.add(body), "delivered twice: " + body + "; logs in " + dir);
                out.add(body);
                m = consumer.receive(2_000);
            }
        }
        return out;
    }
}
