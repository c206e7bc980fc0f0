package io.heraldmq.tck.admin;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.HeraldAdminException;
import io.heraldmq.admin.SubscriptionInfo;
import io.heraldmq.admin.TopicInfo;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Administration, beyond Jakarta Messaging: destinations are created with partitions and retention, listed with size
 * and message count, and deleted with their subscriptions (refused while consumers are attached, unless forced);
 * subscriptions are listed with consumers and backlog and deleted; unknown names and bad arguments are clear errors.
 */
class AdminIT {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private Connection connect(String clientId) throws JMSException {
        Connection c = new HeraldConnectionFactory(broker.url() + "?clientID=" + clientId).createConnection();
        c.start();
        return c;
    }

    private void send(String destination, boolean queue, int count) throws JMSException {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(queue ? s.createQueue(destination) : s.createTopic(destination));
            for (int i = 0; i < count; i++) {
                p.send(s.createTextMessage("m" + i));
            }
        }
    }

    private static Optional<TopicInfo> topic(HeraldAdmin admin, String name) {
        return admin.listTopics().stream().filter(t -> t.name().equals(name)).findFirst();
    }

    private static Optional<SubscriptionInfo> subscription(HeraldAdmin admin, String id) {
        return admin.listSubscriptions().stream().filter(s -> s.id().equals(id)).findFirst();
    }

    private static ErrorCode code(Runnable call) {
        return assertThrows(HeraldAdminException.class, call::run).code();
    }

    @Test
    void createdTopicsAreListedWithPartitionsRetentionSizeAndMessagesAndSurviveARestart() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            admin.createTopic("adm-orders", 3, 86_400_000, 1 << 20);
            admin.createQueue("adm-work", 1, -1, -1);
            send("adm-orders", false, 5);
            send("adm-work", true, 2);

            TopicInfo orders = topic(admin, "adm-orders").orElseThrow();
            assertFalse(orders.queue());
            assertEquals(3, orders.partitions());
            assertEquals(86_400_000, orders.retentionMs());
            assertEquals(1 << 20, orders.retentionBytes());
            assertEquals(5, orders.messages());
            assertTrue(orders.sizeBytes() > 0, "size on disk");
            TopicInfo work = topic(admin, "adm-work").orElseThrow();
            assertTrue(work.queue());
            assertEquals(2, work.messages());

            assertEquals(ErrorCode.ILLEGAL_STATE, code(() -> admin.createTopic("adm-orders", 1, -1, -1)));
        }
        broker.restart();
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            TopicInfo orders = topic(admin, "adm-orders").orElseThrow();
            assertEquals(3, orders.partitions());
            assertEquals(86_400_000, orders.retentionMs());
            assertEquals(5, orders.messages());
        }
    }

    @Test
    void badArgumentsAndUnknownNamesAreClearErrors() {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            assertEquals(ErrorCode.INVALID_ARGUMENT, code(() -> admin.createTopic("adm-bad", 100_000, -1, -1)));
            assertEquals(ErrorCode.INVALID_ARGUMENT, code(() -> admin.createTopic("adm-bad", 1, 0, -1)));
            assertEquals(ErrorCode.INVALID_ARGUMENT, code(() -> admin.createTopic("", 1, -1, -1)));
            HeraldAdminException e = assertThrows(HeraldAdminException.class,
                    () -> admin.deleteTopic("adm-missing", false));
            assertEquals(ErrorCode.INVALID_DESTINATION, e.code());
            assertTrue(e.getMessage().contains("adm-missing"), e.getMessage());
            assertEquals(ErrorCode.INVALID_DESTINATION, code(() -> admin.deleteQueue("adm-missing", true)));
            assertEquals(ErrorCode.INVALID_DESTINATION, code(() -> admin.deleteSubscription("durable:x:missing")));
            assertEquals(ErrorCode.INVALID_DESTINATION, code(() -> admin.listDeadLetters("adm-missing")));
            assertFalse(topic(admin, "adm-missing").isPresent(), "asking about it did not create it");
        }
    }

    @Test
    void anUnreachableBrokerIsAnErrorWithoutCode() {
        HeraldAdminException e = assertThrows(HeraldAdminException.class, () -> HeraldAdmin.connect(
                "tcp://127.0.0.1:1"));
        assertEquals(null, e.code());
        e = assertThrows(HeraldAdminException.class, () -> HeraldAdmin.connect("http://nowhere"));
        assertEquals(null, e.code());
    }

    @Test
    void subscriptionsAreListedWithConsumersAndBacklogAndCanBeDeleted() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url());
             Connection c = connect("adm-client")) {
            admin.createTopic("adm-prices", 2, -1, -1);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableConsumer(s.createTopic("adm-prices"), "watch", "colour = 'red'", false).close();
            send("adm-prices", false, 4);
            send("adm-jobs", true, 3);

            String id = "durable:adm-client:watch";
            SubscriptionInfo watch = subscription(admin, id).orElseThrow();
            assertEquals("adm-prices", watch.topic());
            assertEquals("watch", watch.name());
            assertEquals("adm-client", watch.clientId());
            assertTrue(watch.durable());
            assertFalse(watch.shared());
            assertEquals("colour = 'red'", watch.selector());
            assertEquals(0, watch.consumers());
            assertEquals(4, watch.backlog(), "messages behind, not yet filtered");
            assertEquals(2, watch.backlogByPartition().size());
            assertEquals(4, watch.backlogByPartition().values().stream().mapToLong(Long::longValue).sum());

            SubscriptionInfo jobs = subscription(admin, "queue:adm-jobs").orElseThrow();
            assertTrue(jobs.queue());
            assertEquals(3, jobs.backlog());

            MessageConsumer consumer = s.createDurableConsumer(s.createTopic("adm-prices"), "watch",
                    "colour = 'red'", false);
            MessageConsumer nonDurable = s.createConsumer(s.createTopic("adm-prices"));
            assertEquals(1, subscription(admin, id).orElseThrow().consumers());
            await().atMost(Duration.ofSeconds(30)).until(() -> subscription(admin, id).orElseThrow().backlog() == 0);
            assertEquals(2, admin.listSubscriptions("adm-prices").size(), "the durable one and the private one");
            assertEquals(ErrorCode.ILLEGAL_STATE, code(() -> admin.deleteSubscription(id)));
            consumer.close();
            nonDurable.close();
            admin.deleteSubscription(id);
            assertFalse(subscription(admin, id).isPresent());
            assertEquals(ErrorCode.INVALID_DESTINATION, code(() -> admin.deleteSubscription("queue:adm-jobs")));
        }
    }

    @Test
    void deletingATopicIsRefusedWhileConsumersAreAttachedUnlessForcedAndTakesItsSubscriptions() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url());
             Connection c = connect("adm-del")) {
            admin.createTopic("adm-gone", 2, -1, -1);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableConsumer(s.createTopic("adm-gone"), "keep").close();
            send("adm-gone", false, 3);
            MessageConsumer consumer = s.createConsumer(s.createTopic("adm-gone"));

            assertEquals(ErrorCode.ILLEGAL_STATE, code(() -> admin.deleteTopic("adm-gone", false)));
            assertTrue(topic(admin, "adm-gone").isPresent());
            admin.deleteTopic("adm-gone", true);
            consumer.close();
            assertFalse(topic(admin, "adm-gone").isPresent());
            assertTrue(admin.listSubscriptions("adm-gone").isEmpty(), "its subscriptions went with it");

            // A later send creates it anew, empty but for that message.
            send("adm-gone", false, 1);
            TopicInfo again = topic(admin, "adm-gone").orElseThrow();
            assertEquals(1, again.messages());

            admin.createQueue("adm-q", 1, -1, -1);
            send("adm-q", true, 2);
            admin.deleteQueue("adm-q", false);
            assertFalse(topic(admin, "adm-q").isPresent());
            admin.createQueue("adm-q", 1, -1, -1);
            SubscriptionInfo q = subscription(admin, "queue:adm-q").orElseThrow();
            assertEquals(0, q.backlog(), "a queue created anew starts empty");
            assertNotNull(topic(admin, "adm-q").orElseThrow());
        }
    }
}
