package io.heraldmq.server.xa;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.jms.HeraldXAConnectionFactory;
import io.heraldmq.server.BrokerProcess;
import io.heraldmq.server.log.OffsetCheckpointFile;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Prepared XA branches across {@code kill -9} of the broker process: each branch consumes two messages of a queue and
 * a durable subscription and sends two; the broker is killed after the prepares (and after local transactions that
 * let the journal checkpoint move meanwhile). After the restart {@code recover()} lists every branch, their messages
 * are invisible and what they consumed is not redelivered; then some are committed and the others rolled back, the
 * broker is killed again at once, and after a second restart every sent message is there exactly once for the
 * committed branches and not at all for the others, whose consumed messages come again exactly once, marked
 * redelivered, while the committed ones' never do.
 */
class XaCrashIT {
    private static final int BRANCHES = 6;
    private static final int INPUTS = 20;

    private final List<Process> processes = new ArrayList<>();

    @BeforeAll
    static void findJar() {
        BrokerProcess.jar();
    }

    @AfterEach
    void killLeftovers() {
        processes.forEach(Process::destroyForcibly);
    }

    @Test
    void preparedBranchesSurviveSigkillAndCompleteExactlyOnce(@TempDir(cleanup = CleanupMode.ON_SUCCESS) Path dir)
            throws Exception {
        Path config = dir.resolve("broker.properties");
        Files.writeString(config, "log.segment.bytes=65536\n");
        Path data = dir.resolve("data");
        BrokerProcess first = start(config, data, dir.resolve("broker-1.out"), 0);
        String url = "tcp://127.0.0.1:" + first.port() + "?reconnectTimeoutMs=0&requestTimeout=20000";
        try (Connection c = new HeraldConnectionFactory(url + "&clientID=xa-crash").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableConsumer(s.createTopic("xa-crash-topic"), "sub").close();
            MessageProducer p = s.createProducer(null);
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < INPUTS; i++) {
                p.send(s.createQueue("xa-crash-in"), s.createTextMessage("q" + i));
                p.send(s.createTopic("xa-crash-topic"), s.createTextMessage("t" + i));
            }
        }
        // One local transaction first (journal index 1), and its checkpoint: the checkpoint runs.
        localTransactions(url, 1);
        OffsetCheckpointFile checkpoint = new OffsetCheckpointFile(data.resolve("tx").resolve("checkpoint"));
        await("first checkpoint").atMost(Duration.ofSeconds(10)).until(() -> checkpoint.read().orElse(0) >= 1);

        Map<Xid, Set<String>> consumedBy = new HashMap<>();
        XAConnection xc = new HeraldXAConnectionFactory(url + "&clientID=xa-crash").createXAConnection();
        xc.start();
        XASession xs = xc.createXASession();
        XAResource r = xs.getXAResource();
        MessageConsumer queueIn = xs.createConsumer(xs.createQueue("xa-crash-in"));
        MessageConsumer topicIn = xs.createDurableConsumer(xs.createTopic("xa-crash-topic"), "sub");
        MessageProducer out = xs.createProducer(xs.createQueue("xa-crash-out"));
        out.setDeliveryMode(DeliveryMode.PERSISTENT);
        List<Xid> xids = new ArrayList<>();
        for (int b = 0; b < BRANCHES; b++) {
            Xid xid = TestXids.next();
            xids.add(xid);
            r.start(xid, XAResource.TMNOFLAGS);
            Set<String> taken = new HashSet<>();
            taken.add(text(queueIn.receive(10_000)));
            taken.add(text(topicIn.receive(10_000)));
            out.send(xs.createTextMessage("out-" + b + "-a"));
            out.send(xs.createTextMessage("out-" + b + "-b"));
            r.end(xid, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_OK, r.prepare(xid));
            consumedBy.put(xid, taken);
        }
        // Local transactions after the prepares (index 2 onwards): the checkpoint would pass the prepared records if
        // it went by applied transactions alone; it must stay below them.
        localTransactions(url, 30);
        await("the checkpoint stays below the first prepared record").during(Duration.ofMillis(2500))
                .atMost(Duration.ofSeconds(5)).until(() -> checkpoint.read().orElse(0) < 2);
        kill(first);

        BrokerProcess second = start(config, data, dir.resolve("broker-2.out"), 0);
        String url2 = "tcp://127.0.0.1:" + second.port() + "?reconnectTimeoutMs=0&requestTimeout=20000";
        XAConnection rc = new HeraldXAConnectionFactory(url2).createXAConnection();
        XAResource recovery = rc.createXASession().getXAResource();
        Set<Xid> listed = Set.of(recovery.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN));
        assertEquals(BRANCHES, listed.size(), "every prepared branch is listed: " + listed);
        assertEquals(Map.of(), count(url2, "xa-crash-out", 1500), "prepared sends are invisible");
        Map<String, Integer> queueLeft = count(url2, "xa-crash-in", 1500);
        Set<String> held = new HashSet<>();
        consumedBy.values().forEach(held::addAll);
        for (String h : held) {
            assertTrue(!queueLeft.containsKey(h), h + " is held by a prepared branch, not redelivered");
        }
        assertEquals(INPUTS - BRANCHES, queueLeft.size(), "the rest of the queue: " + queueLeft);

        // Commit the first half (in recovery's xids, as a transaction manager does), roll back the rest.
        List<Xid> committed = new ArrayList<>();
        List<Xid> rolledBack = new ArrayList<>();
        for (Xid x : listed) {
            Xid original = original(xids, x);
            if (xids.indexOf(original) % 2 == 0) {
                recovery.commit(x, false);
                committed.add(original);
            } else {
                recovery.rollback(x);
                rolledBack.add(original);
            }
        }
        kill(second);

        BrokerProcess third = start(config, data, dir.resolve("broker-3.out"), 0);
        String url3 = "tcp://127.0.0.1:" + third.port() + "?reconnectTimeoutMs=0&requestTimeout=20000";
        try (XAConnection c = new HeraldXAConnectionFactory(url3).createXAConnection()) {
            assertEquals(0, c.createXASession().getXAResource().recover(XAResource.TMSTARTRSCAN).length);
        }
        Map<String, Integer> expectedOut = new TreeMap<>();
        for (Xid x : committed) {
            int b = xids.indexOf(x);
            expectedOut.put("out-" + b + "-a", 1);
            expectedOut.put("out-" + b + "-b", 1);
        }
        assertEquals(expectedOut, new TreeMap<>(count(url3, "xa-crash-out", 1500)), "committed: exactly once");
        Map<String, Integer> expectedBack = new TreeMap<>();
        for (Xid x : rolledBack) {
            for (String m : consumedBy.get(x)) {
                if (m.startsWith("q")) {
                    expectedBack.put(m, 1);
                }
            }
        }
        assertEquals(expectedBack, new TreeMap<>(count(url3, "xa-crash-in", 1500)),
                "rolled back: the queue's consumed messages come again, once; committed ones never");
        Map<String, Integer> topicBack = new TreeMap<>();
        try (Connection c = new HeraldConnectionFactory(url3 + "&clientID=xa-crash").createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer sub = s.createDurableConsumer(s.createTopic("xa-crash-topic"), "sub");
            c.start();
            for (Message m = sub.receive(3000); m != null; m = sub.receive(1500)) {
                topicBack.merge(text(m), 1, Integer::sum);
            }
        }
        for (Xid x : committed) {
            for (String m : consumedBy.get(x)) {
                assertTrue(!topicBack.containsKey(m), m + " was consumed by a committed branch");
            }
        }
        for (Xid x : rolledBack) {
            for (String m : consumedBy.get(x)) {
                if (m.startsWith("t")) {
                    assertEquals(1, topicBack.getOrDefault(m, 0), m + " comes again once after the rollback");
                }
            }
        }
        kill(third);
    }

    private static void localTransactions(String url, int count) throws Exception {
        try (Connection c = new HeraldConnectionFactory(url).createConnection()) {
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = tx.createProducer(null);
            for (int i = 0; i < count; i++) {
                // two destinations: a COMMIT through the journal (one batch alone would go as a plain PRODUCE)
                p.send(tx.createQueue("xa-crash-noise-a"), tx.createTextMessage("noise-" + i));
                p.send(tx.createQueue("xa-crash-noise-b"), tx.createTextMessage("noise-" + i));
                tx.commit();
            }
        }
    }

    private static Xid original(List<Xid> xids, Xid listed) {
        for (Xid x : xids) {
            if (io.heraldmq.protocol.WireXid.of(x).equals(io.heraldmq.protocol.WireXid.of(listed))) {
                return x;
            }
        }
        throw new AssertionError("recover listed an xid nobody prepared: " + listed);
    }

    /** Consumes a queue: each text counted. */
    private static Map<String, Integer> count(String url, String queue, long quietMs) throws Exception {
        Map<String, Integer> out = new HashMap<>();
        try (Connection c = new HeraldConnectionFactory(url).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            c.start();
            for (Message m = consumer.receive(quietMs); m != null; m = consumer.receive(quietMs)) {
                out.merge(text(m), 1, Integer::sum);
            }
        }
        return out;
    }

    private static String text(Message m) throws Exception {
        if (m == null) {
            throw new AssertionError("no message");
        }
        return ((TextMessage) m).getText();
    }

    private BrokerProcess start(Path config, Path data, Path log, int port) throws Exception {
        BrokerProcess b = BrokerProcess.start(config, data, log, port);
        processes.add(b.process());
        return b;
    }

    private static void kill(BrokerProcess b) throws InterruptedException {
        b.process().destroyForcibly();
        assertTrue(b.process().waitFor(30, TimeUnit.SECONDS), "the killed broker did not exit");
    }
}
