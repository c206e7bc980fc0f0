package io.heraldmq.server.metrics;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Queue;
import jakarta.jms.Session;
import jakarta.jms.Topic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.Map;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A real broker under a little load, scraped over HTTP: the figures of the destination, its partition and its
 * subscription, the broker-wide histograms, the JVM's and Vert.x's move as the load says they must; the
 * per-destination series stay within {@code metrics.destinations.max}.
 */
class MetricsIT {
    private static final int MESSAGES = 200;

    @RegisterExtension
    final BrokerExtension broker = BrokerExtension.withSettings(Map.of("metrics.destinations.max", "3",
            "log.segment.bytes", "8192", "max.delivery.attempts", "2",
            // one topic nobody subscribes to keeps nothing but its active segment
            "log.retention.check.interval.ms", "100", "topic.metrics.retained.retention.bytes", "0"));

    @Test
    void countersMoveWithProduceAndConsume() throws Exception {
        String url = broker.broker().httpUrl();
        assertNotNull(url, "the test broker has a monitoring port");
        Scrape before = Scrape.of(url);
        assertTrue(before.has("heraldmq_ready"), before.text);
        assertEquals(1.0, before.value("heraldmq_ready"));
        assertTrue(before.has("jvm_memory_used_bytes"), "JVM binders");
        assertTrue(before.has("jvm_gc_memory_allocated_bytes_total") || before.has("jvm_gc_live_data_size_bytes"),
                "GC binder");
        assertTrue(before.names().stream().anyMatch(n -> n.startsWith("vertx_")), "Vert.x's own metrics");

        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = s.createQueue("metrics.orders");
            MessageProducer producer = s.createProducer(queue);
            producer.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < MESSAGES; i++) {
                producer.send(s.createTextMessage("order " + i + " " + "x".repeat(100)));
            }
            String[] q = {"kind", "queue", "destination", "metrics.orders", "partition", "0"};
            Scrape produced = Scrape.of(url);
            assertEquals(MESSAGES, produced.value("heraldmq_messages_in_total", q), produced.text);
            assertTrue(produced.value("heraldmq_bytes_in_total", q) > MESSAGES * 100);
            assertEquals(MESSAGES, produced.value("heraldmq_log_end_offset", q));
            assertTrue(produced.value("heraldmq_log_size_bytes", q) > MESSAGES * 100);
            assertTrue(produced.value("heraldmq_log_segments", q) > 1, "8 KiB segments rolled");
            assertEquals(MESSAGES, produced.value("heraldmq_produce_latency_seconds_count"));
            assertTrue(produced.value("heraldmq_fsync_latency_seconds_count") >= 1);
            assertTrue(produced.value("heraldmq_group_commit_batch_sends_count") >= 1);
            assertTrue(produced.value("heraldmq_group_commit_batch_sends_sum") >= MESSAGES);
            assertTrue(produced.value("heraldmq_meta_commit_latency_seconds_count") >= 1, "H2 commits");
            assertTrue(produced.has("heraldmq_produce_latency_seconds_bucket", "le", "0.001"), "histogram buckets");
            assertEquals(1, produced.value("heraldmq_connections", "user", "anonymous"));
            assertEquals(1, produced.value("heraldmq_producers", "user", "anonymous"));
            assertEquals(1, produced.value("heraldmq_sessions", "user", "anonymous"));

            // one message comes back once (its session closes without committing), then everything is consumed
            Session first = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer firstConsumer = first.createConsumer(queue);
            assertNotNull(firstConsumer.receive(5000));
            Scrape inFlight = Scrape.of(url);
            assertEquals(MESSAGES, inFlight.value("heraldmq_subscription_backlog_messages", q), inFlight.text);
            assertEquals(1, inFlight.value("heraldmq_consumers", "user", "anonymous"));
            assertEquals(2, inFlight.value("heraldmq_sessions", "user", "anonymous"));
            assertEquals(1, inFlight.value("heraldmq_subscription_consumers", q));
            assertTrue(inFlight.value("heraldmq_subscription_in_flight_messages", q) >= 1);
            // the oldest unsettled message ages while nobody settles it
            double lag = await().atMost(Duration.ofSeconds(10))
                    .until(() -> Scrape.of(url).value("heraldmq_subscription_lag_seconds", q), l -> l > 0);
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> Scrape.of(url).value("heraldmq_subscription_lag_seconds", q), l -> l > lag);
            first.close();
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(queue);
            int received = 0;
            while (received < MESSAGES) {
                Message m = consumer.receive(5000);
                assertNotNull(m, "after " + received);
                received++;
            }
            tx.commit();
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Scrape after = Scrape.of(url);
                assertEquals(0, after.value("heraldmq_subscription_backlog_messages", q), after.text);
                assertEquals(0, after.value("heraldmq_subscription_in_flight_messages", q));
                assertEquals(0, after.value("heraldmq_subscription_lag_seconds", q), "nothing behind: no lag");
                assertEquals(2, after.value("heraldmq_sessions", "user", "anonymous"), "the first one closed");
                assertTrue(after.value("heraldmq_messages_out_total", q) >= MESSAGES + 1,
                        "out " + after.value("heraldmq_messages_out_total", q));
                assertTrue(after.value("heraldmq_bytes_out_total", q) > MESSAGES * 100);
                assertTrue(after.value("heraldmq_subscription_redelivered_total", q) >= 1,
                        "redelivered " + after.value("heraldmq_subscription_redelivered_total", q));
            });
        }
    }

    @Test
    void deadLettersAndExpiryAreCounted() throws Exception {
        String url = broker.broker().httpUrl();
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            Queue queue = s.createQueue("metrics.poison");
            MessageProducer producer = s.createProducer(queue);
            producer.send(s.createTextMessage("poison"));
            producer.send(s.createTextMessage("stale"), DeliveryMode.PERSISTENT, 4, 1);
            Session tx = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageConsumer consumer = tx.createConsumer(queue);
            // max.delivery.attempts = 2: two rollbacks send it to DLQ.metrics.poison
            for (int i = 0; i < 2; i++) {
                assertNotNull(consumer.receive(5000));
                tx.rollback();
            }
            String[] q = {"kind", "queue", "destination", "metrics.poison", "partition", "0"};
            await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
                Scrape after = Scrape.of(url);
                assertEquals(1, after.value("heraldmq_subscription_dead_lettered_total", q), after.text);
                assertEquals(1, after.value("heraldmq_subscription_expired_total", q));
                assertEquals(1, after.value("heraldmq_messages_in_total", "destination", "DLQ.metrics.poison"));
            });
        }
    }

    @Test
    void retentionDeletionsAndTheLogStartAreShown() throws Exception {
        String url = broker.broker().httpUrl();
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createTopic("metrics.retained"));
            for (int i = 0; i < MESSAGES; i++) {
                producer.send(s.createTextMessage("event " + i + " " + "x".repeat(100)));
            }
        }
        String[] t = {"kind", "topic", "destination", "metrics.retained", "partition", "0"};
        await().atMost(Duration.ofSeconds(20)).untilAsserted(() -> {
            Scrape after = Scrape.of(url);
            assertTrue(after.value("heraldmq_retention_deleted_segments_total", t) >= 1, after.text);
            assertTrue(after.value("heraldmq_retention_deleted_bytes_total", t) > 8192 / 2);
            assertTrue(after.value("heraldmq_log_start_offset", t) > 0);
            assertEquals(1, after.value("heraldmq_log_segments", t), "the active segment stays");
            assertEquals(MESSAGES, after.value("heraldmq_log_end_offset", t));
        });
    }

    @Test
    void perDestinationSeriesStopAtTheLimitAndTheRestAreCounted() throws Exception {
        String url = broker.broker().httpUrl();
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            for (int i = 0; i < 5; i++) {
                Topic topic = s.createTopic("metrics.card." + i);
                s.createProducer(topic).send(s.createTextMessage("m"));
            }
        }
        Scrape scrape = Scrape.of(url);
        for (int i = 0; i < 3; i++) {
            assertEquals(1, scrape.value("heraldmq_messages_in_total", "destination", "metrics.card." + i));
        }
        for (int i = 3; i < 5; i++) {
            assertFalse(scrape.has("heraldmq_messages_in_total", "destination", "metrics.card." + i));
        }
        assertEquals(2, scrape.value("heraldmq_metrics_destinations_dropped_total"));
        assertEquals(1, scrape.value("heraldmq_ready"));
        assertTrue(scrape.value("heraldmq_produce_latency_seconds_count") >= 0, "broker-wide meters stay");
    }
}
