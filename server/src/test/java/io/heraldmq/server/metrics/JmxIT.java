package io.heraldmq.server.metrics;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.Broker;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker's figures as MBeans of the platform MBean server (what JConsole and JMX exporters read): a partition's
 * message count moves with a send, a subscription's lag in time is one too, and the broker's MBeans go when it stops;
 * {@code jmx.enabled = false} registers none, and {@code metrics.destinations = false} leaves the broker-wide series
 * only.
 */
class JmxIT {
    @RegisterExtension
    final BrokerExtension broker = new BrokerExtension();

    @Test
    void aPartitionsCountIsAnMBeanAttribute() throws Exception {
        MBeanServer server = ManagementFactory.getPlatformMBeanServer();
        String id = broker.broker().brokerId();
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("jmx.orders")).send(s.createTextMessage("hello"));
            s.createProducer(s.createQueue("jmx.orders")).send(s.createTextMessage("again"));
        }
        ObjectName name = new ObjectName("io.heraldmq:type=\"heraldmq.messages.in\",broker=\"" + id + "\","
                + "kind=\"queue\",destination=\"jmx.orders\",partition=\"0\"");
        await().atMost(Duration.ofSeconds(5)).until(() -> server.isRegistered(name));
        assertEquals(2.0, server.getAttribute(name, "Count"));
        ObjectName produce = new ObjectName("io.heraldmq:type=\"heraldmq.produce.latency\",broker=\"" + id + "\"");
        assertEquals(2.0, server.getAttribute(produce, "Count"));
        assertTrue((Double) server.getAttribute(produce, "TotalTime") > 0);
        assertEquals(1.0, server.getAttribute(new ObjectName("io.heraldmq:type=\"heraldmq.ready\",broker=\""
                + id + "\""), "Value"));
        assertTrue(server.queryNames(new ObjectName("io.heraldmq:type=\"jvm.memory.used\",*"), null).size() > 0);

        // a subscription's lag in time: the queue's two messages wait, delivered to a consumer that does not settle
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.CLIENT_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("jmx.orders"));
            c.start();
            assertNotNull(consumer.receive(5000));
            ObjectName lags = new ObjectName("io.heraldmq:type=\"heraldmq.subscription.lag\",broker=\"" + id
                    + "\",kind=\"queue\",destination=\"jmx.orders\",partition=\"0\",*");
            await().atMost(Duration.ofSeconds(10)).until(() -> server.queryNames(lags, null).stream()
                    .anyMatch(lag -> value(server, lag) > 0));
        }

        broker.shutdown();
        assertFalse(server.isRegistered(name), "a stopped broker's MBeans are gone");
        assertTrue(server.queryNames(new ObjectName("io.heraldmq:broker=\"" + id + "\",*"), null).isEmpty());
    }

    @Test
    void theSwitchesTurnOffTheMBeansAndThePerDestinationSeries(@TempDir Path dir) throws Exception {
        BrokerConfig config = BrokerConfig.defaults().with(Map.of("port", "0", "http.port", "0",
                "jmx.enabled", "false", "metrics.destinations", "false", "data.dir", dir.toString()));
        Broker b = Broker.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try (Connection c = new HeraldConnectionFactory(b.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("jmx.off")).send(s.createTextMessage("hello"));
            MBeanServer server = ManagementFactory.getPlatformMBeanServer();
            assertTrue(server.queryNames(new ObjectName("io.heraldmq:broker=\"" + b.brokerId() + "\",*"), null)
                    .isEmpty());
            Scrape scrape = Scrape.of(b.httpUrl());
            assertEquals(1.0, scrape.value("heraldmq_ready"), "/metrics still serves the broker-wide figures");
            assertEquals(1.0, scrape.value("heraldmq_produce_latency_seconds_count"));
            assertFalse(scrape.has("heraldmq_messages_in_total"), "no per-destination series");
        } finally {
            b.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static double value(MBeanServer server, ObjectName name) {
        try {
            return (Double) server.getAttribute(name, "Value");
        } catch (javax.management.JMException e) {
            return -1; // gone between the query and the read
        }
    }
}
