package io.heraldmq.tck.delivery;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

/** Spec 4.2 (publish/subscribe): every subscriber of a topic gets every message, in the order sent. */
class TopicFanOutIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @ParameterizedTest
    @ValueSource(ints = {DeliveryMode.PERSISTENT, DeliveryMode.NON_PERSISTENT})
    void everySubscriberGetsEveryMessageInOrder(int deliveryMode) throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        int count = 2000;
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = s.createTopic("fanout-" + deliveryMode);
            MessageConsumer pulled = s.createConsumer(topic);
            Session listenerSession = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            List<String> pushed = Collections.synchronizedList(new ArrayList<>());
            listenerSession.createConsumer(topic).setMessageListener(m -> {
                try {
                    pushed.add(((TextMessage) m).getText());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            c.start();
            Session ps = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = ps.createProducer(topic);
            p.setDeliveryMode(deliveryMode);
            for (int i = 0; i < count; i++) {
                p.send(ps.createTextMessage("m" + i));
            }
            for (int i = 0; i < count; i++) {
                TextMessage m = (TextMessage) pulled.receive(10_000);
                assertEquals("m" + i, m.getText());
                assertEquals(topic, m.getJMSDestination());
                assertEquals(deliveryMode, m.getJMSDeliveryMode());
            }
            await().until(() -> pushed.size() >= count);
            for (int i = 0; i < count; i++) {
                assertEquals("m" + i, pushed.get(i));
            }
            assertNull(pulled.receiveNoWait());
            assertEquals(count, pushed.size());
        }
    }

    @Test
    void subscriberSeesOnlyMessagesPublishedAfterItSubscribed() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic topic = s.createTopic("late-subscriber");
            MessageProducer p = s.createProducer(topic);
            p.send(s.createTextMessage("before"));
            MessageConsumer consumer = s.createConsumer(topic);
            p.send(s.createTextMessage("after"));
            c.start();
            assertEquals("after", ((TextMessage) consumer.receive(10_000)).getText());
            assertNull(consumer.receive(200));
        }
    }
}
