package io.heraldmq.server.partition;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.admin.HeraldAdminException;
import io.heraldmq.admin.SubscriptionInfo;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.server.Main;
import io.heraldmq.server.junit.BrokerExtension;
import io.heraldmq.server.junit.TestClock;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Per-subscription retention (issue 5) on a real broker with tiny segments and a test clock: a closed segment goes
 * only once the topic's time limit (1 hour here) lets it go and every subscription has acknowledged it or kept it
 * longer than its own retention (1 day by default here). Days pass by moving the clock, not by waiting.
 *
 * <p>That a segment is still there is checked only after a topic with no subscription ("control") has been trimmed
 * since the clock moved: retention checks have run by then (every partition checks every 100 ms).
 */
class SubscriptionRetentionIT {
    private static final String PADDING = "x".repeat(400);
    private static final int MESSAGES = 60;

    final TestClock clock = new TestClock();

    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.withSettings(Map.of(
            "log.segment.bytes", "4096",
            "log.retention.check.interval.ms", "100",
            "log.retention.ms", String.valueOf(Duration.ofHours(1).toMillis()),
            "subscription.retention.ms", String.valueOf(Duration.ofDays(1).toMillis()))).clock(clock);

    @Test
    void aDurableSubscriberThatAcknowledgesNothingHoldsSegmentsUntilItsRetentionHasPassed() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (Connection c = cf.createConnection()) {
            c.setClientID("c1");
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            Topic held = s.createTopic("held");
            s.createDurableSubscriber(held, "audit").close();
            send(s, held, MESSAGES);
            sendControl(s);
            assertTrue(segmentBases("held").size() > 3, "segments: " + segmentBases("held"));

            clock.advance(Duration.ofHours(2)); // the topic's limit allows; the subscription's 1 day does not
            awaitControlTrimmed();
            assertEquals(0, segmentBases("held").get(0), "the subscription keeps every segment");

            clock.advance(Duration.ofDays(1));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertEquals(1, segmentBases("held").size(), "segments left: " + segmentBases("held")));
            long logStart = segmentBases("held").get(0);
            assertTrue(logStart > 0 && logStart < MESSAGES, "the active segment stays: " + logStart);
            c.start();
            try (MessageConsumer audit = s.createDurableSubscriber(held, "audit")) {
                for (long i = logStart; i < MESSAGES; i++) {
                    TextMessage m = (TextMessage) audit.receive(30_000);
                    assertEquals("m" + i + PADDING, m == null ? null : m.getText());
                }
            }
        }
    }

    @Test
    void afterARestartSubscriptionsNobodyReopenedStillHoldSegmentsFromTheirStoredPositions() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (Connection c = cf.createConnection()) {
            c.setClientID("c1");
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic held = s.createTopic("held");
            s.createDurableSubscriber(held, "audit").close();
            send(s, held, MESSAGES);
            send(s, s.createQueue("jobs"), MESSAGES); // a queue nobody has consumed from yet
            sendControl(s);
        }
        broker.restart();

        clock.advance(Duration.ofHours(2));
        awaitControlTrimmed();
        assertEquals(0, segmentBases("held").get(0), "the durable subscription keeps every segment");
        assertEquals(0, segmentBases("jobs", true).get(0), "the queue keeps every segment");
        HeraldConnectionFactory again = new HeraldConnectionFactory(broker.url());
        try (Connection c = again.createConnection()) {
            c.setClientID("c1");
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            c.start();
            try (MessageConsumer audit = s.createDurableSubscriber(s.createTopic("held"), "audit");
                 MessageConsumer jobs = s.createConsumer(s.createQueue("jobs"))) {
                assertEquals("m0" + PADDING, ((TextMessage) audit.receive(30_000)).getText());
                assertEquals("m0" + PADDING, ((TextMessage) jobs.receive(30_000)).getText());
            }
        }

        clock.advance(Duration.ofDays(1));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            assertEquals(1, segmentBases("held").size(), "segments left: " + segmentBases("held"));
            assertEquals(1, segmentBases("jobs", true).size(), "segments left: " + segmentBases("jobs", true));
        });
    }

    @Test
    void segmentsEverySubscriptionAcknowledgedGoAsSoonAsTheTopicsLimitAllows() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (Connection c = cf.createConnection()) {
            c.setClientID("c1");
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic done = s.createTopic("done");
            c.start();
            try (MessageConsumer a = s.createDurableSubscriber(done, "a");
                 MessageConsumer b = s.createConsumer(done)) {
                send(s, done, MESSAGES);
                for (int i = 0; i < MESSAGES; i++) {
                    assertEquals("m" + i + PADDING, ((TextMessage) a.receive(30_000)).getText());
                    assertEquals("m" + i + PADDING, ((TextMessage) b.receive(30_000)).getText());
                }
                sendControl(s);
                // everything is acknowledged (the last acks are sent when the consumers close), yet the topic keeps
                // its segments for an hour
                assertTrue(segmentBases("done").size() > 3, "segments: " + segmentBases("done"));
            }

            clock.advance(Duration.ofHours(2));
            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertEquals(1, segmentBases("done").size(), "segments left: " + segmentBases("done")));
        }
    }

    @Test
    void retentionSetByAdministrationTakesEffect() throws Exception {
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (Connection c = cf.createConnection()) {
            c.setClientID("c1");
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Topic held = s.createTopic("held");
            s.createDurableSubscriber(held, "slow").close();
            s.createDurableSubscriber(held, "audit").close();
            send(s, held, MESSAGES);
            sendControl(s);
        }
        Run set = cli("sub", "retention", "held", "slow", "30m");
        assertEquals(0, set.code(), set.toString());
        assertTrue(set.out().contains("retention of durable:c1:slow is now PT30M"), set.toString());
        Run list = cli("sub", "list", "--topic", "held");
        assertTrue(list.out().matches("(?s).*durable:c1:slow\\s.*PT30M\\R.*"), list.toString());
        assertTrue(list.out().matches("(?s).*durable:c1:audit\\s.*PT24H\\R.*"), list.toString());

        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            assertEquals("durable:c1:audit", admin.setSubscriptionRetention("held", "durable:c1:audit",
                    Duration.ofMinutes(45).toMillis()));
            assertEquals(ErrorCode.INVALID_DESTINATION, assertThrows(HeraldAdminException.class,
                    () -> admin.setSubscriptionRetention("nope", "slow", 1000)).code());
            HeraldAdminException unknown = assertThrows(HeraldAdminException.class,
                    () -> admin.setSubscriptionRetention("held", "nope", 1000));
            assertEquals(ErrorCode.INVALID_DESTINATION, unknown.code());
            assertTrue(unknown.getMessage().contains("topic 'held' has no durable subscription 'nope'"),
                    unknown.getMessage());
            assertEquals(ErrorCode.INVALID_ARGUMENT, assertThrows(HeraldAdminException.class,
                    () -> admin.setSubscriptionRetention("held", "slow", 0)).code());
        }
        Run badDuration = cli("sub", "retention", "held", "slow", "soon");
        assertEquals(2, badDuration.code(), badDuration.toString());
        assertTrue((badDuration.out() + badDuration.err()).contains("not a duration"), badDuration.toString());
        Run unknownTopic = cli("sub", "retention", "nope", "slow", "1h");
        assertEquals(1, unknownTopic.code(), unknownTopic.toString());
        assertTrue((unknownTopic.out() + unknownTopic.err()).contains("topic 'nope' does not exist"), unknownTopic.toString());

        broker.restart(); // the new retentions are stored
        try (HeraldAdmin admin = HeraldAdmin.connect(broker.url())) {
            Map<String, Long> retention = new java.util.TreeMap<>();
            for (SubscriptionInfo i : admin.listSubscriptions("held")) {
                retention.put(i.id(), i.retentionMs());
            }
            assertEquals(Map.of("durable:c1:slow", Duration.ofMinutes(30).toMillis(),
                    "durable:c1:audit", Duration.ofMinutes(45).toMillis()), retention);
        }
        // both subscriptions are past their retention after 2 hours, and so is the topic's limit
        clock.advance(Duration.ofHours(2));
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertEquals(1, segmentBases("held").size(), "segments left: " + segmentBases("held")));
    }

    // ---------------------------------------------------------------- helpers

    private static void send(Session s, jakarta.jms.Destination d, int count) throws Exception {
        try (MessageProducer p = s.createProducer(d)) {
            for (int i = 0; i < count; i++) {
                p.send(s.createTextMessage("m" + i + PADDING));
            }
        }
    }

    /** Fills several segments of a topic nobody subscribes to. */
    private static void sendControl(Session s) throws Exception {
        send(s, s.createTopic("control"), 30);
    }

    private void awaitControlTrimmed() {
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                assertEquals(1, segmentBases("control").size(), "control segments: " + segmentBases("control")));
    }

    private List<Long> segmentBases(String topic) throws IOException {
        return segmentBases(topic, false);
    }

    private List<Long> segmentBases(String destination, boolean queue) throws IOException {
        Path dir = broker.dataDir().resolve("log").resolve((queue ? "q-" : "t-") + destination).resolve("0");
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".log"))
                    .map(n -> Long.parseLong(n.substring(0, n.length() - 4))).sorted().toList();
        }
    }

    record Run(int code, String out, String err) {
    }

    private Run cli(String... args) {
        String[] all = Stream.concat(Stream.of(args), Stream.of("--url", broker.url())).toArray(String[]::new);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), all);
        return new Run(code, out.toString(), err.toString());
    }
}
