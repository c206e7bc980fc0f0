package io.heraldmq.server.cluster;

import io.heraldmq.jms.HeraldXAConnectionFactory;
import io.heraldmq.server.cluster.TxCluster.Layout;
import io.heraldmq.server.xa.TestXids;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static io.heraldmq.server.xa.TestXids.contains;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * XA branches on three broker processes: "consume from queue A, send to queue B" prepared through a broker, its
 * PREPARED record in the replicated decision log, then committed or rolled back through any broker. Covers a broker
 * that leads neither queue coordinating the branch (two-phase commit, rollback, one-phase commit); the queues' leader
 * killed (SIGKILL) after prepare, its successor holding the consumed message until XA_COMMIT through another broker;
 * and the preparing broker killed, the branch recovered (XA_RECOVER) and rolled back through another.
 * <p>
 * The tests share one cluster ({@link TxCluster}), each with queues of its own; killed brokers are restarted before
 * the next test.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterXaIT {
    private TxCluster cluster;

    @BeforeAll
    void startCluster(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        cluster = TxCluster.start(dir);
    }

    @BeforeEach
    void allBrokersUp() {
        cluster.reviveKilled();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    @Order(1) // kills nothing: first, so that no test waits for a broker to be restarted after it
    void aBranchPreparedThroughABrokerLeadingNothingCommitsAndRollsBack() throws Exception {
        Layout l = cluster.layout("xa-dst", "xa-src", false);
        cluster.produce(l.x(), l.a(), 4);
        List<String> committed = new ArrayList<>();
        String rolledBack;
        XAConnection xc = new HeraldXAConnectionFactory(cluster.processes().url(l.z())).createXAConnection();
        try {
            xc.start();
            XASession xs = xc.createXASession();
            XAResource r = xs.getXAResource();
            MessageConsumer in = xs.createConsumer(xs.createQueue(l.a()));
            MessageProducer out = xs.createProducer(xs.createQueue(l.b()));
            Xid commit = TestXids.next();
            r.start(commit, XAResource.TMNOFLAGS);
            committed.addAll(TxCluster.move(in, out, 1));
            r.end(commit, XAResource.TMSUCCESS);
            long t0 = System.nanoTime();
            assertEquals(XAResource.XA_OK, r.prepare(commit));
            long t1 = System.nanoTime();
            r.commit(commit, false);
            System.out.println("ClusterXaIT: prepare " + (t1 - t0) / 1_000_000 + " ms, commit "
                    + (System.nanoTime() - t1) / 1_000_000 + " ms through a broker leading neither queue");

            Xid rollback = TestXids.next();
            r.start(rollback, XAResource.TMNOFLAGS);
            rolledBack = TxCluster.move(in, out, 1).get(0);
            r.end(rollback, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_OK, r.prepare(rollback));
            r.rollback(rollback);

            Xid onePhase = TestXids.next();
            r.start(onePhase, XAResource.TMNOFLAGS);
            committed.addAll(TxCluster.move(in, out, 1));
            r.end(onePhase, XAResource.TMSUCCESS);
            r.commit(onePhase, true); // a plain commit spanning A's and B's leaders
            in.close();
        } finally {
            xc.close();
        }
        cluster.produce(l.x(), l.b(), 1, "marker");
        List<String> b = cluster.drain(l.y(), l.b());
        assertEquals(List.of(committed.get(0), committed.get(1), "marker0"), b,
                "B has the committed messages once each, and not the rolled back one");
        List<String> a = cluster.drain(l.x(), l.a());
        assertEquals(2, a.size(), "A kept all but the committed ones: " + a);
        assertFalse(a.contains(committed.get(0)) || a.contains(committed.get(1)), "a committed message came back: "
                + a);
        assertTrue(a.contains(rolledBack), "the rolled back message came back: " + a);
    }

    @Test
    void aBranchWhoseLeaderIsKilledAfterPrepareStaysHeldAndCommitsThroughAnotherBroker() throws Exception {
        Layout l = cluster.layout("xa-kill-dst", "xa-kill-src", true);
        cluster.produce(l.z(), l.a(), 3);
        int other = 3 - l.x() - l.z();
        Xid xid = TestXids.next();
        List<String> moved = prepareThrough(l.z(), l, xid);
        long otherMark = cluster.logMark(other);
        long zMark = cluster.logMark(l.z());
        cluster.kill(l.x()); // SIGKILL: the leader of A and B, which held the branch's part
        // A's new leader holds the prepared branch's message: another consumer gets the rest only
        List<String> others = cluster.drain(other, l.a());
        assertEquals(2, others.size(), "the two messages the branch did not consume: " + others);
        assertFalse(others.contains(moved.get(0)), "the prepared branch's message went to another consumer");
        assertTrue(cluster.loggedSince(other, otherMark).contains("consumed message(s) here are held")
                        || cluster.loggedSince(l.z(), zMark).contains("consumed message(s) here are held"),
                "A's new leader restored the branch's hold at its gate");

        XAConnection xc = new HeraldXAConnectionFactory(cluster.processes().url(other)).createXAConnection();
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
        assertEquals(moved, cluster.drain(l.z(), l.b()), "B has the committed message once");
        cluster.produce(l.z(), l.a(), 1, "marker");
        assertEquals(List.of("marker0"), cluster.drain(other, l.a()), "A does not deliver the committed message again");
    }

    @Test
    void aBranchWhosePreparingBrokerIsKilledIsRecoveredAndRolledBackThroughAnother() throws Exception {
        Layout l = cluster.layout("xa-z-dst", "xa-z-src", false);
        cluster.produce(l.x(), l.a(), 3);
        Xid xid = TestXids.next();
        List<String> moved = prepareThrough(l.z(), l, xid);
        cluster.kill(l.z()); // SIGKILL: the broker the branch was prepared through

        long t0 = System.nanoTime();
        XAConnection xc = new HeraldXAConnectionFactory(cluster.processes().url(l.x())).createXAConnection();
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
        cluster.produce(l.x(), l.b(), 1, "marker");
        assertEquals(List.of("marker0"), cluster.drain(l.y(), l.b()), "nothing of the rolled back branch reached B");
        List<String> a = cluster.drain(l.x(), l.a());
        assertEquals(3, a.size(), "every message is back in A: " + a);
        assertTrue(a.contains(moved.get(0)), "the rolled back message came back: " + a);
    }

    /** Through broker {@code via}: a branch consumes one message of A, sends it to B, is prepared; then the TM goes. */
    private List<String> prepareThrough(int via, Layout l, Xid xid) throws Exception {
        XAConnection xc = new HeraldXAConnectionFactory(cluster.processes().url(via)).createXAConnection();
        try {
            xc.start();
            XASession xs = xc.createXASession();
            XAResource r = xs.getXAResource();
            MessageConsumer in = xs.createConsumer(xs.createQueue(l.a()));
            MessageProducer out = xs.createProducer(xs.createQueue(l.b()));
            r.start(xid, XAResource.TMNOFLAGS);
            List<String> moved = TxCluster.move(in, out, 1);
            r.end(xid, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_OK, r.prepare(xid));
            return moved;
        } finally {
            xc.close();
        }
    }
}
