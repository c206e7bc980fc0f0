package io.heraldmq.server.cluster;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.cluster.TxCluster.Layout;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionRolledBackException;
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

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;

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
 * <p>
 * The tests share one cluster ({@link TxCluster}), each with queues of its own; killed brokers are restarted before
 * the next test. Every broker carries both halt switches from the start: they name only their own test's B.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterCrossTransactionsIT {
    private static final String[] HALTS = {"-Dheraldmq.test.haltAfterDecisionTo=halt-dst",
            "-Dheraldmq.test.haltAfterPrepareOf=lost-dst"};

    private TxCluster cluster;

    @BeforeAll
    void startCluster(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir) throws Exception {
        cluster = TxCluster.start(dir, new String[][]{HALTS, HALTS, HALTS});
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
    void aConsumeAndSendTransactionAcrossTwoLeadersCommitsAndRollsBackThroughEitherBroker() throws Exception {
        Layout l = cluster.layout("span-dst", "span-src", false);
        cluster.produce(l.z(), l.a(), 20);
        List<String> committed = new ArrayList<>();
        List<String> rolledBack = new ArrayList<>();
        for (int via : new int[]{l.z(), l.x()}) { // coordinated by a broker leading neither, then by A's leader
            try (Connection c = new HeraldConnectionFactory(cluster.processes().url(via)).createConnection()) {
                c.start();
                Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
                MessageConsumer in = tx.createConsumer(tx.createQueue(l.a()));
                MessageProducer out = tx.createProducer(tx.createQueue(l.b()));
                long t0 = System.nanoTime();
                List<String> moved = TxCluster.move(in, out, 5);
                tx.commit();
                System.out.println("ClusterCrossTransactionsIT: spanning commit through broker " + via + " took "
                        + (System.nanoTime() - t0) / 1_000_000 + " ms (5 receives, 5 sends)");
                committed.addAll(moved);
                List<String> back = TxCluster.move(in, out, 5);
                tx.rollback();
                rolledBack.addAll(back);
                in.close();
            }
        }
        assertEquals(committed, cluster.drain(l.y(), l.b()), "B has exactly the committed messages, once, in order");
        List<String> left = cluster.drain(l.x(), l.a());
        assertEquals(10, left.size(), "A lost the 10 committed ones and kept the rest: " + left);
        assertTrue(left.stream().noneMatch(committed::contains), "a committed message came back: " + left);
        assertTrue(left.containsAll(new HashSet<>(rolledBack).stream().filter(m -> !committed.contains(m)).toList()));
    }

    @Test
    void aSpanningTransactionWhoseCoordinatorDiesAfterDecidingIsAppliedWholeByTheLeaders() throws Exception {
        Layout l = cluster.layout("halt-dst", "halt-src", false);
        cluster.produce(l.x(), l.a(), 20);
        long mark = cluster.logMark(l.x());
        List<String> moved;
        try (Connection c = new HeraldConnectionFactory(cluster.processes().clusterUrl(l.z())).createConnection()) {
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer in = tx.createConsumer(tx.createQueue(l.a()));
            MessageProducer out = tx.createProducer(tx.createQueue(l.b()));
            moved = TxCluster.move(in, out, 5);
            long t0 = System.nanoTime();
            // broker z decides and halts: the client fails over and asks the decision log (TX_OUTCOME)
            tx.commit();
            System.out.println("ClusterCrossTransactionsIT: commit answered OK after " + (System.nanoTime() - t0)
                    / 1_000_000 + " ms, its coordinator dead");
        }
        cluster.kill(l.z());
        assertEquals(moved, cluster.drain(l.y(), l.b()), "the decided transaction's messages, once, applied by B's"
                + " leader");
        List<String> left = cluster.drain(l.x(), l.a());
        assertEquals(15, left.size(), "the messages it consumed do not come back: " + left);
        assertTrue(left.stream().noneMatch(moved::contains));
        assertTrue(cluster.loggedSince(l.x(), mark).contains("says it is decided"),
                "A's leader applied its part after asking the decision log");
    }

    @Test
    void aSpanningTransactionWhoseLeaderDiesBeforeTheDecisionRollsBack() throws Exception {
        Layout l = cluster.layout("lost-dst", "lost-src", false);
        cluster.produce(l.x(), l.a(), 20);
        List<String> moved;
        try (Connection c = new HeraldConnectionFactory(cluster.processes().url(l.x())).createConnection()) {
            c.start();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer in = tx.createConsumer(tx.createQueue(l.a()));
            MessageProducer out = tx.createProducer(tx.createQueue(l.b()));
            moved = TxCluster.move(in, out, 5);
            // broker x prepares its own part (holds A's messages), broker y prepares B's part and halts
            assertThrows(TransactionRolledBackException.class, tx::commit);
            List<String> again = new ArrayList<>();
            for (int i = 0; i < 5; i++) {
                Message m = in.receive(10_000);
                assertTrue(m != null, "rolled back message " + i + " not redelivered; logs in " + cluster.dir());
                assertTrue(m.getJMSRedelivered());
                again.add(((TextMessage) m).getText());
            }
            assertEquals(moved, again, "the messages the transaction consumed come again, in order");
            tx.rollback();
            in.close();
        }
        cluster.kill(l.y());
        // a marker sent now waits for B's new leader; B must hold it alone
        cluster.produce(l.x(), l.b(), 1, "marker");
        assertEquals(List.of("marker0"), cluster.drain(l.x(), l.b()), "nothing of the rolled back transaction reached"
                + " B");
        assertEquals(20, cluster.drain(l.z(), l.a()).size(), "every message is back in A");
    }
}
