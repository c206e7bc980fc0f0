package io.heraldmq.tck.acknowledge;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.jms.HeraldQueue;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * Jakarta Messaging 3.1, section 6.2.10 Message acknowledgment ({@code Session.recover}) with 3.5.11: recover stops
 * delivery and restarts it with the oldest unacknowledged message; redelivered messages carry JMSRedelivered and a
 * higher JMSXDeliveryCount. In AUTO_ACKNOWLEDGE, recover from a listener redelivers the message being delivered.
 */
class RecoverIT {
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
    void recoverRedeliversFromTheOldestUnacknowledgedMessage() throws Exception {
        Queue q = new HeraldQueue("recover-receive");
        send(q, "m0", "m1", "m2", "m3", "m4");
        try (Connection c = factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(q);
            consumer.receive(WAIT_MS).acknowledge(); // m0 is acknowledged and must not come again
            assertEquals("m1", text(consumer.receive(WAIT_MS)));
            assertEquals("m2", text(consumer.receive(WAIT_MS)));
            s.recover();
            for (int i = 1; i < 5; i++) {
                Message m = consumer.receive(WAIT_MS);
                assertEquals("m" + i, text(m));
                assertEquals(i <= 2, m.getJMSRedelivered(), "m" + i);
                assertEquals(i <= 2 ? 2 : 1, m.getIntProperty("JMSXDeliveryCount"));
            }
            s.recover();
            Message m1 = consumer.receive(WAIT_MS);
            assertEquals("m1", text(m1));
            assertEquals(3, m1.getIntProperty("JMSXDeliveryCount"));
            for (int i = 2; i < 5; i++) {
                assertEquals("m" + i, text(consumer.receive(WAIT_MS)));
            }
            m1.acknowledge();
        }
        try (Connection c = factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertNull(s.createConsumer(q).receive(NOTHING_MS));
        }
    }

    @Test
    void recoverFromAClientAcknowledgeListenerRestartsWithTheOldest() throws Exception {
        Queue q = new HeraldQueue("recover-listener");
        send(q, "m0", "m1", "m2");
        List<String> got = new CopyOnWriteArrayList<>();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            s.createConsumer(q).setMessageListener(m -> {
                try {
                    got.add(text(m) + "/" + m.getIntProperty("JMSXDeliveryCount"));
                    if (got.size() == 2) {
                        s.recover();
                    } else if (got.size() == 5) {
                        m.acknowledge();
                    }
                } catch (Exception e) {
                    got.add("error " + e);
                }
            });
            c.start();
            await().until(() -> got.size() >= 5);
        }
        assertEquals(List.of("m0/1", "m1/1", "m0/2", "m1/2", "m2/1"), got);
    }

    @Test
    void recoverInAutoAcknowledgeListenerRedeliversTheCurrentMessage() throws Exception {
        Queue q = new HeraldQueue("recover-auto");
        send(q, "m0", "m1");
        List<String> got = new CopyOnWriteArrayList<>();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(q).setMessageListener(m -> {
                try {
                    got.add(text(m) + "/" + m.getJMSRedelivered());
                    if (got.size() == 1) {
                        s.recover();
                    }
                } catch (Exception e) {
                    got.add("error " + e);
                }
            });
            c.start();
            await().until(() -> got.size() >= 3);
        }
        assertEquals(List.of("m0/false", "m0/true", "m1/false"), got);
    }
}
