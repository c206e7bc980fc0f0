package io.heraldmq.tck.delivery;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.Destination;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, sections 3.4.13 (JMSDeliveryTime) and 7.9 (delivery delay): a message is not delivered
 * before its delivery time; messages sent later without a delay are delivered meanwhile.
 */
class DeliveryDelayIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static void delayedThenImmediate(Session s, Destination d, MessageConsumer consumer) throws Exception {
        MessageProducer p = s.createProducer(d);
        p.setDeliveryDelay(2000);
        p.send(s.createTextMessage("late"));
        p.setDeliveryDelay(0);
        p.send(s.createTextMessage("now"));

        TextMessage first = (TextMessage) consumer.receive(10_000);
        assertEquals("now", first.getText());
        TextMessage second = (TextMessage) consumer.receive(20_000);
        long received = System.currentTimeMillis();
        assertNotNull(second, "the delayed message arrives once due");
        assertEquals("late", second.getText());
        assertTrue(received >= second.getJMSDeliveryTime(),
                "received at " + received + ", before its delivery time " + second.getJMSDeliveryTime());
        assertNull(consumer.receive(200));
    }

    @Test
    void onAQueueTheDelayedMessageWaitsAndTheOthersFlow() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("delayed"));
            c.start();
            delayedThenImmediate(s, s.createQueue("delayed"), consumer);
        }
    }

    @Test
    void onATopicTheDelayedMessageWaitsAndTheOthersFlow() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createTopic("delayed"));
            c.start();
            delayedThenImmediate(s, s.createTopic("delayed"), consumer);
        }
    }

    @Test
    void aDelayedMessageSentBeforeTheConsumerExistsStillWaits() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("delayed-backlog"));
            p.setDeliveryDelay(1500);
            Message sent = s.createMessage();
            p.send(sent);
            c.start();
            MessageConsumer consumer = s.createConsumer(s.createQueue("delayed-backlog"));
            Message m = consumer.receive(20_000);
            long received = System.currentTimeMillis();
            assertNotNull(m);
            assertEquals(sent.getJMSMessageID(), m.getJMSMessageID());
            assertTrue(received >= m.getJMSDeliveryTime());
        }
    }
}
