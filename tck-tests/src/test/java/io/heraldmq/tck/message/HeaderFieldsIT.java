package io.heraldmq.tck.message;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.HashSet;
import java.util.Set;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, section 3.4 "Message header fields": what {@code send} sets, what the application sets,
 * and what arrives at the consumer.
 */
class HeaderFieldsIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private Connection connection;
    private Session session;
    private Queue queue;
    private MessageProducer producer;
    private MessageConsumer consumer;

    @BeforeEach
    void open(TestInfo test) throws JMSException {
        connection = new HeraldConnectionFactory(broker.url()).createConnection();
        session = connection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        queue = session.createQueue("headers-" + test.getTestMethod().orElseThrow().getName());
        producer = session.createProducer(queue);
        consumer = session.createConsumer(queue);
        connection.start();
    }

    @AfterEach
    void close() throws JMSException {
        connection.close();
    }

    private Message receive() throws JMSException {
        Message m = consumer.receive(10_000);
        assertNotNull(m, "nothing received");
        return m;
    }

    /** 3.4.1, 3.4.2, 3.4.3, 3.4.4, 3.4.7, 3.4.10, 3.4.11: the fields send sets, on the sent and the received copy. */
    @Test
    void sendSetsTheProviderFieldsOverridingWhatTheApplicationSet() throws JMSException {
        Message m = session.createMessage();
        m.setJMSMessageID("ID:made-up");
        m.setJMSTimestamp(1);
        m.setJMSPriority(1);
        m.setJMSDeliveryMode(DeliveryMode.NON_PERSISTENT);
        m.setJMSDestination(session.createQueue("elsewhere"));
        long before = System.currentTimeMillis();
        producer.send(m, DeliveryMode.PERSISTENT, 7, 0);
        long after = System.currentTimeMillis();
        assertTrue(m.getJMSMessageID().startsWith("ID:"), m.getJMSMessageID());
        assertNotEquals("ID:made-up", m.getJMSMessageID());
        assertTrue(m.getJMSTimestamp() >= before && m.getJMSTimestamp() <= after);
        assertEquals(7, m.getJMSPriority());
        assertEquals(DeliveryMode.PERSISTENT, m.getJMSDeliveryMode());
        assertEquals(queue, m.getJMSDestination());
        assertEquals(0, m.getJMSExpiration(), "time to live 0 means it never expires");

        Message got = receive();
        assertEquals(m.getJMSMessageID(), got.getJMSMessageID());
        assertEquals(m.getJMSTimestamp(), got.getJMSTimestamp());
        assertEquals(7, got.getJMSPriority());
        assertEquals(DeliveryMode.PERSISTENT, got.getJMSDeliveryMode());
        assertEquals(queue, got.getJMSDestination());
        assertEquals(0, got.getJMSExpiration());
        assertFalse(got.getJMSRedelivered(), "first delivery");
    }

    /** 3.4.3: message ids are unique; disabling them is a hint the provider may honour with null. */
    @Test
    void messageIdsAreUniqueAndCanBeDisabled() throws JMSException {
        Set<String> ids = new HashSet<>();
        for (int i = 0; i < 100; i++) {
            Message m = session.createMessage();
            producer.send(m);
            assertTrue(ids.add(m.getJMSMessageID()), "duplicate " + m.getJMSMessageID());
        }
        for (int i = 0; i < 100; i++) {
            assertTrue(ids.remove(receive().getJMSMessageID()));
        }
        producer.setDisableMessageID(true);
        producer.setDisableMessageTimestamp(true);
        Message m = session.createMessage();
        producer.send(m);
        Message got = receive();
        assertTrue(got.getJMSMessageID() == null || got.getJMSMessageID().startsWith("ID:"));
        assertEquals(0, got.getJMSTimestamp(), "disabled timestamp is 0");
    }

    /** 3.4.5, 3.4.6, 3.4.8: the fields the application sets pass through unchanged. */
    @Test
    void correlationIdReplyToAndTypePassThrough() throws JMSException {
        Topic replyTopic = session.createTopic("replies");
        Message m = session.createMessage();
        m.setJMSCorrelationID("corr-1");
        m.setJMSReplyTo(replyTopic);
        m.setJMSType("order.created");
        producer.send(m);
        Message got = receive();
        assertEquals("corr-1", got.getJMSCorrelationID());
        assertEquals(replyTopic, got.getJMSReplyTo());
        assertTrue(got.getJMSReplyTo() instanceof Topic);
        assertEquals("order.created", got.getJMSType());

        Message bytes = session.createMessage();
        bytes.setJMSCorrelationIDAsBytes(new byte[] {0, 1, -1, 127});
        bytes.setJMSReplyTo(queue);
        producer.send(bytes);
        Message gotBytes = receive();
        assertArrayEquals(new byte[] {0, 1, -1, 127}, gotBytes.getJMSCorrelationIDAsBytes());
        assertEquals(queue, gotBytes.getJMSReplyTo());
        assertTrue(gotBytes.getJMSReplyTo() instanceof Queue);

        Message none = session.createMessage();
        producer.send(none);
        Message gotNone = receive();
        assertNull(gotNone.getJMSCorrelationID());
        assertNull(gotNone.getJMSReplyTo());
        assertNull(gotNone.getJMSType());
    }

    /** 3.4.9: expiration is timestamp + time to live, and an expired message is never delivered. */
    @Test
    void expiredMessagesAreNotDelivered() throws JMSException {
        Message shortLived = session.createTextMessage("short");
        producer.send(shortLived, DeliveryMode.PERSISTENT, 4, 200);
        assertEquals(shortLived.getJMSTimestamp() + 200, shortLived.getJMSExpiration());
        producer.send(session.createTextMessage("long"), DeliveryMode.PERSISTENT, 4, 600_000);
        long expiration = shortLived.getJMSExpiration();
        // The consumer prefetches: close it so the short-lived message waits in the broker past its expiry.
        consumer.close();
        await().until(() -> System.currentTimeMillis() > expiration + 50);
        consumer = session.createConsumer(queue);
        Message got = receive();
        assertEquals("long", ((jakarta.jms.TextMessage) got).getText());
        assertTrue(got.getJMSExpiration() > System.currentTimeMillis());
        assertNull(consumer.receive(500), "the expired message must not arrive");
    }

    /** 3.4.13: JMSDeliveryTime is the send time plus the producer's delivery delay. */
    @Test
    void deliveryTimeIsSendTimePlusDelay() throws JMSException {
        Message m = session.createMessage();
        producer.send(m);
        assertEquals(m.getJMSTimestamp(), m.getJMSDeliveryTime(), "no delay");
        assertEquals(m.getJMSDeliveryTime(), receive().getJMSDeliveryTime());
    }

    /** 3.4.2: a NON_PERSISTENT message arrives marked so. */
    @Test
    void nonPersistentDeliveryModeArrives() throws JMSException {
        producer.setDeliveryMode(DeliveryMode.NON_PERSISTENT);
        producer.send(session.createMessage());
        assertEquals(DeliveryMode.NON_PERSISTENT, receive().getJMSDeliveryMode());
    }
}
