package io.heraldmq.server.xa;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.PreparedTransaction;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.jms.HeraldXAConnectionFactory;
import io.heraldmq.protocol.WireXid;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import jakarta.jms.XAConnection;
import jakarta.jms.XAJMSContext;
import jakarta.jms.XASession;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The XAResource of HeraldMQ's XA sessions against a real broker: the branch life cycle (start, end, prepare,
 * commit, rollback, one-phase, read-only), association (join, suspend, resume), recover and forget, timeouts and the
 * XA error codes. "Not delivered" is checked by a receive that waits {@value #QUIET_MS} ms: a message that should not
 * be there would arrive within milliseconds on this local broker.
 */
class XaResourceIT {
    private static final long WAIT_MS = 10_000;
    private static final long QUIET_MS = 400;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private final List<AutoCloseable> open = new ArrayList<>();
    private Connection plain;
    private Session session;

    @BeforeEach
    void connect() throws Exception {
        plain = new HeraldConnectionFactory(broker.url()).createConnection();
        plain.start();
        session = plain.createSession(false, Session.AUTO_ACKNOWLEDGE);
        open.add(plain);
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : open) {
            c.close();
        }
    }

    private XAConnection xaConnection() throws Exception {
        XAConnection c = new HeraldXAConnectionFactory(broker.url()).createXAConnection();
        c.start();
        open.add(c);
        return c;
    }

    private void send(String queue, String... texts) throws Exception {
        MessageProducer p = session.createProducer(session.createQueue(queue));
        for (String t : texts) {
            p.send(session.createTextMessage(t));
        }
        p.close();
    }

    private List<String> drain(String queue) throws Exception {
        List<String> out = new ArrayList<>();
        try (MessageConsumer c = session.createConsumer(session.createQueue(queue))) {
            for (Message m = c.receive(QUIET_MS); m != null; m = c.receive(QUIET_MS)) {
                out.add(((TextMessage) m).getText());
            }
        }
        return out;
    }

    private static String text(Message m) throws Exception {
        assertNotNull(m, "a message");
        return ((TextMessage) m).getText();
    }

    @Test
    void twoPhaseCommitMakesSendsVisibleAndConsumesOnlyThen() throws Exception {
        send("xa.in", "in-1");
        XASession xs = xaConnection().createXASession();
        XAResource r = xs.getXAResource();
        Queue in = xs.createQueue("xa.in");
        MessageConsumer consumer = xs.createConsumer(in);
        Xid xid = TestXids.next();
        r.start(xid, XAResource.TMNOFLAGS);
        assertEquals("in-1", text(consumer.receive(WAIT_MS)));
        MessageProducer out = xs.createProducer(xs.createQueue("xa.out"));
        out.send(xs.createTextMessage("out-1"));
        out.send(xs.createTextMessage("out-2"));
        r.end(xid, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_OK, r.prepare(xid));

        assertEquals(List.of(), drain("xa.out"), "prepared sends stay invisible");
        consumer.close(); // the consumed message is held by the branch, not given back
        assertEquals(List.of(), drain("xa.in"), "a prepared branch's consumed message is not redelivered");
        assertEquals(1, broker.broker().transactions().size());

        r.commit(xid, false);
        assertEquals(List.of("out-1", "out-2"), drain("xa.out"));
        assertEquals(List.of(), drain("xa.in"));
        assertEquals(0, broker.broker().transactions().size());
    }

    @Test
    void rollbackAfterPrepareDropsSendsAndRedeliversConsumedMarked() throws Exception {
        send("xa.rb.in", "in-1");
        XASession xs = xaConnection().createXASession();
        XAResource r = xs.getXAResource();
        MessageConsumer consumer = xs.createConsumer(xs.createQueue("xa.rb.in"));
        Xid xid = TestXids.next();
        r.start(xid, XAResource.TMNOFLAGS);
        assertEquals("in-1", text(consumer.receive(WAIT_MS)));
        xs.createProducer(xs.createQueue("xa.rb.out")).send(xs.createTextMessage("never"));
        r.end(xid, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_OK, r.prepare(xid));
        consumer.close();
        r.rollback(xid);

        assertEquals(List.of(), drain("xa.rb.out"));
        try (MessageConsumer c = session.createConsumer(session.createQueue("xa.rb.in"))) {
            Message m = c.receive(WAIT_MS);
            assertEquals("in-1", text(m));
            assertTrue(m.getJMSRedelivered(), "rolled back: redelivered");
        }
    }

    @Test
    void rollbackBeforePrepareGivesConsumedBackToTheBroker() throws Exception {
        send("xa.rb0.in", "in-1");
        XASession xs = xaConnection().createXASession();
        XAResource r = xs.getXAResource();
        MessageConsumer consumer = xs.createConsumer(xs.createQueue("xa.rb0.in"));
        Xid xid = TestXids.next();
        r.start(xid, XAResource.TMNOFLAGS);
        assertEquals("in-1", text(consumer.receive(WAIT_MS)));
        xs.createProducer(xs.createQueue("xa.rb0.out")).send(xs.createTextMessage("never"));
        r.end(xid, XAResource.TMFAIL);
        r.rollback(xid);
        Message again = consumer.receive(WAIT_MS);
        assertEquals("in-1", text(again));
        assertTrue(again.getJMSRedelivered());
        assertEquals(List.of(), drain("xa.rb0.out"));
    }

    @Test
    void onePhaseCommitAndReadOnlyBranches() throws Exception {
        send("xa.1pc.in", "in-1");
        XASession xs = xaConnection().createXASession();
        XAResource r = xs.getXAResource();
        MessageConsumer consumer = xs.createConsumer(xs.createQueue("xa.1pc.in"));
        Xid xid = TestXids.next();
        r.start(xid, XAResource.TMNOFLAGS);
        assertEquals("in-1", text(consumer.receive(WAIT_MS)));
        xs.createProducer(xs.createQueue("xa.1pc.out")).send(xs.createTextMessage("one-phase"));
        r.end(xid, XAResource.TMSUCCESS);
        assertEquals(List.of(), drain("xa.1pc.out"), "nothing before the commit");
        r.commit(xid, true);
        assertEquals(List.of("one-phase"), drain("xa.1pc.out"));
        consumer.close();
        assertEquals(List.of(), drain("xa.1pc.in"));

        Xid idle = TestXids.next();
        r.start(idle, XAResource.TMNOFLAGS);
        r.end(idle, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_RDONLY, r.prepare(idle), "a branch that did nothing is read-only");
        assertEquals(0, r.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length);
    }

    @Test
    void outsideABranchAnXaSessionActsAtOnce() throws Exception {
        XASession xs = xaConnection().createXASession();
        xs.createProducer(xs.createQueue("xa.outside")).send(xs.createTextMessage("now"));
        assertEquals(List.of("now"), drain("xa.outside"));
        send("xa.outside", "auto-acked");
        MessageConsumer c = xs.createConsumer(xs.createQueue("xa.outside"));
        assertEquals("auto-acked", text(c.receive(WAIT_MS)));
        c.close();
        assertEquals(List.of(), drain("xa.outside"), "acknowledged automatically outside a branch");
    }

    @Test
    void sessionsOfOneConnectionJoinOneBranch() throws Exception {
        XAConnection c = xaConnection();
        XASession s1 = c.createXASession();
        XASession s2 = c.createXASession();
        XAResource r1 = s1.getXAResource();
        XAResource r2 = s2.getXAResource();
        assertTrue(r1.isSameRM(r2));
        assertFalse(r1.isSameRM(xaConnection().createXASession().getXAResource()),
                "another connection's branch cannot take this one's buffered work");
        Xid xid = TestXids.next();
        r1.start(xid, XAResource.TMNOFLAGS);
        r2.start(xid, XAResource.TMJOIN);
        s1.createProducer(s1.createQueue("xa.join")).send(s1.createTextMessage("from-1"));
        s2.createProducer(s2.createQueue("xa.join")).send(s2.createTextMessage("from-2"));
        r1.end(xid, XAResource.TMSUCCESS);
        r2.end(xid, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_OK, r2.prepare(xid));
        assertEquals(List.of(), drain("xa.join"));
        r1.commit(xid, false);
        assertEquals(List.of("from-1", "from-2"), drain("xa.join"));
    }

    @Test
    void suspendAndResume() throws Exception {
        XASession xs = xaConnection().createXASession();
        XAResource r = xs.getXAResource();
        MessageProducer p = xs.createProducer(xs.createQueue("xa.suspend"));
        Xid first = TestXids.next();
        Xid second = TestXids.next();
        r.start(first, XAResource.TMNOFLAGS);
        p.send(xs.createTextMessage("first-a"));
        r.end(first, XAResource.TMSUSPEND);
        XAException x = assertThrows(XAException.class, () -> r.start(first, XAResource.TMJOIN));
        assertEquals(XAException.XAER_PROTO, x.errorCode, "a suspended branch is resumed, not joined");
        r.start(second, XAResource.TMNOFLAGS);
        p.send(xs.createTextMessage("second"));
        r.end(second, XAResource.TMSUCCESS);
        r.start(first, XAResource.TMRESUME);
        p.send(xs.createTextMessage("first-b"));
        r.end(first, XAResource.TMSUCCESS);
        r.commit(second, true);
        assertEquals(List.of("second"), drain("xa.suspend"));
        r.rollback(first);
        assertEquals(List.of(), drain("xa.suspend"));
    }

    @Test
    void recoverListsPreparedBranchesForAnyConnectionToComplete() throws Exception {
        XASession xs = xaConnection().createXASession();
        XAResource r = xs.getXAResource();
        Xid a = TestXids.next();
        Xid b = TestXids.next();
        for (Xid xid : List.of(a, b)) {
            r.start(xid, XAResource.TMNOFLAGS);
            xs.createProducer(xs.createQueue("xa.recover")).send(xs.createTextMessage(xid.toString()));
            r.end(xid, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_OK, r.prepare(xid));
        }
        XAResource other = xaConnection().createXASession().getXAResource();
        List<Xid> listed = Arrays.asList(other.recover(XAResource.TMSTARTRSCAN));
        assertTrue(listed.contains(WireXid.of(a)) && listed.contains(WireXid.of(b)), listed.toString());
        assertEquals(0, other.recover(XAResource.TMENDRSCAN).length, "the scan gave everything at its start");
        other.commit(listed.get(listed.indexOf(WireXid.of(a))), false);
        other.rollback(WireXid.of(b));
        assertEquals(List.of(a.toString()), drain("xa.recover"));
        assertEquals(0, other.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN).length);
        XAException again = assertThrows(XAException.class, () -> r.commit(a, false));
        assertEquals(XAException.XAER_NOTA, again.errorCode, "committed already");
    }

    @Test
    void anOperatorsDecisionIsHeuristicUntilForgotten() throws Exception {
        send("xa.heur.in", "held");
        XASession xs = xaConnection().createXASession();
        XAResource r = xs.getXAResource();
        MessageConsumer consumer = xs.createConsumer(xs.createQueue("xa.heur.in"));
        Xid xid = TestXids.next();
        r.start(xid, XAResource.TMNOFLAGS);
        assertEquals("held", text(consumer.receive(WAIT_MS)));
        xs.createProducer(xs.createQueue("xa.heur.out")).send(xs.createTextMessage("decided"));
        r.end(xid, XAResource.TMSUCCESS);
        r.prepare(xid);
        consumer.close();
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            List<PreparedTransaction> listed = admin.listTransactions();
            assertEquals(1, listed.size());
            PreparedTransaction p = listed.get(0);
            assertEquals(WireXid.of(xid).toString(), p.xid());
            assertEquals("prepared", p.state());
            assertEquals(1, p.messages());
            assertEquals(1, p.consumed());
            assertEquals(List.of("queue:xa.heur.out"), p.destinations());
            admin.commitTransaction(p.xid());
            assertEquals("heuristic-commit", admin.listTransactions().get(0).state());
        }
        assertEquals(List.of("decided"), drain("xa.heur.out"));
        assertEquals(List.of(), drain("xa.heur.in"));
        XAException commit = assertThrows(XAException.class, () -> r.commit(xid, false));
        assertEquals(XAException.XA_HEURCOM, commit.errorCode);
        XAException rollback = assertThrows(XAException.class, () -> r.rollback(xid));
        assertEquals(XAException.XA_HEURCOM, rollback.errorCode);
        assertEquals(List.of(WireXid.of(xid)), Arrays.asList(r.recover(XAResource.TMSTARTRSCAN)));
        r.forget(xid);
        assertEquals(0, r.recover(XAResource.TMSTARTRSCAN).length);
        XAException forgotten = assertThrows(XAException.class, () -> r.forget(xid));
        assertEquals(XAException.XAER_NOTA, forgotten.errorCode);
    }

    @Test
    void aBranchNotPreparedWithinItsTimeoutIsRolledBack() throws Exception {
        send("xa.timeout", "timed");
        XASession xs = xaConnection().createXASession();
        XAResource r = xs.getXAResource();
        assertEquals(0, r.getTransactionTimeout());
        assertTrue(r.setTransactionTimeout(1));
        assertEquals(1, r.getTransactionTimeout());
        MessageConsumer consumer = xs.createConsumer(xs.createQueue("xa.timeout"));
        Xid xid = TestXids.next();
        r.start(xid, XAResource.TMNOFLAGS);
        assertEquals("timed", text(consumer.receive(WAIT_MS)));
        xs.createProducer(xs.createQueue("xa.timeout.out")).send(xs.createTextMessage("too late"));
        r.end(xid, XAResource.TMSUCCESS);
        consumer.close();
        // After the timeout the branch is rolled back on its own: the message comes again.
        try (MessageConsumer c = session.createConsumer(session.createQueue("xa.timeout"))) {
            Message m = c.receive(WAIT_MS);
            assertEquals("timed", text(m));
            assertTrue(m.getJMSRedelivered());
        }
        XAException x = assertThrows(XAException.class, () -> r.prepare(xid));
        assertEquals(XAException.XA_RBTIMEOUT, x.errorCode);
        assertEquals(List.of(), drain("xa.timeout.out"));
        r.rollback(xid); // what a transaction manager does next: fine
        assertThrows(XAException.class, () -> r.setTransactionTimeout(-1));
    }

    @Test
    void errorCodesFollowTheXaSpecification() throws Exception {
        XAConnection c = xaConnection();
        XAResource r = c.createXASession().getXAResource();
        Xid unknown = TestXids.next();
        assertCode(XAException.XAER_NOTA, () -> r.commit(unknown, false));
        assertCode(XAException.XAER_NOTA, () -> r.rollback(unknown));
        assertCode(XAException.XAER_NOTA, () -> r.prepare(unknown));
        assertCode(XAException.XAER_NOTA, () -> r.end(unknown, XAResource.TMSUCCESS));
        assertCode(XAException.XAER_NOTA, () -> r.start(unknown, XAResource.TMJOIN));
        assertCode(XAException.XAER_INVAL, () -> r.start(unknown, XAResource.TMSUCCESS));
        assertCode(XAException.XAER_INVAL, () -> r.recover(XAResource.TMSUCCESS));
        Xid xid = TestXids.next();
        r.start(xid, XAResource.TMNOFLAGS);
        assertCode(XAException.XAER_PROTO, () -> r.start(TestXids.next(), XAResource.TMNOFLAGS));
        assertCode(XAException.XAER_PROTO, () -> r.prepare(xid));
        assertCode(XAException.XAER_PROTO, () -> r.rollback(xid));
        XAResource other = c.createXASession().getXAResource();
        assertCode(XAException.XAER_DUPID, () -> other.start(xid, XAResource.TMNOFLAGS));
        r.end(xid, XAResource.TMSUCCESS);
        assertCode(XAException.XAER_PROTO, () -> r.end(xid, XAResource.TMSUCCESS));
        assertCode(XAException.XAER_PROTO, () -> r.commit(xid, false));
        r.rollback(xid);
        c.close();
        Xid late = TestXids.next();
        assertCode(XAException.XAER_RMFAIL, () -> r.start(late, XAResource.TMNOFLAGS));
        assertCode(XAException.XAER_RMFAIL, () -> r.recover(XAResource.TMSTARTRSCAN));
    }

    @Test
    void aRefusedPrepareRollsBackAndGivesTheMessagesBack() throws Exception {
        send("xa.refused.in", "back");
        XASession xs = xaConnection().createXASession();
        XAResource r = xs.getXAResource();
        MessageConsumer consumer = xs.createConsumer(xs.createQueue("xa.refused.in"));
        Xid xid = TestXids.next();
        r.start(xid, XAResource.TMNOFLAGS);
        assertEquals("back", text(consumer.receive(WAIT_MS)));
        xs.createProducer(xs.createQueue("xa.refused.out")).send(xs.createTextMessage("fine"));
        r.end(xid, XAResource.TMSUCCESS);
        // Another connection prepared this xid first: the broker refuses the second (XAER_DUPID), and the refused
        // branch is rolled back.
        XASession rivalSession = xaConnection().createXASession();
        XAResource rival = rivalSession.getXAResource();
        rival.start(xid, XAResource.TMNOFLAGS);
        rivalSession.createProducer(rivalSession.createQueue("xa.refused.out"))
                .send(rivalSession.createTextMessage("rival"));
        rival.end(xid, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_OK, rival.prepare(xid));
        assertCode(XAException.XAER_DUPID, () -> r.prepare(xid));
        Message again = consumer.receive(WAIT_MS);
        assertEquals("back", text(again), "the refused branch's message comes again");
        assertTrue(again.getJMSRedelivered());
        rival.rollback(xid);
        assertEquals(List.of(), drain("xa.refused.out"));
    }

    @Test
    void anXaContextWorksTheSameWay() throws Exception {
        try (XAJMSContext ctx = new HeraldXAConnectionFactory(broker.url()).createXAContext()) {
            XAResource r = ctx.getXAResource();
            Xid xid = TestXids.next();
            r.start(xid, XAResource.TMNOFLAGS);
            ctx.createProducer().send(ctx.createQueue("xa.context"), "in a branch");
            r.end(xid, XAResource.TMSUCCESS);
            assertEquals(List.of(), drain("xa.context"));
            r.commit(xid, true);
            assertEquals(List.of("in a branch"), drain("xa.context"));
        }
    }

    @Test
    void aDurableSubscriptionsPreparedConsumeSurvivesARestart() throws Exception {
        XAConnection c = new HeraldXAConnectionFactory(broker.url() + "?clientID=xa-durable&reconnectTimeoutMs=0")
                .createXAConnection();
        c.start();
        XASession xs = c.createXASession();
        Topic topic = xs.createTopic("xa.durable");
        MessageConsumer subscriber = xs.createDurableConsumer(topic, "audit");
        session.createProducer(session.createTopic("xa.durable")).send(session.createTextMessage("kept"));
        XAResource r = xs.getXAResource();
        Xid xid = TestXids.next();
        r.start(xid, XAResource.TMNOFLAGS);
        assertEquals("kept", text(subscriber.receive(WAIT_MS)));
        xs.createProducer(xs.createQueue("xa.durable.out")).send(xs.createTextMessage("after restart"));
        r.end(xid, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_OK, r.prepare(xid));
        plain.close();
        c.close();

        broker.restart();
        connect();
        assertEquals(List.of(), drain("xa.durable.out"));
        XAConnection again = new HeraldXAConnectionFactory(broker.url() + "?clientID=xa-durable").createXAConnection();
        open.add(again);
        again.start();
        XASession s2 = again.createXASession();
        MessageConsumer resumed = s2.createDurableConsumer(s2.createTopic("xa.durable"), "audit");
        assertNull(resumed.receive(QUIET_MS), "held by the prepared branch, also after a restart");
        XAResource r2 = s2.getXAResource();
        List<Xid> listed = Arrays.asList(r2.recover(XAResource.TMSTARTRSCAN | XAResource.TMENDRSCAN));
        assertEquals(List.of(WireXid.of(xid)), listed);
        r2.commit(listed.get(0), false);
        assertEquals(List.of("after restart"), drain("xa.durable.out"));
        assertNull(resumed.receive(QUIET_MS), "consumed by the commit");
        await().atMost(Duration.ofSeconds(10)).until(() -> broker.broker().transactions().size() == 0);
    }

    private static void assertCode(int code, Executable call) {
        XAException x = assertThrows(XAException.class, call);
        assertEquals(code, x.errorCode, x.getMessage());
    }
}
