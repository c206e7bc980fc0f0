package io.heraldmq.connect;

import io.heraldmq.connect.jms.JmsSourceConnector;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MapMessage;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.StreamMessage;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The {@code jms} source bridging from an ActiveMQ Artemis broker (in this JVM, on a real socket) into HeraldMQ:
 * every body type with its headers and properties, a message the target refuses kept at the source while its
 * batch-mates arrive once, both brokers restarted mid-stream and a {@code kill -9} of the connect process with
 * nothing lost, a durable subscription with a selector, and the bridge's throughput.
 */
class ArtemisBridgeIT {
    @RegisterExtension
    @Order(1)
    static final EmbeddedArtemis artemis = new EmbeddedArtemis();

    /** 64 KiB messages at most, so a larger one from Artemis is refused by the target. */
    @RegisterExtension
    @Order(2)
    static final BrokerExtension broker = BrokerExtension.withSettings(Map.of("max.message.bytes", "65536"));

    @TempDir
    Path dir;

    private final List<ConnectorRuntime> running = new ArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(ConnectorRuntime::stop);
    }

    private Map<String, String> config(String name, String from, String to, String... options) {
        Map<String, String> m = new HashMap<>(artemis.jndi("connector." + name + ".source.jndi."));
        m.put("connector." + name + ".type", "jms");
        m.put("connector." + name + ".url", broker.url());
        m.put("connector." + name + ".source.connection.factory", "cf");
        m.put("connector." + name + ".source.destination", from);
        m.put("connector." + name + ".destination", to);
        for (int i = 0; i < options.length; i += 2) {
            m.put("connector." + name + "." + options[i], options[i + 1]);
        }
        return m;
    }

    /** A bridge made as {@code heraldmq connect} makes it, started and subscribed. */
    private JmsSourceConnector bridge(String from, String to, String... options) throws Exception {
        ConnectorRuntime runtime = ConnectorRuntime.create(ConnectorConfig.parse(config("bridge", from, to,
                options)), ConnectionFactories::heraldMq);
        running.add(runtime);
        runtime.start();
        JmsSourceConnector c = (JmsSourceConnector) runtime.connectors().get(0);
        assertTrue(c.awaitSubscribed(Duration.ofSeconds(20)));
        return c;
    }

    private static long counter(Connector c, String name) {
        return c.counters().snapshot().get(name);
    }

    /** Sends {@code count} TextMessages {@code "<i> <padding>"} of about {@code bytes} bytes to an Artemis queue. */
    private static void fillArtemis(String queue, int from, int count, int bytes) throws Exception {
        try (Connection c = artemis.connectionFactory().createConnection()) {
            Session s = c.createSession(true, Session.SESSION_TRANSACTED);
            MessageProducer p = s.createProducer(s.createQueue(queue));
            String padding = "x".repeat(Math.max(0, bytes - 8));
            for (int i = from; i < from + count; i++) {
                TextMessage m = s.createTextMessage(i + " " + padding);
                m.setIntProperty("i", i);
                p.send(m);
                if ((i - from) % 1000 == 999) {
                    s.commit();
                }
            }
            s.commit();
        }
    }

    /** Every message now in a HeraldMQ queue, as the values of property {@code i}. */
    private List<Integer> drainHerald(String queue) throws Exception {
        List<Integer> got = new ArrayList<>();
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            c.start();
            for (Message m = consumer.receive(5000); m != null; m = consumer.receive(500)) {
                got.add(m.getIntProperty("i"));
            }
        }
        return got;
    }

    /** Each of 0..total-1 is there; returns how many are there more than once. */
    private static int assertNoneLost(List<Integer> got, int total) {
        Set<Integer> distinct = new HashSet<>(got);
        assertEquals(total, distinct.size(), "messages lost");
        for (int i = 0; i < total; i++) {
            assertTrue(distinct.contains(i), "message " + i + " lost");
        }
        return got.size() - total;
    }

    @Test
    void everyBodyTypeArrivesWithItsHeadersAndProperties() throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = artemis.connectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("bridge.kinds"));
            TextMessage text = s.createTextMessage("hello ü");
            text.setStringProperty("s", "x");
            text.setIntProperty("int", 1);
            text.setLongProperty("long", 2L);
            text.setBooleanProperty("bool", true);
            text.setDoubleProperty("double", 1.5);
            text.setFloatProperty("float", 2.5f);
            text.setByteProperty("byte", (byte) 3);
            text.setShortProperty("short", (short) 4);
            text.setJMSCorrelationID("corr-1");
            text.setJMSType("order");
            text.setStringProperty("JMSXGroupID", "g1");
            p.send(text, DeliveryMode.PERSISTENT, 7, 0);
            ids.add(text.getJMSMessageID());
            BytesMessage bytes = s.createBytesMessage();
            bytes.writeBytes(new byte[] {1, 2, 3, 0, (byte) 255});
            p.send(bytes);
            ids.add(bytes.getJMSMessageID());
            MapMessage map = s.createMapMessage();
            map.setInt("a", 1);
            map.setString("b", "two");
            map.setBytes("c", new byte[] {9});
            p.send(map);
            ids.add(map.getJMSMessageID());
            StreamMessage stream = s.createStreamMessage();
            stream.writeInt(1);
            stream.writeString("two");
            stream.writeDouble(3.0);
            p.send(stream);
            ids.add(stream.getJMSMessageID());
            p.send(s.createObjectMessage("not bridged"));
            Message plain = s.createMessage();
            plain.setStringProperty("only", "properties");
            p.send(plain);
            ids.add(plain.getJMSMessageID());
        }
        JmsSourceConnector c = bridge("queue://bridge.kinds", "queue://bridge.kinds.${type}");
        await().atMost(Duration.ofSeconds(20)).until(() -> counter(c, "acknowledged") == 5);
        assertEquals(1, counter(c, "dropped"));
        await().atMost(Duration.ofSeconds(10)).until(() -> artemis.messageCount("bridge.kinds") == 0);

        try (Connection conn = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
            conn.start();
            // JMSType chose the destination of the first one.
            TextMessage t = assertInstanceOf(TextMessage.class,
                    s.createConsumer(s.createQueue("bridge.kinds.order")).receive(5000));
            assertEquals("hello ü", t.getText());
            assertEquals("x", t.getObjectProperty("s"));
            assertEquals(1, t.getObjectProperty("int"));
            assertEquals(2L, t.getObjectProperty("long"));
            assertEquals(true, t.getObjectProperty("bool"));
            assertEquals(1.5, t.getObjectProperty("double"));
            assertEquals(2.5f, t.getObjectProperty("float"));
            assertEquals((byte) 3, t.getObjectProperty("byte"));
            assertEquals((short) 4, t.getObjectProperty("short"));
            assertEquals("corr-1", t.getJMSCorrelationID());
            assertEquals("order", t.getJMSType());
            assertEquals(7, t.getJMSPriority());
            assertEquals("g1", t.getStringProperty("JMSXGroupID"));
            assertEquals(ids.get(0), t.getStringProperty("heraldmq_source_message_id"));
            assertTrue(t.getLongProperty("heraldmq_source_timestamp") > 0);
            assertEquals(DeliveryMode.PERSISTENT, t.getJMSDeliveryMode());
            Set<String> names = new HashSet<>();
            for (var e = t.getPropertyNames(); e.hasMoreElements(); ) {
                names.add((String) e.nextElement());
            }
            assertTrue(names.stream().noneMatch(n -> n.startsWith("_")), "provider internals copied: " + names);

            MessageConsumer rest = s.createConsumer(s.createQueue("bridge.kinds.unknown"));
            BytesMessage b = assertInstanceOf(BytesMessage.class, rest.receive(5000));
            byte[] body = new byte[(int) b.getBodyLength()];
            b.readBytes(body);
            assertArrayEquals(new byte[] {1, 2, 3, 0, (byte) 255}, body);
            assertEquals(ids.get(1), b.getStringProperty("heraldmq_source_message_id"));
            MapMessage m = assertInstanceOf(MapMessage.class, rest.receive(5000));
            assertEquals(1, m.getObject("a"));
            assertEquals("two", m.getObject("b"));
            assertArrayEquals(new byte[] {9}, m.getBytes("c"));
            StreamMessage st = assertInstanceOf(StreamMessage.class, rest.receive(5000));
            assertEquals(1, st.readObject());
            assertEquals("two", st.readObject());
            assertEquals(3.0, st.readObject());
            Message plain = rest.receive(5000);
            assertEquals("properties", plain.getStringProperty("only"));
            assertEquals(ids.get(4), plain.getStringProperty("heraldmq_source_message_id"));
            assertNull(rest.receive(200));
        }
    }

    @Test
    void aMessageTheTargetRefusesStaysAtTheSourceWhileItsBatchMatesArriveOnce() throws Exception {
        try (Connection c = artemis.connectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("bridge.poison"));
            for (int i = 0; i < 20; i++) {
                // 80 kB: within Artemis's limits, beyond the target's 64 KiB
                TextMessage m = s.createTextMessage(i == 10 ? "x".repeat(80_000) : "m" + i);
                m.setIntProperty("i", i);
                p.send(m);
            }
        }
        JmsSourceConnector c = bridge("queue://bridge.poison", "queue://bridge.poison.out", "batch.size", "100",
                "batch.timeout", "500ms");
        // The source's redelivery policy moves it to its dead-letter queue after its attempts, each alone.
        await().atMost(Duration.ofSeconds(20)).until(() -> artemis.messageCount("DLQ") == 1);
        await().atMost(Duration.ofSeconds(20)).until(() -> counter(c, "acknowledged") == 19);
        assertTrue(counter(c, "retried") > 0);
        List<Integer> got = drainHerald("bridge.poison.out");
        List<Integer> expected = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            if (i != 10) {
                expected.add(i);
            }
        }
        // Each batch-mate exactly once: a failed batch is never committed on the target.
        assertEquals(expected, got);
    }

    @Test
    void bothBrokersRestartMidStreamAndNothingIsLost() throws Exception {
        int total = 3000;
        fillArtemis("bridge.restart", 0, total, 100);
        JmsSourceConnector c = bridge("queue://bridge.restart", "queue://bridge.restart.out", "batch.size", "100");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                .until(() -> counter(c, "acknowledged") >= 500);
        broker.restart();
        long atSecond = counter(c, "acknowledged");
        await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(5))
                .until(() -> counter(c, "acknowledged") >= atSecond + 500);
        artemis.restart();
        await().atMost(Duration.ofSeconds(30)).until(() -> artemis.messageCount("bridge.restart") == 0
                && counter(c, "lag") == 0);
        int duplicates = assertNoneLost(drainHerald("bridge.restart.out"), total);
        assertTrue(duplicates <= 2 * 100, "more than a batch per failure again: " + duplicates);
        System.out.println("Artemis bridge, both brokers restarted: " + duplicates + " duplicates, "
                + counter(c, "retried") + " retried");
    }

    @Test
    void killDashNineOfTheConnectProcessMidStreamLosesNothing() throws Exception {
        int total = 6_000;
        int batch = 500;
        fillArtemis("bridge.kill", 0, total, 200);
        // The packaged connect jar, with Artemis's client in a class loader of its own (source.classpath), as a user
        // runs it.
        List<String> lines = new ArrayList<>();
        config("k", "queue://bridge.kill", "queue://bridge.kill.out", "batch.size", String.valueOf(batch),
                "source.classpath", EmbeddedArtemis.clientJars().stream().map(Path::toString)
                        .collect(Collectors.joining(",")))
                .forEach((k, v) -> lines.add(k + " = " + v.replace("\\", "\\\\")));
        Path cfg = dir.resolve("bridge.properties");
        Files.write(cfg, lines, StandardCharsets.UTF_8);
        try (ConnectProcess p = ConnectProcess.start(cfg).awaitRunning()) {
            assertTrue(p.output().contains("HeraldMQ connect running"), p.output());
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                    .until(() -> artemis.messageCount("bridge.kill") <= total - 2 * batch);
            p.kill();
        }
        long atKill = artemis.messageCount("bridge.kill");
        assertTrue(atKill > 0, "the bridge finished before the kill; send more");
        try (ConnectProcess p = ConnectProcess.start(cfg).awaitRunning()) {
            await().atMost(Duration.ofSeconds(60)).until(() -> artemis.messageCount("bridge.kill") == 0);
            assertEquals(143, p.terminate(), p.output());
        }
        int duplicates = assertNoneLost(drainHerald("bridge.kill.out"), total);
        assertTrue(duplicates <= batch, "more than one batch again: " + duplicates);
        System.out.println("Artemis bridge, kill -9 with " + atKill + " of " + total + " left at the source: "
                + duplicates + " duplicates");
    }

    @Test
    void aDurableSubscriptionWithASelectorKeepsWhatArrivesWhileTheBridgeIsDown() throws Exception {
        String[] options = {"source.subscription", "bridge", "source.selector", "keep = TRUE"};
        bridge("topic://bridge.events", "queue://bridge.events.out", options);
        stop();
        running.clear();
        try (Connection c = artemis.connectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic("bridge.events"));
            for (int i = 0; i < 10; i++) {
                TextMessage m = s.createTextMessage("e" + i);
                m.setIntProperty("i", i);
                m.setBooleanProperty("keep", i % 2 == 0);
                p.send(m);
            }
        }
        JmsSourceConnector c = bridge("topic://bridge.events", "queue://bridge.events.out", options);
        await().atMost(Duration.ofSeconds(20)).until(() -> counter(c, "acknowledged") == 5);
        assertEquals(List.of(0, 2, 4, 6, 8), drainHerald("bridge.events.out"));
    }

    /** Not an assertion: the figure for the report, 200-byte text messages from Artemis into HeraldMQ. */
    @Test
    void throughputOfTwoHundredByteTextMessages() throws Exception {
        // A first run warms the JIT up (alone, the class's first test would measure a cold JVM).
        fillArtemis("bridge.warm", 0, 5_000, 200);
        JmsSourceConnector warm = bridge("queue://bridge.warm", "queue://bridge.warm.out");
        await().atMost(Duration.ofSeconds(60)).until(() -> counter(warm, "acknowledged") == 5_000);
        stop();
        running.clear();
        int total = 20_000;
        fillArtemis("bridge.speed", 0, total, 200);
        long start = System.nanoTime();
        JmsSourceConnector c = bridge("queue://bridge.speed", "queue://bridge.speed.out");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> counter(c, "acknowledged") == total);
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf("Artemis -> HeraldMQ bridge: %d 200-byte text messages in %.2f s = %.0f msg/s "
                + "(batch.size 1000, both journals synced, after a warm-up run)%n", total, seconds, total / seconds);
        await().atMost(Duration.ofSeconds(10)).until(() -> artemis.messageCount("bridge.speed") == 0);
    }
}
