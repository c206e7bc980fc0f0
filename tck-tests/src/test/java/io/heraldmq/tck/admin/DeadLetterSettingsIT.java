package io.heraldmq.tck.admin;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.HeraldAdminException;
import io.heraldmq.admin.RedeliverySettings;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.function.Executable;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-destination redelivery and dead-letter settings through administration (beyond Jakarta Messaging, which leaves
 * poison messages to the provider; see section 3.5.11, JMSXDeliveryCount): an administrator changes a destination's
 * max delivery attempts, delays and dead-letter queue on the running broker; the change applies at once, is kept in
 * the metadata store across a restart, and bad values or unknown destinations are refused with a clear error.
 */
class DeadLetterSettingsIT {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private static final long WAIT_MS = 30_000;

    private HeraldConnectionFactory factory() {
        return new HeraldConnectionFactory(broker.url());
    }

    /** A listener that always throws on "poison": the message goes to the DLQ after max delivery attempts. */
    private List<Integer> poisonDeliveries(String queue) throws Exception {
        List<Integer> counts = new CopyOnWriteArrayList<>();
        List<String> good = new CopyOnWriteArrayList<>();
        try (Connection c = factory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(queue);
            s.createProducer(q).send(s.createTextMessage("poison"));
            s.createProducer(q).send(s.createTextMessage("good"));
            s.createConsumer(q).setMessageListener(m -> {
                try {
                    if (((TextMessage) m).getText().equals("poison")) {
                        counts.add(m.getIntProperty("JMSXDeliveryCount"));
                        throw new RuntimeException("cannot digest");
                    }
                    good.add(((TextMessage) m).getText());
                } catch (JMSException e) {
                    throw new IllegalStateException(e);
                }
            });
            c.start();
            await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> good.size() == 1);
            TextMessage dead = receiveOne(c, "DLQ." + queue);
            assertEquals("poison", dead.getText());
            assertEquals(counts.size(), dead.getIntProperty("JMS_HeraldDeliveryCount"));
        }
        // The original is settled only after its copy is stored, so the copy can be read first; a restart before
        // the settle would deliver the original again (duplicate, never loss). Wait for it.
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            await().atMost(Duration.ofMillis(WAIT_MS)).until(() -> admin.listSubscriptions(queue).stream()
                    .filter(i -> i.id().equals("queue:" + queue)).allMatch(i -> i.backlog() == 0));
        }
        return counts;
    }

    private static TextMessage receiveOne(Connection c, String queue) throws JMSException {
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
        TextMessage m = (TextMessage) consumer.receive(WAIT_MS);
        assertNotNull(m, "expected a message in " + queue);
        consumer.close();
        return m;
    }

    @Test
    void loweredMaxAttemptsDeadLetterAPoisonMessageAfterTwoDeliveriesAndSurviveARestart() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            admin.createQueue("dls-orders", 1, -1, -1);
            RedeliverySettings before = admin.redeliverySettings(true, "dls-orders");
            assertFalse(before.own(), "no settings of its own yet");
            assertEquals(10, before.maxDeliveryAttempts(), "the broker's default");
            assertEquals("DLQ.dls-orders", before.deadLetterQueue());

            RedeliverySettings after = admin.updateRedeliverySettings(true, "dls-orders", 2, null, null, null, null);
            assertTrue(after.own());
            assertEquals(2, after.maxDeliveryAttempts());
            assertEquals(before.redeliveryDelayMs(), after.redeliveryDelayMs(), "values not given stay");
            assertEquals(before.multiplier(), after.multiplier());
        }
        assertEquals(List.of(1, 2), poisonDeliveries("dls-orders"));

        broker.restart();

        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            RedeliverySettings kept = admin.redeliverySettings(true, "dls-orders");
            assertTrue(kept.own());
            assertEquals(2, kept.maxDeliveryAttempts());
        }
        assertEquals(List.of(1, 2), poisonDeliveries("dls-orders"), "the limit holds after the restart");
    }

    @Test
    void aChangeAppliesAtOnceToWhatAnAttachedConsumerGivesBackAndNamesTheDeadLetterQueue() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url());
             Connection c = factory().createConnection()) {
            admin.createQueue("dls-live", 1, -1, -1);
            c.start();
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Queue q = s.createQueue("dls-live");
            s.createProducer(q).send(s.createTextMessage("poison"));
            MessageConsumer consumer = s.createConsumer(q);
            assertNotNull(consumer.receive(WAIT_MS));

            // The consumer's subscription is open under the default limit (10): the new limit applies to it at once.
            admin.updateRedeliverySettings(true, "dls-live", 1, null, null, null, "dls-live-bin");
            s.close(); // gives the unacknowledged delivery back, counted
            Session other = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage dead = (TextMessage) other.createConsumer(other.createQueue("dls-live-bin")).receive(WAIT_MS);
            assertNotNull(dead, "dead-lettered into the named queue");
            assertEquals("poison", dead.getText());
            assertNull(other.createConsumer(q).receive(500), "not redelivered");
        }
    }

    @Test
    void unknownDestinationsAndBadValuesAreRefused() {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            admin.createTopic("dls-topic", 1, -1, -1);
            assertRefused(ErrorCode.INVALID_DESTINATION, "queue 'dls-topic' does not exist",
                    () -> admin.redeliverySettings(true, "dls-topic"));
            assertRefused(ErrorCode.INVALID_DESTINATION, "topic 'dls-none' does not exist",
                    () -> admin.updateRedeliverySettings(false, "dls-none", 3, null, null, null, null));
            assertRefused(ErrorCode.INVALID_ARGUMENT, "max delivery attempts must be at least 1",
                    () -> admin.updateRedeliverySettings(false, "dls-topic", 0, null, null, null, null));
            assertRefused(ErrorCode.INVALID_ARGUMENT, "multiplier must be at least 1.0",
                    () -> admin.updateRedeliverySettings(false, "dls-topic", null, null, 0.5, null, null));
            assertRefused(ErrorCode.INVALID_ARGUMENT, "must not be negative",
                    () -> admin.updateRedeliverySettings(false, "dls-topic", null, -1L, null, null, null));
            assertRefused(ErrorCode.INVALID_ARGUMENT, "must not be below the redelivery delay",
                    () -> admin.updateRedeliverySettings(false, "dls-topic", null, 5_000L, null, 1_000L, null));
            assertFalse(admin.redeliverySettings(false, "dls-topic").own(), "nothing was stored");
        }
    }

    private static void assertRefused(ErrorCode code, String text, Executable call) {
        HeraldAdminException e = assertThrows(HeraldAdminException.class, call);
        assertEquals(code, e.code(), e.getMessage());
        assertTrue(e.getMessage().contains(text), e.getMessage());
    }
}
