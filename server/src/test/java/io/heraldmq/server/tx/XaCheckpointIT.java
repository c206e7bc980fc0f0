package io.heraldmq.server.tx;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.jms.HeraldXAConnectionFactory;
import io.heraldmq.protocol.WireXid;
import io.heraldmq.server.junit.BrokerExtension;
import io.heraldmq.server.log.OffsetCheckpointFile;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.XAConnection;
import jakarta.jms.XASession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.transaction.xa.XAResource;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The journal checkpoint and a prepared branch that waits: the checkpoint does not pass its PREPARED record until a
 * copy of it lies after the checkpoint (carried forward), the journal file that held the original can go, and after
 * a restart the branch is still prepared and commits.
 */
class XaCheckpointIT {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @AfterEach
    void resetCarry() {
        XaTransactions.carryAfterMs = XaTransactions.CARRY_AFTER_MS;
    }

    @Test
    void aWaitingPreparedRecordIsCarriedPastTheCheckpointAndSurvivesARestart() throws Exception {
        WireXid xid = new WireXid(7, "carried".getBytes(StandardCharsets.US_ASCII), new byte[]{1});
        try (XAConnection c = new HeraldXAConnectionFactory(broker.url()).createXAConnection()) {
            XASession xs = c.createXASession();
            XAResource r = xs.getXAResource();
            r.start(xid, XAResource.TMNOFLAGS);
            xs.createProducer(xs.createQueue("carried.out")).send(xs.createTextMessage("waited"));
            r.end(xid, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_OK, r.prepare(xid));
        }
        XaTransactions xa = broker.broker().transactions();
        long prepared = xa.journalIndex(xid);
        Path dir = broker.broker().config().dataDir().resolve("tx");
        OffsetCheckpointFile checkpoint = new OffsetCheckpointFile(dir.resolve("checkpoint"));

        localTransactions(5);
        await("held below the prepared record").during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(5))
                .until(() -> checkpoint.read().orElse(0) < prepared);

        XaTransactions.carryAfterMs = 0;
        localTransactions(5);
        await("carried forward and checkpointed past the original").atMost(Duration.ofSeconds(10)).until(() ->
                xa.journalIndex(xid) > prepared && checkpoint.read().orElse(0) >= prepared);
        broker.restart();
        try (XAConnection c = new HeraldXAConnectionFactory(broker.url()).createXAConnection()) {
            XAResource r = c.createXASession().getXAResource();
            assertArrayEquals(new Object[]{xid}, r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN));
            r.commit(xid, false);
        }
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("carried.out"));
            c.start();
            Message m = consumer.receive(10_000);
            assertEquals("waited", ((TextMessage) m).getText());
            assertNull(consumer.receive(300));
        }
    }

    /** Transactions through the journal: two destinations each. */
    private void localTransactions(int count) throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = tx.createProducer(null);
            for (int i = 0; i < count; i++) {
                p.send(tx.createQueue("carried.noise-a"), tx.createTextMessage("n" + i));
                p.send(tx.createQueue("carried.noise-b"), tx.createTextMessage("n" + i));
                tx.commit();
            }
        }
    }
}
