package io.heraldmq.tck.session;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, {@code Connection.createSession(boolean, int)}: {@code transacted = false} means a session
 * that is not transacted, whatever the mode says. {@code createSession(false, 0)} (0 is SESSION_TRANSACTED) is an
 * AUTO_ACKNOWLEDGE session, as in Artemis and Classic (issue 13: it was a transacted session whose sends were lost
 * at close, never committed).
 */
class SessionModeIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static final long WAIT_MS = 20_000;
    private static final long NOTHING_MS = 500;

    @Test
    void notTransactedWithModeZeroIsAutoAcknowledge() throws Exception {
        HeraldConnectionFactory factory = new HeraldConnectionFactory(broker.url());
        Queue q;
        try (Connection c = factory.createConnection()) {
            Session s = c.createSession(false, 0);
            assertFalse(s.getTransacted());
            assertEquals(Session.AUTO_ACKNOWLEDGE, s.getAcknowledgeMode());
            q = s.createQueue("session-mode-zero");
            s.createProducer(q).send(s.createTextMessage("kept"));
        }
        try (Connection c = factory.createConnection()) {
            c.start();
            Session s = c.createSession(false, 0);
            MessageConsumer consumer = s.createConsumer(q);
            Message m = consumer.receive(WAIT_MS);
            assertNotNull(m, "the send of a createSession(false, 0) session was lost");
            assertEquals("kept", ((TextMessage) m).getText());
        }
        try (Connection c = factory.createConnection()) {
            c.start();
            assertNull(c.createSession().createConsumer(q).receive(NOTHING_MS), "the receive was acknowledged");
        }
    }

    @Test
    void transactedWinsOverTheMode() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(true, Session.CLIENT_ACKNOWLEDGE);
            assertTrue(s.getTransacted());
            assertEquals(Session.SESSION_TRANSACTED, s.getAcknowledgeMode());
            Session jms2 = c.createSession(Session.SESSION_TRANSACTED);
            assertTrue(jms2.getTransacted());
        }
    }

    /** Connection pools clear a session's listener before reusing it; setting one stays unsupported. */
    @Test
    void aSessionListenerCanBeClearedButNotSet() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.setMessageListener(null);
            assertNull(s.getMessageListener());
            org.junit.jupiter.api.Assertions.assertThrows(jakarta.jms.JMSException.class,
                    () -> s.setMessageListener(m -> { }));
        }
    }
}
