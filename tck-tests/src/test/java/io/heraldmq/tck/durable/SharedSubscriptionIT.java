package io.heraldmq.tck.durable;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, section 8.3.4 (shared durable subscriptions) and 8.3.3 (shared non-durable subscriptions):
 * a shared subscription's messages are spread over its consumers, each message to exactly one of them; a shared
 * durable subscription keeps what is published while it has no consumer, across a broker restart.
 */
class SharedSubscriptionIT {
    private static final int MESSAGES = 3000;

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private Connection connect() throws JMSException {
        return new HeraldConnectionFactory(broker.url()).createConnection();
    }

    private void publish(String topicName, int from, int to) throws JMSException {
        try (Connection c = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic(topicName));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int n = from; n < to; n++) {
                Message m = s.createMessage();
                m.setIntProperty("n", n);
                p.send(m);
            }
        }
    }

    /** Three consumers on three connections, each counting what it gets; every message must arrive exactly once. */
    private void assertThreeConsumersSplit(String topicName, boolean durable) throws Exception {
        List<Connection> connections = new ArrayList<>();
        Map<Integer, AtomicInteger> seen = new ConcurrentHashMap<>();
        AtomicInteger[] perConsumer = {new AtomicInteger(), new AtomicInteger(), new AtomicInteger()};
        try {
            for (int i = 0; i < 3; i++) {
                Connection c = connect();
                connections.add(c);
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                Topic topic = s.createTopic(topicName);
                MessageConsumer consumer = durable ? s.createSharedDurableConsumer(topic, "split")
                        : s.createSharedConsumer(topic, "split");
                AtomicInteger mine = perConsumer[i];
                consumer.setMessageListener(m -> {
                    try {
                        seen.computeIfAbsent(m.getIntProperty("n"), k -> new AtomicInteger()).incrementAndGet();
                        mine.incrementAndGet();
                    } catch (JMSException e) {
                        throw new RuntimeException(e);
                    }
                });
                c.start();
            }
            publish(topicName, 0, MESSAGES);
            await().atMost(Duration.ofSeconds(60)).until(() -> seen.size() == MESSAGES);
            // Anything duplicated would show up as a count above 1, or as extra deliveries in the per-consumer sums.
            await().during(Duration.ofMillis(500)).atMost(Duration.ofSeconds(10)).until(() ->
                    perConsumer[0].get() + perConsumer[1].get() + perConsumer[2].get() == MESSAGES);
            Set<Integer> expected = new TreeSet<>();
            for (int n = 0; n < MESSAGES; n++) {
                expected.add(n);
                assertEquals(1, seen.get(n).get(), "message " + n + " delivered more than once");
            }
            assertEquals(expected, new TreeSet<>(seen.keySet()));
            for (int i = 0; i < 3; i++) {
                assertTrue(perConsumer[i].get() > 0, "consumer " + i + " got nothing: " + perConsumer[i]
                        + " of " + MESSAGES);
            }
        } finally {
            for (Connection c : connections) {
                c.close();
            }
        }
    }

    @Test
    void sharedDurableSubscriptionWithThreeConsumersSplitsAStreamWithNothingLostOrDuplicated() throws Exception {
        assertThreeConsumersSplit("shared-durable-split", true);
    }

    @Test
    void sharedNonDurableSubscriptionWithThreeConsumersSplitsAStreamWithNothingLostOrDuplicated() throws Exception {
        assertThreeConsumersSplit("shared-split", false);
    }

    @Test
    void sharedDurableSubscriptionKeepsWhatIsPublishedWithoutConsumersAcrossARestart() throws Exception {
        try (Connection c = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createSharedDurableConsumer(s.createTopic("shared-kept"), "kept").close();
        }
        publish("shared-kept", 0, 20);
        broker.restart();
        try (Connection c = connect()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createSharedDurableConsumer(s.createTopic("shared-kept"), "kept");
            for (int n = 0; n < 20; n++) {
                Message m = consumer.receive(10_000);
                assertEquals(n, m == null ? -1 : m.getIntProperty("n"));
            }
            assertNull(consumer.receive(300));
            consumer.close();
            s.unsubscribe("kept");
        }
    }
}
