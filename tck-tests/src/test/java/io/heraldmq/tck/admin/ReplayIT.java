package io.heraldmq.tck.admin;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.HeraldAdminException;
import io.heraldmq.admin.SubscriptionInfo;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * Replay, beyond Jakarta Messaging: an administrator moves a durable subscription (or a queue) to a timestamp, an
 * offset, the beginning or the end of its log, and its next consumer gets exactly the messages from there on. Replayed
 * messages are delivered as new ones: JMSRedelivered false, JMSXDeliveryCount 1 (the move is a new start, not a
 * failure). A subscription with a consumer attached cannot be moved.
 */
class ReplayIT {
    private static final String CLIENT_ID = "replayer";

    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    private Connection connect() throws JMSException {
        Connection c = new HeraldConnectionFactory(broker.url() + "?clientID=" + CLIENT_ID).createConnection();
        c.start();
        return c;
    }

    /** Sends messages n = from..to, each with a JMSTimestamp later than the one before; returns the timestamps. */
    private List<Long> publish(String topic, int from, int to) throws JMSException {
        List<Long> stamps = new ArrayList<>();
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic(topic));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int n = from; n <= to; n++) {
                if (!stamps.isEmpty()) {
                    long last = stamps.get(stamps.size() - 1);
                    await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > last);
                }
                Message m = s.createMessage();
                m.setIntProperty("n", n);
                p.send(m);
                stamps.add(m.getJMSTimestamp());
            }
        }
        return stamps;
    }

    /** Receives exactly {@code count} messages (waiting generously for each), then checks nothing more comes. */
    private static List<Message> receive(MessageConsumer consumer, int count) throws JMSException {
        List<Message> got = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Message m = consumer.receive(15_000);
            if (m == null) {
                break;
            }
            got.add(m);
        }
        assertEquals(count, got.size(), "messages received");
        assertNull(consumer.receive(300), "no message beyond the expected ones");
        return got;
    }

    private static List<Integer> numbers(List<Message> messages) throws JMSException {
        List<Integer> out = new ArrayList<>();
        for (Message m : messages) {
            out.add(m.getIntProperty("n"));
        }
        return out;
    }

    /** Consumes everything the durable subscription has and closes the consumer. */
    private void consumeAll(String topic, String name, int count) throws JMSException {
        try (Connection c = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createDurableConsumer(s.createTopic(topic), name);
            receive(consumer, count);
        }
    }

    private void awaitBacklog(HeraldAdmin admin, String id, long backlog) {
        await().atMost(Duration.ofSeconds(30)).until(() -> admin.listSubscriptions().stream()
                .filter(s -> s.id().equals(id)).mapToLong(SubscriptionInfo::backlog).findFirst().orElse(-1)
                == backlog);
    }

    @Test
    void replayToATimestampRedeliversExactlyTheMessagesFromThatPointAsNewOnes() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            admin.createTopic("replay-ts", 1, -1, -1);
            try (Connection c = connect()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createDurableConsumer(s.createTopic("replay-ts"), "audit").close();
            }
            List<Long> stamps = publish("replay-ts", 0, 5);
            consumeAll("replay-ts", "audit", 6);
            String id = "durable:" + CLIENT_ID + ":audit";
            awaitBacklog(admin, id, 0);

            Map<Integer, Long> moved = admin.seekToTimestamp(id, Instant.ofEpochMilli(stamps.get(3)));
            // the offset itself is the log's: 3 on a single node, more in a cluster, whose leader writes control
            // records (epoch marker, positions) between the messages; what it selects is checked below
            assertEquals(java.util.Set.of(0), moved.keySet());
            assertEquals(3, admin.listSubscriptions("replay-ts").get(0).backlog());

            try (Connection c = connect()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createDurableConsumer(s.createTopic("replay-ts"), "audit");
                List<Message> again = receive(consumer, 3);
                assertEquals(List.of(3, 4, 5), numbers(again));
                for (Message m : again) {
                    assertFalse(m.getJMSRedelivered(), "a replayed message is delivered as a new one");
                    assertEquals(1, m.getIntProperty("JMSXDeliveryCount"));
                }
            }
        }
    }

    @Test
    void seekToBeginningReplaysEverythingAndSeekToEndSkipsTheBacklog() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            admin.createTopic("replay-all", 3, -1, -1);
            try (Connection c = connect()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                s.createDurableConsumer(s.createTopic("replay-all"), "all").close();
            }
            publish("replay-all", 1, 6);
            consumeAll("replay-all", "all", 6);
            String id = "durable:" + CLIENT_ID + ":all";
            awaitBacklog(admin, id, 0);

            assertEquals(3, admin.seekToBeginning(id).size(), "every partition moves");
            try (Connection c = connect()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createDurableConsumer(s.createTopic("replay-all"), "all");
                assertEquals(new TreeSet<>(List.of(1, 2, 3, 4, 5, 6)), new TreeSet<>(numbers(receive(consumer, 6))));
            }
            awaitBacklog(admin, id, 0);

            publish("replay-all", 7, 8);
            awaitBacklog(admin, id, 2);
            admin.seekToEnd(id);
            assertEquals(0, admin.listSubscriptions("replay-all").get(0).backlog());
            try (Connection c = connect()) {
                Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createDurableConsumer(s.createTopic("replay-all"), "all");
                assertNull(consumer.receive(500), "the skipped backlog is not delivered");
                publish("replay-all", 9, 9);
                assertEquals(List.of(9), numbers(receive(consumer, 1)));
            }
        }
    }

    @Test
    void aQueueMovesToAnOffsetInOnePartition() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url());
             Connection c = connect()) {
            admin.createQueue("replay-q", 1, -1, -1);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("replay-q"));
            long stampOfTwo = 0;
            for (int n = 0; n < 4; n++) {
                if (n == 2) {
                    long last = System.currentTimeMillis();
                    await().atMost(Duration.ofSeconds(5)).until(() -> System.currentTimeMillis() > last);
                }
                Message m = s.createMessage();
                m.setIntProperty("n", n);
                p.send(m);
                if (n == 2) {
                    stampOfTwo = m.getJMSTimestamp();
                }
            }
            MessageConsumer consumer = s.createConsumer(s.createQueue("replay-q"));
            assertEquals(List.of(0, 1, 2, 3), numbers(receive(consumer, 4)));
            consumer.close();
            awaitBacklog(admin, "queue:replay-q", 0);

            // Where message 2 is: offset 2 on a single node; in a cluster the leader's control records (epoch
            // marker, positions) take offsets too. Its timestamp finds it; the seek to its offset is the test.
            long offsetOfTwo = admin.seekToTimestamp("queue:replay-q", Instant.ofEpochMilli(stampOfTwo)).get(0);
            admin.seekToEnd("queue:replay-q");
            assertEquals(Map.of(0, offsetOfTwo), admin.seekToOffset("queue:replay-q", 0, offsetOfTwo));
            consumer = s.createConsumer(s.createQueue("replay-q"));
            assertEquals(List.of(2, 3), numbers(receive(consumer, 2)));
        }
    }

    @Test
    void aSubscriptionWithAConsumerAttachedOrAnUnknownOneCannotBeMoved() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url());
             Connection c = connect()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createDurableConsumer(s.createTopic("replay-busy"), "busy");
            HeraldAdminException e = assertThrows(HeraldAdminException.class,
                    () -> admin.seekToBeginning("durable:" + CLIENT_ID + ":busy"));
            assertEquals(ErrorCode.ILLEGAL_STATE, e.code());
            consumer.close();
            admin.seekToBeginning("durable:" + CLIENT_ID + ":busy");

            e = assertThrows(HeraldAdminException.class, () -> admin.seekToEnd("durable:" + CLIENT_ID + ":nope"));
            assertEquals(ErrorCode.INVALID_DESTINATION, e.code());
            e = assertThrows(HeraldAdminException.class,
                    () -> admin.seekToOffset("durable:" + CLIENT_ID + ":busy", 7, 0));
            assertEquals(ErrorCode.INVALID_ARGUMENT, e.code());
        }
    }
}
