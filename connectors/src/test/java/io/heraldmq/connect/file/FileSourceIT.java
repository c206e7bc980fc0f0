package io.heraldmq.connect.file;

import io.heraldmq.connect.ConnectorConfig;
import io.heraldmq.connect.ConnectorSettings;
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
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.zip.GZIPOutputStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The file source against a real broker, with real files: order and properties, partial lines, rotation by rename
 * and by truncation, restart from the checkpoint, globs, multiline events, gzip'd files read once, start at the end,
 * long lines.
 */
class FileSourceIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    Path dir;

    private Path log;
    private String topic;
    private Connection consumerConnection;
    private final List<TextMessage> received = new CopyOnWriteArrayList<>();
    private final List<FileSourceConnector> running = new ArrayList<>();

    @BeforeEach
    void subscribe(TestInfo info) throws JMSException {
        log = dir.resolve("app.log");
        topic = "logs." + info.getTestMethod().orElseThrow().getName() + info.getDisplayName().replaceAll("\\W", "");
        // Subscribed before any source starts: a non-durable topic subscriber only sees later messages.
        consumerConnection = new HeraldConnectionFactory(broker.url()).createConnection();
        Session s = consumerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createConsumer(s.createTopic(topic)).setMessageListener(m -> received.add((TextMessage) m));
        consumerConnection.start();
    }

    @AfterEach
    void close() throws Exception {
        for (FileSourceConnector c : running) {
            c.stop();
        }
        consumerConnection.close();
    }

    private FileSourceConnector startSourceOn(String path, String... options) throws IOException {
        Map<String, String> m = new HashMap<>();
        m.put("connector.t.type", "file");
        m.put("connector.t.url", broker.url());
        m.put("connector.t.destination", "topic://" + topic);
        m.put("connector.t.path", path);
        m.put("connector.t.checkpoint.dir", dir.resolve("checkpoints").toString());
        m.put("connector.t.poll.interval", "20ms");
        m.put("connector.t.scan.interval", "50ms");
        m.put("connector.t.checkpoint.interval", "20ms");
        for (int i = 0; i < options.length; i += 2) {
            m.put("connector.t." + options[i], options[i + 1]);
        }
        ConnectorSettings settings = ConnectorConfig.parse(m).get(0);
        FileSourceConnector c = new FileSourceConnector(settings, new HeraldConnectionFactory(broker.url()));
        running.add(c);
        c.start();
        return c;
    }

    private FileSourceConnector startSource(String... options) throws IOException {
        return startSourceOn(log.toString(), options);
    }

    private static void append(Path p, String text) throws IOException {
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
            assertEquals("t", m.getStringProperty("source"));
            assertEquals(path, m.getStringProperty("file"));
            assertEquals(path, m.getStringProperty("JMSXGroupID"));
            assertEquals(offsets[i], m.getLongProperty("offset"));
            assertEquals(jakarta.jms.DeliveryMode.PERSISTENT, m.getJMSDeliveryMode());
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
    void aGlobThatMatchesRotatedNamesDoesNotReadThemAgain() throws Exception {
        append(log, "one\ntwo\n");
        startSourceOn(dir.resolve("app.log*").toString());
        awaitCount(2);
        append(log, "three\n");
        Files.move(log, dir.resolve("app.log.1"));
        append(log, "new-one\n");
        awaitCount(4);
        // app.log.1 is the incarnation app.log was reading: over several scans nothing of it comes again.
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5)).until(() -> received.size() == 4);
        assertEquals(List.of("one", "two", "three", "new-one"), texts());
        append(dir.resolve("app.log.1"), "late\n"); // still followed under its new name, from where it stopped
        awaitCount(5);
        assertEquals("late", received.get(4).getText());
    }

    @Test
    void rotationWhileStoppedIsReadOnUnderTheNewName() throws Exception {
        append(log, "l1\n");
        FileSourceConnector first = startSourceOn(dir.resolve("app.log*").toString());
        awaitCount(1);
        first.stop();
        running.remove(first);
        // While the source is down: one more line, then rotation.
        append(log, "l2\n");
        Files.move(log, dir.resolve("app.log.1"));
        append(log, "n1\n");
        startSourceOn(dir.resolve("app.log*").toString());
        awaitCount(3);
        await().during(Duration.ofMillis(400)).atMost(Duration.ofSeconds(5)).until(() -> received.size() == 3);
        // Two streams now (app.log.1 and the new app.log), so only each one's order is defined.
        assertEquals(java.util.Set.of("l1", "l2", "n1"), new java.util.HashSet<>(texts()));
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

    @ParameterizedTest
    @ValueSource(strings = {"async", "transacted"})
    void restartResumesFromTheCheckpointWithoutLossOrDuplicates(String send) throws Exception {
        append(log, "l1\nl2\n");
        FileSourceConnector first = startSource("send", send);
        awaitCount(2);
        first.stop();
        // Written while the connector is down: must be picked up, and l1/l2 must not be sent again.
        append(log, "l3\n");

        startSource("send", send);
        awaitCount(3);
        append(log, "l4\n");
        awaitCount(4);

        // l4 arrives after anything the restarted source could have repeated, so an exact match proves no duplicate.
        assertEquals(List.of("l1", "l2", "l3", "l4"), texts());
        assertEquals(List.of(1L, 2L, 3L, 4L), lineNumbers());
        Path cpFile;
        try (var files = Files.list(dir.resolve("checkpoints"))) {
            cpFile = files.filter(p -> p.toString().endsWith(".checkpoint")).findFirst().orElseThrow();
        }
        // The checkpoint follows the ack, which may come after the consumer already has the message.
        await().atMost(Duration.ofSeconds(20)).until(() -> Checkpoint.read(cpFile).offset() == 12L);
        Checkpoint cp = Checkpoint.read(cpFile);
        assertEquals(4L, cp.line());
        assertTrue(cp.file().endsWith("app.log"));
    }

    @Test
    void aCheckpointIsNotAppliedToAFileWhoseFirstBytesChanged() throws Exception {
        append(log, "aaaa\nbbbb\n");
        FileSourceConnector first = startSource();
        awaitCount(2);
        first.stop();
        running.remove(first);
        // Same inode, now longer than the checkpoint, but another content: truncated and rewritten while stopped.
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(0);
        }
        append(log, "cccc\ndddd\neeee\n");
        startSource();
        awaitCount(5);
        assertEquals(List.of("aaaa", "bbbb", "cccc", "dddd", "eeee"), texts());
    }

    @Test
    void globFollowsEveryMatchingFileAndOnesCreatedLater() throws Exception {
        Path a = dir.resolve("a.log");
        append(a, "a1\n");
        append(dir.resolve("ignored.txt"), "not me\n");
        FileSourceConnector c = startSourceOn(dir.resolve("*.log").toString());
        awaitCount(1);
        Path b = dir.resolve("b.log");
        append(b, "b1\nb2\n");
        awaitCount(3);
        assertEquals(List.of("a1", "b1", "b2"), texts());
        assertEquals(b.toString(), received.get(2).getStringProperty("JMSXGroupID"));
        await().atMost(Duration.ofSeconds(20)).until(() -> c.counters().snapshot().get("acknowledged") == 3L);
        assertEquals(0L, c.counters().snapshot().get("lag"));
    }

    @Test
    void multilineEventsAreJoinedByTheirStartPattern() throws Exception {
        append(log, "2026-01-01 ERROR boom\n"
                + "java.lang.IllegalStateException: x\n"
                + "\tat a.B.c(B.java:1)\n"
                + "2026-01-01 INFO fine\n");
        startSource("multiline.start", "^\\d{4}-\\d\\d-\\d\\d ", "multiline.timeout", "200ms");
        // The second event has no successor: it goes out once the file has been quiet for multiline.timeout.
        awaitCount(2);
        assertEquals(List.of("2026-01-01 ERROR boom\njava.lang.IllegalStateException: x\n\tat a.B.c(B.java:1)",
                "2026-01-01 INFO fine"), texts());
        assertEquals(List.of(1L, 4L), lineNumbers());
    }

    @Test
    void gzipRotatedFilesAreReadOnceWhenAskedTo() throws Exception {
        Path gz = dir.resolve("old.log.gz");
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(gz))) {
            out.write("g1\ng2\n".getBytes(StandardCharsets.UTF_8));
        }
        append(log, "live\n");
        FileSourceConnector c = startSourceOn(dir.resolve("*.log*").toString(), "gzip", "true");
        awaitCount(3);
        assertEquals(List.of("live", "g1", "g2"), texts().stream().sorted((x, y) ->
                x.equals("live") ? -1 : y.equals("live") ? 1 : x.compareTo(y)).toList());
        c.stop();
        running.remove(c);
        // A restart knows the .gz is done and reads nothing again.
        append(log, "live2\n");
        startSourceOn(dir.resolve("*.log*").toString(), "gzip", "true");
        awaitCount(4);
        assertEquals("live2", received.get(3).getText());
        assertEquals(4, received.size());
    }

    @Test
    void startAtEndSkipsWhatIsAlreadyThere() throws Exception {
        append(log, "old\n");
        startSource("start.at", "end");
        // Await the source having opened the file, so the next append is new to it.
        await().atMost(Duration.ofSeconds(20)).until(() -> Files.list(dir.resolve("checkpoints")).findAny()
                .isPresent());
        append(log, "new\n");
        awaitCount(1);
        assertEquals(List.of("new"), texts());
    }

    @Test
    void longLinesAreCutOrRefusedByOptionAndNeverSilently() throws Exception {
        append(log, "short\n" + "x".repeat(100) + "\nafter\n");
        FileSourceConnector c = startSource("max.line.bytes", "10", "long.lines", "refuse");
        awaitCount(2);
        assertEquals(List.of("short", "after"), texts());
        assertEquals(1L, c.counters().snapshot().get("dropped"));
        c.stop();
        running.remove(c);

        received.clear();
        Path other = dir.resolve("cut.log");
        append(other, "y".repeat(100) + "\n");
        startSourceOn(other.toString(), "max.line.bytes", "10");
        awaitCount(1);
        assertEquals("yyyyyyyyyy", received.get(0).getText());
        assertTrue(received.get(0).getBooleanProperty("truncated"));
    }
}
