package io.heraldmq.server.partition;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker applies retention by itself: with tiny segments and a short check interval, closed segments beyond the
 * limits are deleted, the active segment stays, and a queue whose consumer fell behind continues at the new log
 * start.
 */
class RetentionIT {
    private static final String PADDING = "x".repeat(400);

    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.withSettings(Map.of(
            "log.segment.bytes", "4096",
            "log.retention.check.interval.ms", "100",
            // broker-wide time limit: every closed segment is older than 1 ms almost at once
            "log.retention.ms", "1",
            // and the queue's own subscription does not hold what it has not acknowledged past 1 ms either
            "subscription.retention.ms", "1",
            // per-queue size limit instead, for the other queue; its time limit is the default 7 days
            "queue.sized.retention.bytes", "0",
            "queue.sized.retention.ms", "604800000"));

    @Test
    void timeLimitDeletesClosedSegmentsAndConsumersContinueAtTheLogStart() throws Exception {
        deletesOldSegmentsAndConsumerContinues("timed");
    }

    @Test
    void sizeLimitOfOneQueueDeletesClosedSegments() throws Exception {
        deletesOldSegmentsAndConsumerContinues("sized");
    }

    private void deletesOldSegmentsAndConsumerContinues(String name) throws Exception {
        Path dir = broker.dataDir().resolve("log").resolve("q-" + name).resolve("0");
        HeraldConnectionFactory cf = new HeraldConnectionFactory(broker.url());
        try (Connection c = cf.createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue q = s.createQueue(name);
            MessageProducer p = s.createProducer(q);
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            c.start();
            // a consumer takes the first ten as they come (retention may delete them right after), then falls behind
            try (MessageConsumer early = s.createConsumer(q)) {
                for (int i = 0; i < 10; i++) {
                    p.send(s.createTextMessage("m" + i + PADDING));
                }
                for (int i = 0; i < 10; i++) {
                    assertEquals("m" + i + PADDING, ((TextMessage) early.receive(30_000)).getText());
                }
            }
            for (int i = 10; i < 200; i++) {
                p.send(s.createTextMessage("m" + i + PADDING));
            }

            await().atMost(Duration.ofSeconds(60)).untilAsserted(() ->
                    assertEquals(1, segmentBases(dir).size(), "segments left: " + segmentBases(dir)));
            long logStart = segmentBases(dir).get(0);
            assertTrue(logStart > 10 && logStart < 200, "the active segment stays: " + logStart);

            try (MessageConsumer late = s.createConsumer(q)) {
                for (long i = logStart; i < 200; i++) {
                    TextMessage m = (TextMessage) late.receive(30_000);
                    assertEquals("m" + i + PADDING, m == null ? null : m.getText());
                }
                assertNull(late.receive(200));
            }
            // the queue's position moved past the deleted offsets: new messages arrive, nothing old comes back
            p.send(s.createTextMessage("after"));
            try (MessageConsumer again = s.createConsumer(q)) {
                assertEquals("after", ((TextMessage) again.receive(30_000)).getText());
            }
        }
    }

    private static List<Long> segmentBases(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(f -> f.getFileName().toString()).filter(n -> n.endsWith(".log"))
                    .map(n -> Long.parseLong(n.substring(0, n.length() - 4))).sorted().toList();
        }
    }
}
