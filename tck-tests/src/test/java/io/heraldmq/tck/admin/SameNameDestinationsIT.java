package io.heraldmq.tck.admin;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.RedeliverySettings;
import io.heraldmq.admin.SubscriptionInfo;
import io.heraldmq.admin.TopicInfo;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, section 4.11 (Destination): queues and topics are separate kinds of destination, so a queue
 * and a topic may have the same name. Each keeps its own partitions, retention, redelivery settings, subscriptions
 * and persistent messages, also across a broker restart (the metadata store keys destinations by kind and name),
 * and deleting one leaves the other alone.
 */
class SameNameDestinationsIT {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private static final String NAME = "same-x";
    private static final long WAIT_MS = 30_000;

    private HeraldConnectionFactory factory() {
        return new HeraldConnectionFactory(broker.url());
    }

    private TopicInfo info(HeraldAdmin admin, boolean queue) {
        for (TopicInfo t : admin.listTopics()) {
            if (t.queue() == queue && t.name().equals(NAME)) {
                return t;
            }
        }
        return null;
    }

    private static List<String> receiveAll(MessageConsumer consumer, int n) throws Exception {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            TextMessage m = (TextMessage) consumer.receive(WAIT_MS);
            assertNotNull(m, "message " + i + " of " + n);
            out.add(m.getText());
        }
        assertNull(consumer.receiveNoWait(), "nothing more");
        return out;
    }

    @Test
    void aQueueAndATopicOfOneNameKeepTheirOwnSettingsAndMessagesAcrossARestart() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            admin.createQueue(NAME, 2, 3_600_000, -1);
            admin.createTopic(NAME, 3, -1, 50_000_000);
            admin.updateRedeliverySettings(true, NAME, 4, null, null, null, null);
            admin.updateRedeliverySettings(false, NAME, 6, null, null, null, "topic-bin");
        }
        try (Connection c = factory().createConnection()) {
            c.setClientID("same-app");
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableSubscriber(s.createTopic(NAME), "feed").close();
            MessageProducer toQueue = s.createProducer(s.createQueue(NAME));
            MessageProducer toTopic = s.createProducer(s.createTopic(NAME));
            toQueue.setDeliveryMode(DeliveryMode.PERSISTENT);
            toTopic.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < 3; i++) {
                toQueue.send(s.createTextMessage("queue-" + i));
            }
            for (int i = 0; i < 2; i++) {
                toTopic.send(s.createTextMessage("topic-" + i));
            }
        }

        broker.restart();

        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            TopicInfo queue = info(admin, true);
            TopicInfo topic = info(admin, false);
            assertNotNull(queue, "the queue came back");
            assertNotNull(topic, "the topic came back");
            assertEquals(2, queue.partitions());
            assertEquals(3_600_000, queue.retentionMs());
            assertEquals(3, queue.messages());
            assertEquals(3, topic.partitions());
            assertEquals(50_000_000, topic.retentionBytes());
            assertEquals(2, topic.messages());
            RedeliverySettings queueSettings = admin.redeliverySettings(true, NAME);
            RedeliverySettings topicSettings = admin.redeliverySettings(false, NAME);
            assertEquals(4, queueSettings.maxDeliveryAttempts());
            assertEquals("DLQ." + NAME, queueSettings.deadLetterQueue());
            assertEquals(6, topicSettings.maxDeliveryAttempts());
            assertEquals("topic-bin", topicSettings.deadLetterQueue());
        }
        try (Connection c = factory().createConnection()) {
            c.setClientID("same-app");
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            List<String> fromQueue = receiveAll(s.createConsumer(s.createQueue(NAME)), 3);
            fromQueue.sort(null); // two partitions: order holds per partition only
            assertEquals(List.of("queue-0", "queue-1", "queue-2"), fromQueue);
            List<String> fromTopic = receiveAll(s.createDurableSubscriber(s.createTopic(NAME), "feed"), 2);
            fromTopic.sort(null);
            assertEquals(List.of("topic-0", "topic-1"), fromTopic);
        }
    }

    @Test
    void deletingTheQueueLeavesTheTopicOfTheSameNameAndItsDurableSubscription() throws Exception {
        try (Connection c = factory().createConnection()) {
            c.setClientID("same-del");
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableSubscriber(s.createTopic(NAME), "keep").close();
            s.createProducer(s.createQueue(NAME)).send(s.createTextMessage("q"));
            s.createProducer(s.createTopic(NAME)).send(s.createTextMessage("t"));
        }
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            admin.updateRedeliverySettings(false, NAME, 5, null, null, null, null);
            admin.deleteQueue(NAME, false);
            assertNull(info(admin, true));
            assertNotNull(info(admin, false));
        }

        broker.restart();

        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            assertNull(info(admin, true), "the deleted queue stays deleted");
            List<String> ids = admin.listSubscriptions(NAME).stream().map(SubscriptionInfo::id).toList();
            assertTrue(ids.contains("durable:same-del:keep"), ids.toString());
            assertEquals(5, admin.redeliverySettings(false, NAME).maxDeliveryAttempts(),
                    "the topic's settings stay");
        }
        try (Connection c = factory().createConnection()) {
            c.setClientID("same-del");
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            assertEquals(List.of("t"), receiveAll(s.createDurableSubscriber(s.createTopic(NAME), "keep"), 1));
        }
    }
}
