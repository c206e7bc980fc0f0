package io.heraldmq.connect.sink;

import io.heraldmq.connect.ConnectorConfig;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.BytesMessage;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The file sink against a real broker: queue and durable subscription into rolling files, committed after fsync. */
class FileSinkIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    Path dir;

    private final List<FileSinkConnector> running = new ArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(FileSinkConnector::stop);
    }

    private FileSinkConnector start(String... options) throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("connector.out.type", "file-sink");
        m.put("connector.out.url", broker.url());
        m.put("connector.out.directory", dir.resolve("out").toString());
        for (int i = 0; i < options.length; i += 2) {
            m.put("connector.out." + options[i], options[i + 1]);
        }
        FileSinkConnector c = new FileSinkConnector(ConnectorConfig.parse(m).get(0),
                new HeraldConnectionFactory(broker.url()));
        running.add(c);
        c.start();
        assertTrue(c.awaitSubscribed(Duration.ofSeconds(20)));
        return c;
    }

    private void send(String destination, boolean queue, int from, int to) throws Exception {
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(queue ? s.createQueue(destination) : s.createTopic(destination));
            for (int i = from; i < to; i++) {
                p.send(s.createTextMessage("line " + i));
            }
        }
    }

    private List<String> lines() throws IOException {
        List<String> out = new ArrayList<>();
        Path d = dir.resolve("out");
        if (!Files.exists(d)) {
            return out;
        }
        try (Stream<Path> s = Files.list(d)) {
            for (Path p : s.sorted().toList()) {
                out.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static List<String> expected(int from, int to) {
        List<String> out = new ArrayList<>();
        for (int i = from; i < to; i++) {
            out.add("line " + i);
        }
        return out;
    }

    @Test
    void queueToRollingFilesCommittedOnlyOnceOnDisk() throws Exception {
        FileSinkConnector c = start("destination", "queue://sink.q", "roll.bytes", "100", "batch.size", "50");
        send("sink.q", true, 0, 500);
        await().atMost(Duration.ofSeconds(20)).until(() -> c.counters().snapshot().get("acknowledged") == 500L);
        // Committed means written: the files hold every message by the time the commit is counted.
        assertEquals(expected(0, 500), lines());
        try (Stream<Path> s = Files.list(dir.resolve("out"))) {
            // 4.5 kB in files rolled at 100 bytes, checked between batches of at most 50 lines (450 bytes)
            assertTrue(s.count() >= 8, "the files should have rolled");
        }
        c.stop();
        // Nothing is left on the queue.
        try (Connection conn = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
            var consumer = s.createConsumer(s.createQueue("sink.q"));
            conn.start();
            assertNull(consumer.receive(500));
        }
    }

    @Test
    void durableSubscriptionKeepsWhatArrivesWhileTheSinkIsDown() throws Exception {
        FileSinkConnector first = start("destination", "topic://sink.t", "subscription", "files");
        send("sink.t", false, 0, 10);
        await().atMost(Duration.ofSeconds(20)).until(() -> first.counters().snapshot().get("acknowledged") == 10L);
        first.stop();
        send("sink.t", false, 10, 20);
        FileSinkConnector second = start("destination", "topic://sink.t", "subscription", "files");
        await().atMost(Duration.ofSeconds(20)).until(() -> second.counters().snapshot().get("acknowledged") == 10L);
        assertEquals(expected(0, 20), lines());
    }

    @Test
    void bytesMessagesAreWrittenAsUtf8AndOtherKindsAreSkippedAndCounted() throws Exception {
        FileSinkConnector c = start("destination", "queue://sink.kinds");
        try (Connection conn = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("sink.kinds"));
            BytesMessage b = s.createBytesMessage();
            b.writeBytes("bytes ü".getBytes(StandardCharsets.UTF_8));
            p.send(b);
            p.send(s.createMapMessage());
            p.send(s.createTextMessage("text\nwith a break"));
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> c.counters().snapshot().get("acknowledged") == 3L);
        assertEquals(List.of("bytes ü", "text\\nwith a break"), lines());
        assertEquals(1L, c.counters().snapshot().get("dropped"));
    }
}
