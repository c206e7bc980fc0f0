package io.heraldmq.tck.durable;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.IllegalStateException;
import jakarta.jms.InvalidDestinationException;
import jakarta.jms.InvalidDestinationRuntimeException;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Jakarta Messaging 3.1, sections 6.2.9 (unsubscribing a durable subscription) and 8.3/8.4 (durable subscriptions):
 * a durable subscription keeps the messages its selector accepts while nobody consumes, across a broker restart;
 * creating a consumer with another topic, selector or noLocal replaces the subscription (as unsubscribe plus create)
 * unless a consumer is active on it; unsubscribe deletes it, refused while a consumer is active, and an unknown name
 * is an InvalidDestinationException, as is a null topic, whether or not the connection has the client id an unshared
 * durable subscription needs (without one, a valid topic gives IllegalStateException).
 */
class DurableSubscriptionIT {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private Connection connect(String clientId) throws JMSException {
        return new HeraldConnectionFactory(broker.url() + "?clientID=" + clientId).createConnection();
    }

    private void publish(String topicName, String colour, int... numbers) throws JMSException {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic(topicName));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int n : numbers) {
                Message m = s.createMessage();
                m.setStringProperty("colour", colour);
                m.setIntProperty("n", n);
                p.send(m);
            }
        }
    }

    /** Receives exactly these messages (by property n), in order, and then nothing more. */
    private static void assertReceives(MessageConsumer consumer, Integer... expected) throws JMSException {
        List<Integer> got = new ArrayList<>();
        for (int i = 0; i < expected.length; i++) {
            Message m = consumer.receive(10_000);
            if (m == null) {
                break;
            }
            got.add(m.getIntProperty("n"));
        }
        Message extra = consumer.receive(500);
        if (extra != null) {
            got.add(extra.getIntProperty("n"));
        }
        assertEquals(List.of(expected), got);
    }

    @Test
    void survivesARestartWithItsSelectorAndGetsExactlyTheMatchingMissedMessages() throws Exception {
        try (Connection c = connect("dur-restart")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableConsumer(s.createTopic("dur-prices"), "reds", "colour = 'red'", false).close();
        }
        publish("dur-prices", "red", 1, 2);
        publish("dur-prices", "blue", 3, 4);
        publish("dur-prices", "red", 5);

        broker.restart();

        try (Connection c = connect("dur-restart")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            c.start();
            MessageConsumer consumer = s.createDurableConsumer(s.createTopic("dur-prices"), "reds", "colour = 'red'",
                    false);
            assertReceives(consumer, 1, 2, 5);
        }
    }

    @Test
    void anotherSelectorReplacesTheSubscriptionAndStartsAfresh() throws Exception {
        try (Connection c = connect("dur-change")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("dur-change-topic");
            s.createDurableConsumer(t, "sub", "colour = 'red'", false).close();
        }
        publish("dur-change-topic", "red", 1, 2);
        broker.restart();
        try (Connection c = connect("dur-change")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            c.start();
            Topic t = s.createTopic("dur-change-topic");
            // Another selector: the old subscription, with the two messages it kept, is gone.
            MessageConsumer consumer = s.createDurableConsumer(t, "sub", "colour = 'red' OR colour = 'blue'", false);
            assertNull(consumer.receive(500));
            publish("dur-change-topic", "blue", 3);
            assertReceives(consumer, 3);
            consumer.close();
            // The same with another noLocal value, and with another topic.
            publish("dur-change-topic", "red", 4);
            consumer = s.createDurableConsumer(t, "sub", "colour = 'red' OR colour = 'blue'", true);
            assertNull(consumer.receive(500));
            consumer.close();
            publish("dur-change-topic", "red", 5);
            consumer = s.createDurableConsumer(s.createTopic("dur-change-other"), "sub",
                    "colour = 'red' OR colour = 'blue'", true);
            assertNull(consumer.receive(500));
            consumer.close();
            s.unsubscribe("sub");
        }
    }

    @Test
    void changingOrDoublingAnActiveSubscriptionIsRefused() throws Exception {
        try (Connection c = connect("dur-active")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("dur-active-topic");
            MessageConsumer active = s.createDurableConsumer(t, "sub", "colour = 'red'", false);
            assertThrows(JMSException.class, () -> s.createDurableConsumer(t, "sub", "colour = 'blue'", false));
            assertThrows(JMSException.class, () -> s.createDurableConsumer(t, "sub", "colour = 'red'", false));
            // A shared durable subscription may not take the name of this unshared one.
            assertThrows(JMSException.class, () -> s.createSharedDurableConsumer(t, "sub"));
            // The active consumer still works.
            c.start();
            publish("dur-active-topic", "red", 1);
            assertReceives(active, 1);
            active.close();
            s.unsubscribe("sub");
        }
    }

    @Test
    void unsubscribeDeletesTheSubscriptionAndItsMessages() throws Exception {
        try (Connection c = connect("dur-unsub")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("dur-unsub-topic");
            MessageConsumer consumer = s.createDurableConsumer(t, "sub");
            assertThrows(JMSException.class, () -> s.unsubscribe("sub"));
            consumer.close();
            publish("dur-unsub-topic", "red", 1, 2);
            s.unsubscribe("sub");
            assertThrows(InvalidDestinationException.class, () -> s.unsubscribe("sub"));
            c.start();
            // Subscribing again creates a new subscription at the end of the topic: the two messages are gone.
            consumer = s.createDurableConsumer(t, "sub");
            assertNull(consumer.receive(500));
            publish("dur-unsub-topic", "red", 3);
            assertReceives(consumer, 3);
            consumer.close();
            s.unsubscribe("sub");
        }
        broker.restart();
        try (Connection c = connect("dur-unsub")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            // The deletion was stored.
            assertThrows(InvalidDestinationException.class, () -> s.unsubscribe("sub"));
        }
    }

    @Test
    void noLocalDropsMessagesOfTheConnectionThatNowUsesTheClientId() throws Exception {
        for (int round = 0; round < 2; round++) {
            try (Connection c = connect("dur-nolocal")) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Topic t = s.createTopic("dur-nolocal-topic");
                MessageConsumer consumer = s.createDurableConsumer(t, "sub", null, true);
                c.start();
                Message own = s.createMessage();
                own.setIntProperty("n", 100 + round);
                s.createProducer(t).send(own);
                publish("dur-nolocal-topic", "red", round);
                // Each round is a new connection with the same client id: its own message is never delivered.
                assertReceives(consumer, round);
                consumer.close();
            }
        }
        try (Connection c = connect("dur-nolocal")) {
            c.createSession(false, Session.AUTO_ACKNOWLEDGE).unsubscribe("sub");
        }
    }

    /** Section 6.11.1: noLocal drops messages of any connection with the subscription's client id, earlier ones too. */
    @Test
    void noLocalDropsWhatAnEarlierConnectionWithTheClientIdSentMeanwhile() throws Exception {
        try (Connection c = connect("dur-nolocal-earlier")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableConsumer(s.createTopic("dur-nolocal-earlier-topic"), "sub", null, true).close();
        }
        try (Connection sameClient = connect("dur-nolocal-earlier")) {
            Session s = sameClient.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Message m = s.createMessage();
            m.setIntProperty("n", 1);
            s.createProducer(s.createTopic("dur-nolocal-earlier-topic")).send(m);
        }
        publish("dur-nolocal-earlier-topic", "red", 2);
        try (Connection c = connect("dur-nolocal-earlier")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createDurableConsumer(s.createTopic("dur-nolocal-earlier-topic"), "sub",
                    null, true);
            c.start();
            assertReceives(consumer, 2);
            consumer.close();
            s.unsubscribe("sub");
        }
    }

    @Test
    void aNullTopicIsAnInvalidDestinationWhetherOrNotTheClientIdIsSet() throws Exception {
        HeraldConnectionFactory noClientId = new HeraldConnectionFactory(broker.url());
        try (Connection c = noClientId.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThrows(InvalidDestinationException.class, () -> s.createDurableConsumer(null, "sub"));
            assertThrows(InvalidDestinationException.class, () -> s.createDurableSubscriber(null, "sub", null, false));
            // With a valid topic, the missing client id is what is wrong.
            assertThrows(IllegalStateException.class, () -> s.createDurableConsumer(s.createTopic("t"), "sub"));
        }
        try (JMSContext ctx = noClientId.createContext()) {
            assertThrows(InvalidDestinationRuntimeException.class, () -> ctx.createDurableConsumer(null, "sub"));
            assertThrows(InvalidDestinationRuntimeException.class,
                    () -> ctx.createDurableConsumer(null, "sub", null, false));
        }
    }

    @Test
    void unsubscribeOfAnUnknownNameIsAnInvalidDestination() throws Exception {
        try (Connection c = connect("dur-unknown")) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThrows(InvalidDestinationException.class, () -> s.unsubscribe("never-created"));
        }
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertThrows(InvalidDestinationException.class, () -> s.unsubscribe("never-created"));
        }
    }

    @Test
    void sharedDurableSubscriptionRefusesAnotherSelectorWhileActiveAndCanBeUnsubscribed() throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic t = s.createTopic("dur-shared-topic");
            MessageConsumer first = s.createSharedDurableConsumer(t, "shared", "colour = 'red'");
            MessageConsumer second = s.createSharedDurableConsumer(t, "shared", "colour = 'red'");
            assertThrows(JMSException.class, () -> s.createSharedDurableConsumer(t, "shared", "colour = 'blue'"));
            assertThrows(JMSException.class,
                    () -> s.createSharedDurableConsumer(s.createTopic("dur-shared-other"), "shared", "colour = 'red'"));
            assertThrows(JMSException.class, () -> s.unsubscribe("shared"));
            first.close();
            second.close();
            publish("dur-shared-topic", "red", 1);
            s.unsubscribe("shared");
            c.start();
            MessageConsumer again = s.createSharedDurableConsumer(t, "shared", "colour = 'red'");
            assertNull(again.receive(500));
            again.close();
            s.unsubscribe("shared");
        }
    }
}
