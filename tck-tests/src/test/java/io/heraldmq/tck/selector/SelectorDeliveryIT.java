package io.heraldmq.tck.selector;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.InvalidSelectorException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** Spec 3.8 (message selection): the broker delivers only matching messages; a bad selector fails at creation. */
class SelectorDeliveryIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @Test
    void topicSubscriberGetsOnlyMatchingMessages() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("selected");
            MessageConsumer reds = s.createConsumer(t, "colour = 'red' AND weight BETWEEN 2 AND 5");
            MessageConsumer all = s.createConsumer(t);
            c.start();
            MessageProducer p = s.createProducer(t);
            String[] colours = {"red", "blue", "red", "red"};
            int[] weights = {3, 3, 9, 5};
            for (int i = 0; i < colours.length; i++) {
                Message m = s.createMessage();
                m.setStringProperty("colour", colours[i]);
                m.setIntProperty("weight", weights[i]);
                m.setIntProperty("n", i);
                p.send(m);
            }
            assertEquals(0, reds.receive(10_000).getIntProperty("n"));
            assertEquals(3, reds.receive(10_000).getIntProperty("n"));
            assertNull(reds.receive(200));
            for (int i = 0; i < colours.length; i++) {
                assertEquals(i, all.receive(10_000).getIntProperty("n"));
            }
        }
    }

    @Test
    void invalidSelectorIsRefusedAtCreation() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            InvalidSelectorException e = assertThrows(InvalidSelectorException.class,
                    () -> s.createConsumer(s.createTopic("selected"), "colour = = 'red'"));
            assertEquals(true, e.getMessage().contains("colour"), e.getMessage());
            // The session is still usable.
            s.createConsumer(s.createTopic("selected"), "colour = 'red'").close();
        }
    }

    @Test
    void comparingLiteralsOfUnlikeTypesIsRefusedAtCreation() throws Exception {
        // Section 3.8.1.2: only like types can be compared; with two literals that is known before any message.
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (String selector : new String[] {"TRUE = 0", "FALSE <> 1", "'1' = 1", "(a = 1) = 'x'"}) {
                assertThrows(InvalidSelectorException.class,
                        () -> s.createConsumer(s.createQueue("selected-q"), selector), selector);
            }
        }
    }
}
