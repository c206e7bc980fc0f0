package io.heraldmq.tck.xa;

import io.heraldmq.jms.HeraldXAConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.IllegalStateException;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.QueueConnectionFactory;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TopicConnectionFactory;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.jms.XAConnection;
import jakarta.jms.XAJMSContext;
import jakarta.jms.XAQueueConnection;
import jakarta.jms.XAQueueSession;
import jakarta.jms.XASession;
import jakarta.jms.XATopicConnection;
import jakarta.jms.XATopicSession;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, section 6.2.8 (distributed transactions) and the Javadoc of XAConnectionFactory,
 * XAConnection, XASession and XAJMSContext: an XA session is transacted and refuses the local commit and rollback
 * with TransactionInProgressException; its XAResource makes its work part of a transaction branch between start and
 * end, which the transaction manager then prepares and commits; outside a branch, work on it takes effect at once.
 */
class XAObjectsIT {
    private static final long WAIT_MS = 30_000;

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private HeraldXAConnectionFactory cf() {
        return new HeraldXAConnectionFactory(broker.url());
    }

    @Test
    void theXaFactoryIsAlsoAnOrdinaryFactory() throws Exception {
        HeraldXAConnectionFactory cf = cf();
        assertInstanceOf(ConnectionFactory.class, cf);
        assertInstanceOf(QueueConnectionFactory.class, cf);
        assertInstanceOf(TopicConnectionFactory.class, cf);
        try (var c = cf.createConnection(); JMSContext ctx = cf.createContext()) {
            assertEquals(JMSContext.AUTO_ACKNOWLEDGE, ctx.getSessionMode());
            assertEquals(Session.AUTO_ACKNOWLEDGE, c.createSession().getAcknowledgeMode());
        }
    }

    @Test
    void anXaSessionIsTransactedAndRefusesLocalCommitAndRollback() throws Exception {
        try (XAConnection c = cf().createXAConnection()) {
            XASession xs = c.createXASession();
            assertTrue(xs.getTransacted());
            assertEquals(Session.SESSION_TRANSACTED, xs.getAcknowledgeMode());
            assertThrows(TransactionInProgressException.class, xs::commit);
            assertThrows(TransactionInProgressException.class, xs::rollback);
            assertNotNull(xs.getSession());
            assertTrue(xs.getSession().getTransacted());
            assertBranchesWork(xs.getXAResource(), xs, c);
            Session ordinary = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertEquals(Session.AUTO_ACKNOWLEDGE, ordinary.getAcknowledgeMode(), "ordinary sessions stay ordinary");
        }
    }

    @Test
    void workOnAnXaSessionTakesEffectAsOutsideAGlobalTransaction() throws Exception {
        try (XAConnection c = cf().createXAConnection()) {
            XASession xs = c.createXASession();
            Queue q = xs.createQueue("xa.outside");
            xs.createProducer(q).send(xs.createTextMessage("sent by XA"));
            Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = plain.createConsumer(q);
            c.start();
            assertEquals("sent by XA", ((TextMessage) consumer.receive(WAIT_MS)).getText());
            consumer.close();
            plain.createProducer(q).send(plain.createTextMessage("for XA"));
            assertEquals("for XA", ((TextMessage) xs.createConsumer(q).receive(WAIT_MS)).getText());
        }
    }

    @Test
    void queueAndTopicFlavours() throws Exception {
        try (XAQueueConnection qc = cf().createXAQueueConnection();
             XATopicConnection tc = cf().createXATopicConnection()) {
            XAQueueSession qs = qc.createXAQueueSession();
            assertNotNull(qs.getQueueSession());
            assertTrue(qs.getTransacted());
            XATopicSession ts = tc.createXATopicSession();
            assertNotNull(ts.getTopicSession());
            assertTrue(ts.getTransacted());
        }
        try (XAConnection c = cf().createXAConnection("user", "secret")) {
            assertNotNull(c.createXASession());
        }
    }

    @Test
    void aClosedXaSessionThrowsIllegalStateException() throws Exception {
        try (XAConnection c = cf().createXAConnection()) {
            XASession xs = c.createXASession();
            xs.close();
            xs.close();
            assertThrows(IllegalStateException.class, xs::getTransacted);
            assertThrows(IllegalStateException.class, xs::commit);
            assertThrows(IllegalStateException.class, xs::getSession);
        }
        XAConnection c = cf().createXAConnection();
        XASession xs = c.createXASession();
        c.close();
        assertThrows(IllegalStateException.class, xs::createTextMessage, "closed with its connection");
        assertThrows(IllegalStateException.class, c::createXASession);
    }

    @Test
    void anXaContextIsTransactedAndRefusesLocalCommitAndRollback() throws Exception {
        try (XAJMSContext ctx = cf().createXAContext(); XAJMSContext ctx2 = cf().createXAContext("u", "p")) {
            assertTrue(ctx.getTransacted());
            assertEquals(JMSContext.SESSION_TRANSACTED, ctx.getSessionMode());
            assertSame(ctx, ctx.getContext());
            assertThrows(TransactionInProgressRuntimeException.class, ctx::commit);
            assertThrows(TransactionInProgressRuntimeException.class, ctx::rollback);
            Queue q = ctx.createQueue("xa.context");
            JMSConsumer consumer = ctx.createConsumer(q);
            ctx.createProducer().send(q, "through an XA context");
            assertEquals("through an XA context", consumer.receiveBody(String.class, WAIT_MS),
                    "outside a branch: at once");
            XAResource r = ctx.getXAResource();
            Xid xid = xid(7);
            r.start(xid, XAResource.TMNOFLAGS);
            ctx.createProducer().send(q, "in a branch");
            r.end(xid, XAResource.TMSUCCESS);
            assertNull(consumer.receiveBody(String.class, 300), "not before the commit");
            assertEquals(XAResource.XA_OK, r.prepare(xid));
            r.commit(xid, false);
            assertEquals("in a branch", consumer.receiveBody(String.class, WAIT_MS));
            assertTrue(ctx2.getTransacted());
        }
        XAJMSContext closed = cf().createXAContext();
        closed.close();
        assertThrows(IllegalStateRuntimeException.class, closed::getTransacted);
    }

    private static Xid xid(int n) {
        return new Xid() {
            @Override
            public int getFormatId() {
                return 1;
            }

            @Override
            public byte[] getGlobalTransactionId() {
                return new byte[] {(byte) n, 1};
            }

            @Override
            public byte[] getBranchQualifier() {
                return new byte[] {2};
            }
        };
    }

    /** A branch of this session: its send is invisible until commit; the XA error codes of a wrong call. */
    private static void assertBranchesWork(XAResource r, XASession xs, XAConnection c) throws Exception {
        assertNotNull(r);
        assertTrue(r.isSameRM(r));
        assertEquals(0, r.getTransactionTimeout());
        Queue q = xs.createQueue("xa.branch");
        Xid xid = xid(3);
        r.start(xid, XAResource.TMNOFLAGS);
        xs.createProducer(q).send(xs.createTextMessage("committed"));
        r.end(xid, XAResource.TMSUCCESS);
        Session plain = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = plain.createConsumer(q);
        c.start();
        assertNull(consumer.receive(300), "a branch's send waits for its commit");
        r.commit(xid, true);
        assertEquals("committed", ((TextMessage) consumer.receive(WAIT_MS)).getText());
        consumer.close();
        XAException x = assertThrows(XAException.class, () -> r.commit(xid(4), false));
        assertEquals(XAException.XAER_NOTA, x.errorCode, "an unknown branch");
    }
}
