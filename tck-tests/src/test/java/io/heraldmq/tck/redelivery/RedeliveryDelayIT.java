package io.heraldmq.tck.redelivery;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.jms.HeraldQueue;
import io.heraldmq.server.junit.BrokerExtension;
import io.heraldmq.server.meta.DeadLetterSettings;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Redelivery delay with exponential backoff. Jakarta Messaging 3.1, section 3.4.7 (JMSRedelivered) and 3.5.11
 * (JMSXDeliveryCount): a message that comes back is redelivered with both set; when, is up to the provider. HeraldMQ
 * waits {@code delay * multiplier^(redeliveries - 1)} (capped) before each redelivery, and the messages behind the
 * waiting one are delivered meanwhile. Only "not before" is asserted: later is always allowed.
 */
class RedeliveryDelayIT {
    @RegisterExtension
    static final BrokerExtension broker = BrokerExtension.withSettings(Map.of("redelivery.delay.ms", "100"));

    private static final long WAIT_MS = 30_000;
    private static final long BACKOFF_DELAY_MS = 300;

    @BeforeAll
    static void settings() throws Exception {
        DeadLetterSettingsSupport.store(broker,
                new DeadLetterSettings(true, "delay-backoff", 4, BACKOFF_DELAY_MS, 2.0, 10_000, null),
                new DeadLetterSettings(true, "delay-flow", -1, 60_000, 2.0, 60_000, null),
                new DeadLetterSettings(true, "delay-rollback", -1, 60_000, 2.0, 60_000, null));
    }

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

    private record Attempt(int count, long receivedAt, long failedAt) {
    }

    @Test
    void eachRedeliveryWaitsTheBackoffAndTheWaitGrows() throws Exception {
        Queue q = new HeraldQueue("delay-backoff");
        send(q, "poison");
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(q).setMessageListener(m -> {
                long received = System.currentTimeMillis();
                int count;
                try {
                    count = m.getIntProperty("JMSXDeliveryCount");
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
                attempts.add(new Attempt(count, received, System.currentTimeMillis()));
                throw new RuntimeException("attempt " + count);
            });
            c.start();
            await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> attempts.size() == 4);
            TextMessage dead;
            try (Connection d = factory().createConnection()) {
                d.start();
                MessageConsumer dlq = d.createSession(false, Session.AUTO_ACKNOWLEDGE)
                        .createConsumer(new HeraldQueue("DLQ.delay-backoff"));
                dead = (TextMessage) dlq.receive(WAIT_MS);
            }
            assertNotNull(dead, "dead-lettered after 4 attempts");
            assertEquals(4, dead.getIntProperty("JMS_HeraldDeliveryCount"));
            assertEquals("attempt 4", dead.getStringProperty("JMS_HeraldFailureReason")
                    .replaceFirst(".*RuntimeException: ", ""));
        }
        for (int i = 1; i < attempts.size(); i++) {
            Attempt before = attempts.get(i - 1);
            Attempt now = attempts.get(i);
            assertEquals(i + 1, now.count());
            long backoff = BACKOFF_DELAY_MS << (i - 1); // 300, 600, 1200
            long waited = now.receivedAt() - before.failedAt();
            assertTrue(waited >= backoff, "redelivery " + i + " came after " + waited + " ms, before its "
                    + backoff + " ms backoff");
        }
    }

    @Test
    void theMessagesBehindAWaitingRedeliveryAreDeliveredMeanwhile() throws Exception {
        Queue q = new HeraldQueue("delay-flow");
        send(q, "poison", "a", "b", "c");
        Set<String> consumed = ConcurrentHashMap.newKeySet();
        List<Integer> poisonCounts = new CopyOnWriteArrayList<>();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(q).setMessageListener(m -> {
                try {
                    String text = ((TextMessage) m).getText();
                    if (text.equals("poison")) {
                        poisonCounts.add(m.getIntProperty("JMSXDeliveryCount"));
                        throw new RuntimeException("not now");
                    }
                    consumed.add(text);
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            c.start();
            await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> consumed.size() == 3);
            // The redelivery is a minute away: everything behind the poison message went past it.
            assertEquals(List.of(1), poisonCounts);
            send(q, "d");
            await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> consumed.contains("d"));
            assertEquals(List.of(1), poisonCounts);
        }
    }

    @Test
    void theBrokerWideDelayAppliesToDestinationsWithoutSettings() throws Exception {
        Queue q = new HeraldQueue("delay-default");
        send(q, "once-more");
        List<Attempt> attempts = new CopyOnWriteArrayList<>();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createConsumer(q).setMessageListener(m -> {
                long received = System.currentTimeMillis();
                int count;
                try {
                    count = m.getIntProperty("JMSXDeliveryCount");
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
                attempts.add(new Attempt(count, received, System.currentTimeMillis()));
                if (count == 1) {
                    throw new RuntimeException("first time fails");
                }
            });
            c.start();
            await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> attempts.size() == 2);
        }
        long waited = attempts.get(1).receivedAt() - attempts.get(0).failedAt();
        assertTrue(waited >= 100, "redelivered after " + waited + " ms, before redelivery.delay.ms");
    }

    @Test
    void aRolledBackMessageWaitsItsDelayWhileTheNextOneIsDelivered() throws Exception {
        Queue q = new HeraldQueue("delay-rollback");
        send(q, "first", "second");
        try (Connection c = factory().createConnection()) {
            c.start();
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = s.createConsumer(q);
            TextMessage first = (TextMessage) consumer.receive(WAIT_MS);
            assertNotNull(first);
            assertEquals("first", first.getText());
            s.rollback();
            // "first" is a minute away from its redelivery; "second" does not wait for it.
            TextMessage next = (TextMessage) consumer.receive(WAIT_MS);
            assertNotNull(next);
            assertEquals("second", next.getText());
            assertEquals(1, next.getIntProperty("JMSXDeliveryCount"));
            s.commit();
        }
    }
}
