package io.heraldmq.tck.acknowledge;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.IllegalStateException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Jakarta Messaging 3.1, section 6.2.10 Message acknowledgment and 6.2.11 Duplicate delivery of messages:
 * {@code Message.acknowledge} in CLIENT_ACKNOWLEDGE acknowledges every message the session consumed so far, through
 * all its consumers; unacknowledged messages come again, marked redelivered (3.5.11), when the session ends; it throws
 * IllegalStateException once the session is closed and is ignored in AUTO_ACKNOWLEDGE.
 */
class ClientAcknowledgeIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static final long NOTHING_MS = 500;
    private static final long WAIT_MS = 20_000;

    private static HeraldConnectionFactory factory() {
        return new HeraldConnectionFactory(broker.url());
    }

    private static void send(Queue q, String... texts) throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(q);
            for (String t : texts) {
                p.send(s.createTextMessage(t));
            }
        }
    }

    private static String text(Message m) throws Exception {
        assertNotNull(m, "expected a message");
        return ((TextMessage) m).getText();
    }

    @Test
    void acknowledgeCoversEveryConsumerOfTheSession() throws Exception {
        HeraldConnectionFactory cf = factory();
        Queue a = new io.heraldmq.jms.HeraldQueue("ack-all-a");
        Queue b = new io.heraldmq.jms.HeraldQueue("ack-all-b");
        send(a, "a0");
        send(b, "b0");
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Message fromA = s.createConsumer(a).receive(WAIT_MS);
            assertEquals("a0", text(fromA));
            assertEquals("b0", text(s.createConsumer(b).receive(WAIT_MS)));
            fromA.acknowledge();
        }
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertNull(s.createConsumer(a).receive(NOTHING_MS));
            assertNull(s.createConsumer(b).receive(NOTHING_MS), "acknowledging a's message acknowledged b's too");
        }
    }

    @Test
    void unacknowledgedMessagesAreRedeliveredInOrderAfterClose() throws Exception {
        Queue q = new io.heraldmq.jms.HeraldQueue("ack-close");
        send(q, "m0", "m1", "m2");
        HeraldConnectionFactory cf = factory();
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(q);
            assertEquals("m0", text(consumer.receive(WAIT_MS)));
            assertEquals("m1", text(consumer.receive(WAIT_MS)));
        }
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(q);
            for (int i = 0; i < 3; i++) {
                Message m = consumer.receive(WAIT_MS);
                assertEquals("m" + i, text(m));
                assertEquals(i < 2, m.getJMSRedelivered(), "m" + i);
                assertEquals(i < 2 ? 2 : 1, m.getIntProperty("JMSXDeliveryCount"));
                if (i == 2) {
                    m.acknowledge();
                }
            }
        }
    }

    @Test
    void acknowledgeInsideAListenerIncludesTheCurrentMessage() throws Exception {
        Queue q = new io.heraldmq.jms.HeraldQueue("ack-listener");
        send(q, "m0", "m1");
        HeraldConnectionFactory cf = factory();
        List<String> got = new CopyOnWriteArrayList<>();
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            s.createConsumer(q).setMessageListener(m -> {
                try {
                    got.add(text(m));
                    m.acknowledge();
                } catch (Exception e) {
                    got.add("error " + e);
                }
            });
            c.start();
            await().until(() -> got.size() >= 2);
        }
        assertEquals(List.of("m0", "m1"), got);
        try (Connection c = cf.createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertNull(s.createConsumer(q).receive(NOTHING_MS), "both were acknowledged from the listener");
        }
    }

    @Test
    void acknowledgeAfterTheSessionClosedThrowsIllegalStateException() throws Exception {
        Queue q = new io.heraldmq.jms.HeraldQueue("ack-closed");
        send(q, "m0");
        try (Connection c = factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Message m = s.createConsumer(q).receive(WAIT_MS);
            assertNotNull(m);
            s.close();
            assertThrows(IllegalStateException.class, m::acknowledge);
        }
    }

    /** Receives "m0" in a CLIENT_ACKNOWLEDGE session of a started connection, then closes the consumer. */
    private static Message receiveFirstThenCloseTheConsumer(Connection c, Session s, Queue q) throws Exception {
        c.start();
        MessageConsumer consumer = s.createConsumer(q);
        Message m = consumer.receive(WAIT_MS);
        assertEquals("m0", text(m));
        consumer.close();
        return m;
    }

    /**
     * A consumer's close does not end what its session consumed: acknowledge() afterwards acknowledges the message
     * (issue 13: it used to return normally and acknowledge nothing, and the message came again), and the messages
     * the closed consumer had buffered but not delivered go to the next consumer, unmarked.
     */
    @Test
    void acknowledgeAfterTheConsumerClosedAcknowledges() throws Exception {
        Queue q = new io.heraldmq.jms.HeraldQueue("ack-after-consumer-close");
        send(q, "m0", "m1");
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            receiveFirstThenCloseTheConsumer(c, s, q).acknowledge();
            s.close();
            MessageConsumer next = c.createSession(false, Session.AUTO_ACKNOWLEDGE).createConsumer(q);
            Message m1 = next.receive(WAIT_MS);
            assertEquals("m1", text(m1));
            assertEquals(false, m1.getJMSRedelivered());
            assertNull(next.receive(NOTHING_MS), "m0 was acknowledged and must not come again");
        }
    }

    /**
     * recover(), or the session's close, after the consumer closed gives its unacknowledged messages back, marked
     * redelivered.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void recoverOrSessionCloseAfterTheConsumerClosedRedelivers(boolean recover) throws Exception {
        Queue q = new io.heraldmq.jms.HeraldQueue("recover-after-consumer-close-" + recover);
        send(q, "m0");
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            receiveFirstThenCloseTheConsumer(c, s, q);
            if (recover) {
                s.recover();
            } else {
                s.close();
            }
            Message again = c.createSession(false, Session.CLIENT_ACKNOWLEDGE).createConsumer(q).receive(WAIT_MS);
            assertEquals("m0", text(again));
            assertEquals(true, again.getJMSRedelivered());
            assertEquals(2, again.getIntProperty("JMSXDeliveryCount"));
            again.acknowledge();
        }
    }

    @Test
    void acknowledgeIsIgnoredInAutoAcknowledgeMode() throws Exception {
        Queue q = new io.heraldmq.jms.HeraldQueue("ack-auto");
        send(q, "m0", "m1");
        try (Connection c = factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(q);
            Message m = consumer.receive(WAIT_MS);
            m.acknowledge();
            assertEquals("m1", text(consumer.receive(WAIT_MS)));
            consumer.close();
            assertNull(s.createConsumer(q).receive(NOTHING_MS));
        }
    }
}
