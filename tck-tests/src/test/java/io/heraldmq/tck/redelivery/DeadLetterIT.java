package io.heraldmq.tck.redelivery;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.jms.HeraldQueue;
import io.heraldmq.jms.HeraldTopic;
import io.heraldmq.server.junit.BrokerExtension;
import io.heraldmq.server.meta.DeadLetterSettings;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Poison messages and dead letter queues. Jakarta Messaging 3.1, section 3.5.11 (JMSX properties): JMSXDeliveryCount
 * counts delivery attempts, which "may be used ... to detect poison messages", and section 3.4.7 (JMSRedelivered).
 * The specification leaves what happens to a message that keeps failing to the provider; HeraldMQ, like Artemis,
 * moves it after the destination's max delivery attempts to its dead letter queue ({@code DLQ.<destination>}) with
 * the original destination, the delivery count and the last failure reason as properties, and the messages behind
 * it keep flowing.
 */
class DeadLetterIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static final long WAIT_MS = 30_000;

    @BeforeAll
    static void settings() throws Exception {
        DeadLetterSettingsSupport.store(broker,
                new DeadLetterSettings(true, "dl-listener", 3, 0, 2.0, 0, null),
                new DeadLetterSettings(true, "dl-close", 2, 0, 2.0, 0, null),
                new DeadLetterSettings(true, "dl-named", 1, 0, 2.0, 0, "poison-bin"),
                new DeadLetterSettings(false, "dl-topic", 2, 0, 2.0, 0, null),
                new DeadLetterSettings(true, "dl-recover", 3, 0, 2.0, 0, null),
                new DeadLetterSettings(true, "dl-rollback", 3, 0, 2.0, 0, null));
    }

    private static HeraldConnectionFactory factory() {
        return new HeraldConnectionFactory(broker.url());
    }

    private static void send(jakarta.jms.Destination d, List<String> texts) throws Exception {
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(d);
            for (String t : texts) {
                p.send(s.createTextMessage(t));
            }
        }
    }

    private static List<String> texts(String prefix, int n, int poisonAt) {
        List<String> out = new java.util.ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(i == poisonAt ? "poison" : prefix + i);
        }
        return out;
    }

    /** The one message in {@code queue}, received and acknowledged. */
    private static TextMessage receiveOne(String queue) throws Exception {
        try (Connection c = factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(new HeraldQueue(queue));
            TextMessage m = (TextMessage) consumer.receive(WAIT_MS);
            assertNotNull(m, "expected a message in " + queue);
            assertNull(consumer.receive(500), "only one message in " + queue);
            return m;
        }
    }

    private static void assertEmpty(String queue) throws Exception {
        try (Connection c = factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message m = s.createConsumer(new HeraldQueue(queue)).receive(1000);
            assertNull(m, queue + " should be empty");
        }
    }

    @Test
    void aListenerThatAlwaysThrowsSendsThePoisonMessageToTheDeadLetterQueueAndTheRestFlows() throws Exception {
        Queue q = new HeraldQueue("dl-listener");
        send(q, texts("m", 60, 7));
        Set<String> consumed = ConcurrentHashMap.newKeySet();
        List<Integer> poisonCounts = new CopyOnWriteArrayList<>();
        List<Boolean> poisonRedelivered = new CopyOnWriteArrayList<>();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(q).setMessageListener(m -> {
                try {
                    String text = ((TextMessage) m).getText();
                    if (text.equals("poison")) {
                        poisonCounts.add(m.getIntProperty("JMSXDeliveryCount"));
                        poisonRedelivered.add(m.getJMSRedelivered());
                        throw new RuntimeException("boom");
                    }
                    consumed.add(text);
                } catch (jakarta.jms.JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            c.start();
            await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> consumed.size() == 59);
            TextMessage dead = receiveOne("DLQ.dl-listener");
            assertEquals("poison", dead.getText());
            assertEquals("queue://dl-listener", dead.getStringProperty("JMS_HeraldOriginalDestination"));
            assertEquals(3, dead.getIntProperty("JMS_HeraldDeliveryCount"));
            String reason = dead.getStringProperty("JMS_HeraldFailureReason");
            assertTrue(reason.contains("RuntimeException") && reason.contains("boom"), reason);
            assertEquals(List.of(1, 2, 3), poisonCounts, "delivered exactly max delivery attempts times");
            assertEquals(List.of(false, true, true), poisonRedelivered);
        }
        assertEmpty("dl-listener");
    }

    @Test
    void aMessageSeenAndNotAcknowledgedByConsumersThatCloseIsDeadLetteredAfterTheLimit() throws Exception {
        Queue q = new HeraldQueue("dl-close");
        send(q, List.of("poison", "next"));
        for (int attempt = 1; attempt <= 2; attempt++) {
            try (Connection c = factory().createConnection()) {
                c.start();
                Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
                Message m = s.createConsumer(q).receive(WAIT_MS);
                assertNotNull(m, "attempt " + attempt);
                assertEquals("poison", ((TextMessage) m).getText());
                assertEquals(attempt, m.getIntProperty("JMSXDeliveryCount"));
            } // closed without acknowledging: released, counted
        }
        TextMessage dead = receiveOne("DLQ.dl-close");
        assertEquals("poison", dead.getText());
        assertEquals(2, dead.getIntProperty("JMS_HeraldDeliveryCount"));
        assertTrue(dead.getStringProperty("JMS_HeraldFailureReason").contains("max delivery attempts (2)"),
                dead.getStringProperty("JMS_HeraldFailureReason"));
        assertEquals("next", receiveOne("dl-close").getText());
    }

    @Test
    void aDestinationCanNameItsOwnDeadLetterQueue() throws Exception {
        Queue q = new HeraldQueue("dl-named");
        send(q, List.of("poison"));
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(q).setMessageListener(m -> {
                throw new IllegalArgumentException("cannot handle it");
            });
            c.start();
            TextMessage dead = receiveOne("poison-bin");
            assertEquals("poison", dead.getText());
            assertEquals(1, dead.getIntProperty("JMS_HeraldDeliveryCount"));
            assertEquals("queue://dl-named", dead.getStringProperty("JMS_HeraldOriginalDestination"));
        }
    }

    @Test
    void aDurableSubscriptionDeadLettersToTheTopicsDeadLetterQueue() throws Exception {
        Topic t = new HeraldTopic("dl-topic");
        Set<String> consumed = ConcurrentHashMap.newKeySet();
        HeraldConnectionFactory f = factory();
        f.setClientID("dl-durable");
        try (Connection c = f.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableSubscriber(t, "sub").setMessageListener(m -> {
                try {
                    if (((TextMessage) m).getText().equals("poison")) {
                        throw new RuntimeException("topic boom");
                    }
                    consumed.add(((TextMessage) m).getText());
                } catch (jakarta.jms.JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            c.start();
            send(t, texts("t", 10, 0));
            await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> consumed.size() == 9);
            TextMessage dead = receiveOne("DLQ.dl-topic");
            assertEquals("poison", dead.getText());
            assertEquals("topic://dl-topic", dead.getStringProperty("JMS_HeraldOriginalDestination"));
            assertEquals(2, dead.getIntProperty("JMS_HeraldDeliveryCount"));
        }
    }

    @Test
    void withoutSettingsTheBrokerDefaultOfTenAttemptsApplies() throws Exception {
        Queue q = new HeraldQueue("dl-default");
        send(q, List.of("poison"));
        List<Integer> counts = new CopyOnWriteArrayList<>();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(q).setMessageListener(m -> {
                try {
                    counts.add(m.getIntProperty("JMSXDeliveryCount"));
                } catch (jakarta.jms.JMSException e) {
                    throw new IllegalStateException(e);
                }
                throw new RuntimeException("always");
            });
            c.start();
            TextMessage dead = receiveOne("DLQ.dl-default");
            assertEquals(10, dead.getIntProperty("JMS_HeraldDeliveryCount"));
            assertEquals(List.of(1, 2, 3, 4, 5, 6, 7, 8, 9, 10), counts);
        }
    }

    @Test
    void aClientAcknowledgeConsumerThatKeepsRecoveringSendsTheMessageToTheDeadLetterQueue() throws Exception {
        Queue q = new HeraldQueue("dl-recover");
        send(q, List.of("poison", "after"));
        try (Connection c = factory().createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(q);
            for (int attempt = 1; attempt <= 3; attempt++) {
                Message m = consumer.receive(WAIT_MS);
                assertNotNull(m, "attempt " + attempt);
                assertEquals("poison", ((TextMessage) m).getText());
                assertEquals(attempt, m.getIntProperty("JMSXDeliveryCount"));
                assertEquals(attempt > 1, m.getJMSRedelivered());
                s.recover();
            }
            Message next = consumer.receive(WAIT_MS);
            assertNotNull(next);
            assertEquals("after", ((TextMessage) next).getText(), "the poison message is gone after 3 deliveries");
            next.acknowledge();
        }
        TextMessage dead = receiveOne("DLQ.dl-recover");
        assertEquals("poison", dead.getText());
        assertEquals(3, dead.getIntProperty("JMS_HeraldDeliveryCount"));
        assertEmpty("dl-recover");
    }

    @Test
    void aTransactionRolledBackOnEveryAttemptSendsTheMessageToTheDeadLetterQueue() throws Exception {
        Queue q = new HeraldQueue("dl-rollback");
        send(q, List.of("poison", "after"));
        try (Connection c = factory().createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = s.createConsumer(q);
            for (int attempt = 1; attempt <= 3; attempt++) {
                Message m = consumer.receive(WAIT_MS);
                assertNotNull(m, "attempt " + attempt);
                assertEquals("poison", ((TextMessage) m).getText());
                assertEquals(attempt, m.getIntProperty("JMSXDeliveryCount"));
                s.rollback();
            }
            Message next = consumer.receive(WAIT_MS);
            assertNotNull(next);
            assertEquals("after", ((TextMessage) next).getText(), "the poison message is gone after 3 deliveries");
            s.commit();
        }
        TextMessage dead = receiveOne("DLQ.dl-rollback");
        assertEquals("poison", dead.getText());
        assertEquals(3, dead.getIntProperty("JMS_HeraldDeliveryCount"));
        assertEquals("queue://dl-rollback", dead.getStringProperty("JMS_HeraldOriginalDestination"));
        assertEmpty("dl-rollback");
    }
}
