package io.heraldmq.server.cluster;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.jms.HeraldXAConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * XA branches on three broker processes: "consume from queue A, send to queue B" prepared through a broker, its
 * PREPARED record in the replicated decision log, then committed or rolled back through any broker. Covers a broker
 * that leads neither queue coordinating the branch (two-phase commit, rollback, one-phase commit); the queues' leader killed (SIGKILL) after prepare, its
 * successor holding the consumed message until XA_COMMIT through another broker; and the preparing broker killed,
 * the branch recovered (XA_RECOVER) and rolled back through another.
 */
class ClusterXaIT {
    @TempDir(cleanup = org.junit.jupiter.api.io.CleanupMode.ON_SUCCESS)
    Path dir;
    private ClusterProcesses cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Where the queues are led: A by broker x, B by broker y (maybe x), z leads neither. */
    private record Layout(String a, String b, int x, int y, int z) {
    }

    @Test
    void aBranchPreparedThroughABrokerLeadingNothingCommitsAndRollsBack() throws Exception {
        start();
        Layout l = layout("xa-dst", "xa-src", false);
        produce(l.x(), l.a(), 4);
        List<String> committed = new ArrayList<>();
        String rolledBack;
        XAConnection xc = new HeraldXAConnectionFactory(cluster.url(l.z())).createXAConnection();
        try {
            xc.start();
            XASession xs = xc.createXASession();
            XAResource r = xs.getXAResource();
            MessageConsumer in = xs.createConsumer(xs.createQueue(l.a()));
            MessageProducer out = xs.createProducer(xs.createQueue(l.b()));
            Xid commit = xid("commit");
            r.start(commit, XAResource.TMNOFLAGS);
            committed.addAll(move(in, out, 1));
            r.end(commit, XAResource.TMSUCCESS);
            long t0 = System.nanoTime();
            assertEquals(XAResource.XA_OK, r.prepare(commit));
            long t1 = System.nanoTime();
            r.commit(commit, false);
            System.out.println("ClusterXaIT: prepare " + (t1 - t0) / 1_000_000 + " ms, commit "
                    + (System.nanoTime() - t1) / 1_000_000 + " ms through a broker leading neither queue");

            Xid rollback = xid("rollback");
            r.start(rollback, XAResource.TMNOFLAGS);
            rolledBack = move(in, out, 1).get(0);
            r.end(rollback, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_OK, r.prepare(rollback));
            r.rollback(rollback);

            Xid onePhase = xid("one-phase");
            r.start(onePhase, XAResource.TMNOFLAGS);
            committed.addAll(move(in, out, 1));
            r.end(onePhase, XAResource.TMSUCCESS);
            r.commit(onePhase, true); // a plain commit spanning A's and B's leaders
            in.close();
        } finally {
            xc.close();
        }
        produce(l.x(), l.b(), 1, "marker");
        List<String> b = drain(l.y(), l.b());
        assertEquals(List.of(committed.get(0), committed.get(1), "marker0"), b,
                "B has the committed messages once each, and not the rolled back one");
        List<String> a = drain(l.x(), l.a());
        assertEquals(2, a.size(), "A kept all but the committed ones: " + a);
        assertFalse(a.contains(committed.get(0)) || a.contains(committed.get(1)), "a committed message came back: "
                + a);
        assertTrue(a.contains(rolledBack), "the rolled back message came back: " + a);
    }

    @Test
    void aBranchWhoseLeaderIsKilledAfterPrepareStaysHeldAndCommitsThroughAnotherBroker() throws Exception {
        start();
        Layout l = layout("xa-kill-dst", "xa-kill-src", true);
        produce(l.z(), l.a(), 3);
        int other = 3 - l.x() - l.z();
        Xid xid = xid("leader-killed");
        List<String> moved = prepareThrough(l.z(), l, xid);
        cluster.kill(l.x()); // SIGKILL: the leader of A and B, which held the branch's part
        // A's new leader holds the prepared branch's message: another consumer gets the rest only
        List<String> others = drain(other, l.a());
        assertEquals(2, others.size(), "the two messages the branch did not consume: " + others);
        assertFalse(others.contains(moved.get(0)), "the prepared branch's message went to another consumer");
        assertTrue(java.nio.file.Files.readString(dir.resolve("broker" + other + ".log"))
                        .contains("consumed message(s) here are held")
                        || java.nio.file.Files.readString(dir.resolve("broker" + l.z() + ".log"))
                        .contains("consumed message(s) here are held"),
                "A's new leader restored the branch's hold at its gate");

        XAConnection xc = new HeraldXAConnectionFactory(cluster.url(other)).createXAConnection();
        try {
            XAResource r = xc.createXASession().getXAResource();
            // As a transaction manager's recovery does: XAER_RMFAIL (the decision log has no leader yet when the
            // killed broker led it too) means "try again later".
            Xid[] listed = await("XA_RECOVER through another broker").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptionsMatching(e -> e instanceof XAException x && x.errorCode == XAException.XAER_RMFAIL)
                    .until(() -> r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN), x -> x != null);
            assertTrue(contains(listed, xid), "XA_RECOVER through another broker lists the branch");
            r.commit(xid, false);
            assertFalse(contains(r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN), xid),
                    "a committed branch is no longer listed");
        } finally {
            xc.close();
        }
        assertEquals(moved, drain(l.z(), l.b()), "B has the committed message once");
        produce(l.z(), l.a(), 1, "marker");
        assertEquals(List.of("marker0"), drain(other, l.a()), "A does not deliver the committed message again");
    }

    @Test
    void aBranchWhosePreparingBrokerIsKilledIsRecoveredAndRolledBackThroughAnother() throws Exception {
        start();
        Layout l = layout("xa-z-dst", "xa-z-src", false);
        produce(l.x(), l.a(), 3);
        Xid xid = xid("coordinator-killed");
        List<String> moved = prepareThrough(l.z(), l, xid);
        cluster.kill(l.z()); // SIGKILL: the broker the branch was prepared through

        long t0 = System.nanoTime();
        XAConnection xc = new HeraldXAConnectionFactory(cluster.url(l.x())).createXAConnection();
        try {
            XAResource r = xc.createXASession().getXAResource();
            // As a transaction manager's recovery does: XAER_RMFAIL (the decision log has no leader yet when the
            // killed broker led it too) means "try again later".
            Xid[] listed = await("XA_RECOVER through another broker").atMost(Duration.ofSeconds(90))
                    .pollInterval(Duration.ofSeconds(1))
                    .ignoreExceptionsMatching(e -> e instanceof XAException x && x.errorCode == XAException.XAER_RMFAIL)
                    .until(() -> r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN), x -> x != null);
            assertTrue(contains(listed, xid), "XA_RECOVER through another broker lists the branch");
            long t1 = System.nanoTime();
            r.rollback(xid);
            System.out.println("ClusterXaIT: preparing broker killed; recover " + (t1 - t0) / 1_000_000
                    + " ms, rollback " + (System.nanoTime() - t1) / 1_000_000 + " ms through another broker");
        } finally {
            xc.close();
        }
        produce(l.x(), l.b(), 1, "marker");
        assertEquals(List.of("marker0"), drain(l.y(), l.b()), "nothing of the rolled back branch reached B");
        List<String> a = drain(l.x(), l.a());
        assertEquals(3, a.size(), "every message is back in A: " + a);
        assertTrue(a.contains(moved.get(0)), "the rolled back message came back: " + a);
    }

    /** Through broker {@code via}: a branch consumes one message of A, sends it to B, is prepared; then the TM goes. */
    private List<String> prepareThrough(int via, Layout l, Xid xid) throws Exception {
        XAConnection xc = new HeraldXAConnectionFactory(cluster.url(via)).createXAConnection();
        try {
            xc.start();
            XASession xs = xc.createXASession();
            XAResource r = xs.getXAResource();
            MessageConsumer in = xs.createConsumer(xs.createQueue(l.a()));
            MessageProducer out = xs.createProducer(xs.createQueue(l.b()));
            r.start(xid, XAResource.TMNOFLAGS);
            List<String> moved = move(in, out, 1);
            r.end(xid, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_OK, r.prepare(xid));
            return moved;
        } finally {
            xc.close();
        }
    }

    private void start() throws Exception {
        cluster = new ClusterProcesses(dir, 3, "log.flush.policy = always\n");
        cluster.start();
    }

    /**
     * Creates queue {@code b}, then candidate queues {@code prefix-n} until one is led by the same broker as b
     * ({@code sameLeader}) or another: that one is A.
     */
    private Layout layout(String b, String prefix, boolean sameLeader) throws Exception {
        try (HeraldAdmin admin = cluster.admin(0)) {
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

    private static Xid xid(String name) {
        byte[] g = (name + "-" + System.nanoTime()).getBytes(StandardCharsets.US_ASCII);
        byte[] b = "b1".getBytes(StandardCharsets.US_ASCII);
        return new Xid() {
            @Override
            public int getFormatId() {
                return 0x4842;
            }

            @Override
            public byte[] getGlobalTransactionId() {
                return g.clone();
            }

            @Override
            public byte[] getBranchQualifier() {
                return b.clone();
            }
        };
    }

    private static boolean contains(Xid[] xids, Xid wanted) {
        for (Xid x : xids) {
            if (x.getFormatId() == wanted.getFormatId()
                    && Arrays.equals(x.getGlobalTransactionId(), wanted.getGlobalTransactionId())
                    && Arrays.equals(x.getBranchQualifier(), wanted.getBranchQualifier())) {
                return true;
            }
        }
        return false;
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

    /** Receives {@code count} messages and sends a copy of each, in the session's current branch. */
    private static List<String> move(MessageConsumer in, MessageProducer out, int count) throws JMSException {
        List<String> moved = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message m = in.receive(10_000);
            assertNotNull(m, "message " + i + " not received");
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
