package io.heraldmq.tck.admin;

import io.heraldmq.admin.DeadLetter;
import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Dead-letter administration, beyond Jakarta Messaging: the messages of a dead-letter queue ({@code DLQ.<name>}, a
 * normal queue whose copies carry {@code JMS_HeraldOriginalDestination}, {@code JMS_HeraldDeliveryCount} and
 * {@code JMS_HeraldFailureReason}) are listed without being consumed, and retrying moves them back where they came
 * from, without the dead-letter properties, and out of the dead-letter queue.
 */
class DeadLetterAdminIT {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    /** Puts dead-letter copies into DLQ.{@code destination} the way the broker's dead-lettering does. */
    private void deadLetter(Session s, String dlq, String original, String... texts) throws JMSException {
        MessageProducer p = s.createProducer(s.createQueue(dlq));
        for (String text : texts) {
            TextMessage m = s.createTextMessage(text);
            if (original != null) {
                m.setStringProperty("JMS_HeraldOriginalDestination", original);
            }
            m.setIntProperty("JMS_HeraldDeliveryCount", 5);
            m.setStringProperty("JMS_HeraldFailureReason", "listener threw for " + text);
            m.setStringProperty("customer", "c-" + text);
            p.send(m);
        }
    }

    private static List<String> texts(MessageConsumer consumer, int count) throws JMSException {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message m = consumer.receive(15_000);
            if (m == null) {
                break;
            }
            out.add(((TextMessage) m).getText());
            assertFalse(m.propertyExists("JMS_HeraldFailureReason"), "dead-letter properties are removed");
            assertEquals("c-" + ((TextMessage) m).getText(), m.getStringProperty("customer"));
        }
        assertNull(consumer.receive(300), "nothing more");
        return out;
    }

    @Test
    void listsDeadLettersWithoutConsumingThem() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url());
             Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            deadLetter(s, "DLQ.dl-orders", "queue://dl-orders", "a", "b");

            List<DeadLetter> listed = admin.listDeadLetters("dl-orders");
            assertEquals(2, listed.size());
            DeadLetter first = listed.get(0);
            assertEquals("a", first.text());
            assertEquals("queue://dl-orders", first.originalDestination());
            assertEquals(5, first.deliveryCount());
            assertEquals("listener threw for a", first.failureReason());
            assertEquals("c-a", first.properties().get("customer"));
            assertTrue(first.messageId().startsWith("ID:"));
            assertTrue(first.timestamp() > 0);
            assertEquals(List.of("a", "b"), admin.listDeadLetters("DLQ.dl-orders").stream().map(DeadLetter::text)
                    .toList(), "the queue's own name works too, and listing consumed nothing");
        }
    }

    @Test
    void retryMovesMessagesBackToTheirOriginalQueueOrTopic() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url());
             Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer events = s.createConsumer(s.createTopic("dl-events"));
            deadLetter(s, "DLQ.dl-work", "queue://dl-work", "x", "y");
            deadLetter(s, "DLQ.dl-work", null, "z"); // no original destination: the queue the DLQ is named after
            deadLetter(s, "DLQ.dl-work", "topic://dl-events", "t");

            assertEquals(4, admin.retryDeadLetters("dl-work"));
            assertTrue(admin.listDeadLetters("dl-work").isEmpty(), "the dead-letter queue is empty");

            MessageConsumer work = s.createConsumer(s.createQueue("dl-work"));
            assertEquals(List.of("x", "y", "z"), texts(work, 3));
            assertEquals(List.of("t"), texts(events, 1));
            assertEquals(0, admin.retryDeadLetters("dl-work"), "nothing left to move");
        }
    }
}
