package io.heraldmq.ra;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.CompletionListener;
import jakarta.jms.Connection;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.IllegalStateRuntimeException;
import jakarta.jms.JMSConsumer;
import jakarta.jms.JMSContext;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.TransactionInProgressException;
import jakarta.jms.TransactionInProgressRuntimeException;
import jakarta.resource.spi.ConnectionEvent;
import jakarta.resource.spi.ConnectionEventListener;
import jakarta.resource.spi.LocalTransaction;
import jakarta.resource.spi.ManagedConnection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import javax.transaction.xa.XAException;
import javax.transaction.xa.XAResource;
import javax.transaction.xa.Xid;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The outbound half of the adapter driven the way an application server drives it (managed connections, their
 * local and XA transactions, connection events), against a real broker; RaPayaraIT runs it in a real server.
 */
class RaOutboundIT {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private HeraldManagedConnectionFactory mcf(String urlOptions) {
        HeraldManagedConnectionFactory mcf = new HeraldManagedConnectionFactory();
        mcf.setConnectionURL(broker.url() + urlOptions);
        return mcf;
    }

    private static void send(ManagedConnection mc, String queue, String body) throws Exception {
        try (Connection c = (Connection) mc.getConnection(null, null)) {
            Session s = c.createSession();
            s.createProducer(s.createQueue(queue)).send(s.createTextMessage(body));
        }
    }

    /** What the queue holds now, consumed. */
    private List<String> drain(String queue, int expected) throws Exception {
        List<String> got = new CopyOnWriteArrayList<>();
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            c.start();
            Session s = c.createSession();
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            for (int i = 0; i < expected; i++) {
                Message m = consumer.receive(10_000);
                assertNotNull(m, "message " + (i + 1) + " of " + expected + " on " + queue);
                got.add(((TextMessage) m).getText());
            }
            assertNull(consumer.receiveNoWait(), "no more on " + queue);
        }
        return got;
    }

    @Test
    void localTransactionSendsOnlyOnCommit() throws Exception {
        ManagedConnection mc = mcf("").createManagedConnection(null, null);
        try {
            LocalTransaction tx = mc.getLocalTransaction();
            tx.begin();
            send(mc, "ra.local", "rolled back");
            tx.rollback();
            tx.begin();
            try (Connection c = (Connection) mc.getConnection(null, null)) {
                Session s = c.createSession(true, Session.SESSION_TRANSACTED);
                s.createProducer(s.createQueue("ra.local")).send(s.createTextMessage("committed"));
                assertThrows(TransactionInProgressException.class, s::commit, "the container commits");
            }
            tx.commit();
            assertEquals(List.of("committed"), drain("ra.local", 1));
        } finally {
            mc.destroy();
        }
    }

    @Test
    void xaBranchOfTheManagedConnectionCommitsTwoPhase() throws Exception {
        ManagedConnection mc = mcf("").createManagedConnection(null, null);
        try {
            XAResource xa = mc.getXAResource();
            Xid xid = TestXids.next("ra-outbound");
            xa.start(xid, XAResource.TMNOFLAGS);
            send(mc, "ra.xa", "in branch");
            xa.end(xid, XAResource.TMSUCCESS);
            assertEquals(XAResource.XA_OK, xa.prepare(xid));
            assertEquals(List.of(), drain("ra.xa", 0), "invisible until commit");
            xa.commit(xid, false);
            assertEquals(List.of("in branch"), drain("ra.xa", 1));
            send(mc, "ra.xa", "no transaction");
            assertEquals(List.of("no transaction"), drain("ra.xa", 1), "outside a branch: sent at once");
        } finally {
            mc.destroy();
        }
    }

    /**
     * The broker restarts between prepare and commit: the connection's listeners hear of the error (failover is off),
     * the pool destroys the managed connection, and the commit completes the branch through another connection.
     * (While the broker is away the commit answers XA_RETRY; RaPayaraIT goes through that.)
     */
    @Test
    void aPreparedBranchWhoseConnectionDiedIsCommittedThroughAnotherConnection() throws Exception {
        ManagedConnection mc = mcf("?reconnectTimeoutMs=0").createManagedConnection(null, null);
        List<Integer> events = new CopyOnWriteArrayList<>();
        mc.addConnectionEventListener(new Events(events));
        XAResource xa = mc.getXAResource();
        Xid xid = TestXids.next("ra-outbound");
        xa.start(xid, XAResource.TMNOFLAGS);
        send(mc, "ra.crash", "prepared");
        xa.end(xid, XAResource.TMSUCCESS);
        assertEquals(XAResource.XA_OK, xa.prepare(xid));

        broker.restart();
        await("the pool told to discard the connection").until(() -> events.contains(
                ConnectionEvent.CONNECTION_ERROR_OCCURRED));
        mc.destroy();
        xa.commit(xid, false);
        assertEquals(List.of("prepared"), drain("ra.crash", 1));
    }

    /**
     * The JMSContext over a pooled handle: the provider's context, with the container's rules (Jakarta Messaging 3.1,
     * 12.2); its sends belong to the XA branch, and closing it gives the connection back to the pool.
     */
    @Test
    void aContextOfThePoolSendsInTheBranchAndKeepsTheContainersRules() throws Exception {
        ManagedConnection mc = mcf("").createManagedConnection(null, null);
        List<Integer> events = new CopyOnWriteArrayList<>();
        mc.addConnectionEventListener(new Events(events));
        try {
            XAResource xa = mc.getXAResource();
            Xid xid = TestXids.next("ra-outbound");
            xa.start(xid, XAResource.TMNOFLAGS);
            HeraldQueueAdminObject queue = new HeraldQueueAdminObject();
            queue.setName("ra.context");
            try (JMSContext context = new RaJMSContext((HeraldConnectionHandle) mc.getConnection(null, null))) {
                assertTrue(context.getTransacted());
                context.createProducer().setProperty("n", 7).send(queue, "in branch");
                assertThrows(IllegalStateRuntimeException.class, () -> context.setClientID("x"));
                assertThrows(IllegalStateRuntimeException.class, () -> context.setExceptionListener(e -> { }));
                assertThrows(IllegalStateRuntimeException.class, context::stop);
                assertThrows(IllegalStateRuntimeException.class,
                        () -> context.createContext(JMSContext.AUTO_ACKNOWLEDGE));
                assertThrows(IllegalStateRuntimeException.class, () -> context.createProducer().setAsync(
                        new CompletionListener() {
                            @Override
                            public void onCompletion(Message message) {
                            }

                            @Override
                            public void onException(Message message, Exception exception) {
                            }
                        }));
                assertThrows(TransactionInProgressRuntimeException.class, context::commit);
                JMSConsumer consumer = context.createConsumer(context.createQueue("ra.context.other"));
                assertThrows(IllegalStateRuntimeException.class, () -> consumer.setMessageListener(m -> { }));
                assertNull(consumer.receiveNoWait());
            }
            assertTrue(events.contains(ConnectionEvent.CONNECTION_CLOSED), "back to the pool");
            xa.end(xid, XAResource.TMSUCCESS);
            assertEquals(List.of(), drain("ra.context", 0), "the branch's send waits for its commit");
            xa.commit(xid, true);
            assertEquals(List.of("in branch"), drain("ra.context", 1));
        } finally {
            mc.destroy();
        }
    }

    @Test
    void matchesPooledConnectionsByCredentials() throws Exception {
        HeraldManagedConnectionFactory mcf = mcf("");
        ManagedConnection anonymous = mcf.createManagedConnection(null, null);
        try {
            assertSame(anonymous, mcf.matchManagedConnections(Set.of(anonymous), null, null));
            assertNull(mcf.matchManagedConnections(Set.of(anonymous), null, new RaCredentials("alice", "pw")));
            assertEquals(Set.of(), mcf.getInvalidConnections(Set.of(anonymous)));
        } finally {
            anonymous.destroy();
        }
        assertEquals(Set.of(anonymous), mcf.getInvalidConnections(Set.of(anonymous)), "destroyed: invalid");
    }

    /** Outside an application server: a connection per handle; JMSContext works the same. */
    @Test
    void unmanagedFactoryGivesConnectionsAndContexts() throws Exception {
        ConnectionFactory cf = (ConnectionFactory) mcf("").createConnectionFactory();
        try (JMSContext context = cf.createContext()) {
            context.createProducer().setProperty("n", 7).send(context.createQueue("ra.unmanaged"), "hello");
        }
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession();
            Message m = s.createConsumer(s.createQueue("ra.unmanaged")).receive(10_000);
            assertEquals("hello", ((TextMessage) m).getText());
            assertEquals(7, m.getIntProperty("n"));
            assertThrows(jakarta.jms.IllegalStateException.class, () -> c.setClientID("x"));
        }
    }

    private record Events(List<Integer> seen) implements ConnectionEventListener {
        @Override
        public void connectionClosed(ConnectionEvent event) {
            seen.add(event.getId());
        }

        @Override
        public void connectionErrorOccurred(ConnectionEvent event) {
            seen.add(event.getId());
        }

        @Override
        public void localTransactionStarted(ConnectionEvent event) {
        }

        @Override
        public void localTransactionCommitted(ConnectionEvent event) {
        }

        @Override
        public void localTransactionRolledback(ConnectionEvent event) {
        }
    }
}
