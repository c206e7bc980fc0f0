package io.heraldmq.connect;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** FileTailSource against a real broker: order, properties, partial lines, rotation, restart from the checkpoint. */
class FileTailSourceIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static final Duration POLL = Duration.ofMillis(20);

    @TempDir
    Path dir;

    private Path log;
    private Path checkpoint;
    private String topic;
    private Connection consumerConnection;
    private final List<TextMessage> received = new CopyOnWriteArrayList<>();
    private final List<AutoCloseable> toClose = new ArrayList<>();

    @BeforeEach
    void subscribe(TestInfo info) throws JMSException {
        log = dir.resolve("app.log");
        checkpoint = dir.resolve("app.checkpoint");
        topic = "logs." + info.getTestMethod().orElseThrow().getName();
        // Subscribed before any source starts: a non-durable topic subscriber only sees later messages.
        consumerConnection = new HeraldConnectionFactory(broker.url()).createConnection();
        Session s = consumerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createConsumer(s.createTopic(topic)).setMessageListener(m -> received.add((TextMessage) m));
        consumerConnection.start();
    }

    @AfterEach
    void close() throws Exception {
        for (int i = toClose.size() - 1; i >= 0; i--) {
            toClose.get(i).close();
        }
        consumerConnection.close();
    }

    private FileTailSource startSource() throws IOException {
        SourceRunner runner = new SourceRunner(new HeraldConnectionFactory(broker.url()), topic, false, "test-tail");
        FileTailSource source = new FileTailSource(log, checkpoint, POLL, runner);
        toClose.add(runner);
        toClose.add(source);
        source.start();
        return source;
    }

    private void append(Path p, String text) throws IOException {
        Files.writeString(p, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND,
                StandardOpenOption.WRITE);
    }

    private void awaitCount(int n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= n);
    }

    private List<String> texts() throws JMSException {
        List<String> out = new ArrayList<>();
        for (TextMessage m : received) {
            out.add(m.getText());
        }
        return out;
    }

    private List<Long> lineNumbers() throws JMSException {
        List<Long> out = new ArrayList<>();
        for (TextMessage m : received) {
            out.add(m.getLongProperty("line"));
        }
        return out;
    }

    @Test
    void appendedLinesArriveInOrderWithProperties() throws Exception {
        append(log, "alpha\nbeta\n");
        startSource();
        awaitCount(2);
        append(log, "gamma\npart");
        awaitCount(3);
        // The partial line must wait for its newline: completing it yields one whole line, not "part" + "ial".
        append(log, "ial\r\n");
        append(log, "délta\n");
        awaitCount(5);

        assertEquals(List.of("alpha", "beta", "gamma", "partial", "délta"), texts());
        assertEquals(List.of(1L, 2L, 3L, 4L, 5L), lineNumbers());
        String path = log.toAbsolutePath().normalize().toString();
        long[] offsets = {0, 6, 11, 17, 26};
        for (int i = 0; i < received.size(); i++) {
            Message m = received.get(i);
            assertEquals("test-tail", m.getStringProperty("source"));
            assertEquals(path, m.getStringProperty("file"));
            assertEquals(path, m.getStringProperty("JMSXGroupID"));
            assertEquals(offsets[i], m.getLongProperty("offset"));
        }
    }

    @Test
    void rotationByRenameAndRecreateDrainsTheOldFileFirst() throws Exception {
        append(log, "one\ntwo\n");
        startSource();
        awaitCount(2);
        // Lines written just before the rotation, the last one never finished, then a new file.
        append(log, "three\nfour");
        Files.move(log, dir.resolve("app.log.1"));
        append(log, "new-one\nnew-two\n");
        awaitCount(6);

        assertEquals(List.of("one", "two", "three", "four", "new-one", "new-two"), texts());
        assertEquals(List.of(1L, 2L, 3L, 4L, 1L, 2L), lineNumbers());
        assertEquals(0L, received.get(4).getLongProperty("offset"));
    }

    @Test
    void truncationStartsAgainFromTheBeginning() throws Exception {
        append(log, "first\nsecond\n");
        startSource();
        awaitCount(2);
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(log, "after\n");
        awaitCount(3);

        assertEquals(List.of("first", "second", "after"), texts());
        assertEquals(List.of(1L, 2L, 1L), lineNumbers());
        assertEquals(0L, received.get(2).getLongProperty("offset"));
    }

    @Test
    void restartResumesFromTheCheckpointWithoutLossOrDuplicates() throws Exception {
        append(log, "l1\nl2\n");
        FileTailSource first = startSource();
        awaitCount(2);
        first.stop();
        // Written while the connector is down: must be picked up, and l1/l2 must not be sent again.
        append(log, "l3\n");

        startSource();
        awaitCount(3);
        append(log, "l4\n");
        awaitCount(4);

        // l4 arrives after anything the restarted source could have repeated, so an exact match proves no duplicate.
        assertEquals(List.of("l1", "l2", "l3", "l4"), texts());
        assertEquals(List.of(1L, 2L, 3L, 4L), lineNumbers());
        // The checkpoint follows the ack, which may come after the consumer already has the message.
        await().atMost(Duration.ofSeconds(20)).until(() -> Checkpoint.read(checkpoint).offset() == 12L);
        Checkpoint cp = Checkpoint.read(checkpoint);
        assertEquals(4L, cp.line());
        assertTrue(cp.file().endsWith("app.log"));
    }

    @Test
    void fileCreatedAfterStartIsPickedUp() throws Exception {
        startSource();
        append(log, "late\n");
        awaitCount(1);
        assertEquals(List.of("late"), texts());
    }
}
