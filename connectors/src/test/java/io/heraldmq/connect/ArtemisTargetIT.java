package io.heraldmq.connect;

import io.heraldmq.connect.sink.FileSinkConnector;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Our connectors with ActiveMQ Artemis as their broker, named in the connectors file by JNDI ({@code jndi.*}): the
 * file source publishes into it (both send modes) and the file sink consumes from it through a durable
 * subscription, with the Artemis client in a class loader of its own ({@code classpath}). They speak
 * {@code jakarta.jms} only, so no code of theirs knows which broker it is.
 */
class ArtemisTargetIT {
    @RegisterExtension
    static final EmbeddedArtemis artemis = new EmbeddedArtemis();

    @TempDir
    Path dir;

    private final List<ConnectorRuntime> running = new ArrayList<>();

    @AfterEach
    void stop() {
        running.forEach(ConnectorRuntime::stop);
    }

    /** Connectors made as {@code heraldmq connect} makes them: a broker URL would get HeraldMQ's factory. */
    private ConnectorRuntime start(String name, String... options) throws Exception {
        Map<String, String> m = new HashMap<>(artemis.jndi("connector." + name + ".jndi."));
        m.put("connector." + name + ".connection.factory", "cf");
        for (int i = 0; i < options.length; i += 2) {
            m.put("connector." + name + "." + options[i], options[i + 1]);
        }
        ConnectorRuntime runtime = ConnectorRuntime.create(ConnectorConfig.parse(m), ConnectionFactories::heraldMq);
        running.add(runtime);
        runtime.start();
        return runtime;
    }

    @ParameterizedTest
    @ValueSource(strings = {"transacted", "async"})
    void theFileSourcePublishesIntoArtemis(String send) throws Exception {
        Path log = dir.resolve("app.log");
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            lines.add("line " + i);
        }
        Files.write(log, lines, StandardCharsets.UTF_8);
        ConnectorRuntime runtime = start("app", "type", "file", "path", log.toString(), "send", send,
                "destination", "queue://artemis.${filename}." + send, "checkpoint.dir",
                dir.resolve("checkpoints").toString(), "poll.interval", "20ms");
        Connector c = runtime.connectors().get(0);
        await().atMost(Duration.ofSeconds(20)).until(() -> c.counters().snapshot().get("acknowledged") == 200L);

        List<String> got = new ArrayList<>();
        try (Connection conn = artemis.connectionFactory().createConnection()) {
            Session s = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("artemis.app.log." + send));
            conn.start();
            for (TextMessage m = (TextMessage) consumer.receive(5000); m != null;
                 m = (TextMessage) consumer.receive(200)) {
                got.add(m.getText());
                if (got.size() == 1) {
                    assertEquals(log.toAbsolutePath().toString(), m.getStringProperty("file"));
                    assertEquals(log.toAbsolutePath().toString(), m.getStringProperty("JMSXGroupID"));
                    assertEquals(1L, ((Number) m.getObjectProperty("line")).longValue());
                    assertEquals("app", m.getStringProperty("source"));
                }
            }
        }
        assertEquals(lines, got);
    }

    @Test
    void theFileSinkConsumesFromArtemisWithItsClientInAClassLoaderOfItsOwn() throws Exception {
        Path out = dir.resolve("out");
        ConnectorRuntime runtime = start("archive", "type", "file-sink", "destination", "topic://artemis.events",
                "subscription", "archive", "directory", out.toString(), "batch.size", "50",
                "classpath", EmbeddedArtemis.clientJars().stream().map(Path::toString)
                        .collect(Collectors.joining(",")));
        FileSinkConnector sink = (FileSinkConnector) runtime.connectors().get(0);
        assertTrue(sink.awaitSubscribed(Duration.ofSeconds(20)));
        List<String> sent = new ArrayList<>();
        try (Connection c = artemis.connectionFactory().createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createTopic("artemis.events"));
            for (int i = 0; i < 300; i++) {
                sent.add("event " + i);
                p.send(s.createTextMessage("event " + i));
            }
        }
        await().atMost(Duration.ofSeconds(20)).until(() -> sink.counters().snapshot().get("acknowledged") == 300L);
        assertEquals(sent, lines(out));
        // Committed: the durable subscription holds nothing more.
        runtime.stop();
        await().atMost(Duration.ofSeconds(10)).until(() -> artemis.messageCount("heraldmq-connect-archive.archive")
                == 0);
    }

    private static List<String> lines(Path out) throws IOException {
        List<String> all = new ArrayList<>();
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.sorted().toList()) {
                all.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
            }
        }
        return all;
    }
}
