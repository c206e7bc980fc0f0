package io.heraldmq.tck.message;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.SubscriptionInfo;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Jakarta Messaging 3.1, section 3.4.9 (JMSExpiration): "When the GMT time specified in JMSExpiration is reached, the
 * provider should discard the message": a message whose time to live has passed before a consumer takes it is not
 * delivered. HeraldMQ skips it in dispatch and counts it per subscription; administration shows the count
 * ({@code expired}, in memory since the subscription opened).
 */
class ExpiredMessagesIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static final long TTL_MS = 200;

    private static HeraldConnectionFactory factory() {
        return new HeraldConnectionFactory(broker.url());
    }

    /** Sends "short-i" with a 200 ms time to live and "long-i" with none, interleaved. */
    private static long send(Session s, jakarta.jms.Destination d) throws Exception {
        MessageProducer p = s.createProducer(d);
        long sentAt = System.currentTimeMillis();
        for (int i = 0; i < 3; i++) {
            p.setTimeToLive(TTL_MS);
            p.send(s.createTextMessage("short-" + i));
            p.setTimeToLive(0);
            p.send(s.createTextMessage("long-" + i));
        }
        return sentAt;
    }

    private static List<String> receiveAll(MessageConsumer consumer) throws Exception {
        List<String> got = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            TextMessage m = (TextMessage) consumer.receive(30_000);
            assertNotNull(m, "message " + i);
            got.add(m.getText());
        }
        assertNull(consumer.receive(500), "the expired ones are not delivered");
        return got;
    }

    private static SubscriptionInfo subscription(HeraldAdmin admin, String id) {
        return admin.listSubscriptions().stream().filter(i -> i.id().equals(id)).findFirst().orElseThrow();
    }

    @Test
    void aQueueSkipsMessagesThatExpiredWhileNobodyConsumedAndCountsThem() throws Exception {
        try (Connection c = factory().createConnection(); HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            long sentAt = send(s, s.createQueue("exp-queue"));
            // The broker expires by wall clock: wait until the time to live has certainly passed.
            await().atMost(Duration.ofSeconds(30)).until(() -> System.currentTimeMillis() > sentAt + TTL_MS * 2);
            c.start();
            MessageConsumer consumer = s.createConsumer(s.createQueue("exp-queue"));
            assertEquals(List.of("long-0", "long-1", "long-2"), receiveAll(consumer));
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() ->
                    assertEquals(3, subscription(admin, "queue:exp-queue").expired()));
        }
    }

    @Test
    void aDurableSubscriptionSkipsAndCountsThemToo() throws Exception {
        try (Connection c = factory().createConnection(); HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            c.setClientID("exp-app");
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            jakarta.jms.Topic topic = s.createTopic("exp-topic");
            MessageConsumer consumer = s.createDurableSubscriber(topic, "exp-sub");
            long sentAt = send(s, topic);
            await().atMost(Duration.ofSeconds(30)).until(() -> System.currentTimeMillis() > sentAt + TTL_MS * 2);
            c.start();
            assertEquals(List.of("long-0", "long-1", "long-2"), receiveAll(consumer));
            SubscriptionInfo info = subscription(admin, "durable:exp-app:exp-sub");
            assertEquals(3, info.expired());
            assertTrue(admin.listSubscriptions().stream().filter(i -> !i.id().startsWith("durable:exp-app")
                    && !i.id().equals("queue:exp-queue")).allMatch(i -> i.expired() == 0));
        }
    }
}
