package io.heraldmq.connect;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code bin/heraldmq connect} as users run it: one connectors file with a source and a sink, a clean stop by
 * SIGTERM that prints the counters, refusal of a bad file, and a {@code kill -9} in mid-stream after which a
 * restart loses nothing and repeats at most one run of lines.
 */
class ConnectCommandIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    Path dir;

    private Path config(String... lines) throws IOException {
        Path p = dir.resolve("connectors.properties");
        Files.write(p, List.of(lines), StandardCharsets.UTF_8);
        return p;
    }

    private static void writeLines(Path file, int from, int to) throws IOException {
        try (Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND)) {
            for (int i = from; i < to; i++) {
                w.write("line " + i + "\n");
            }
        }
    }

    private List<String> sinkLines(Path out) throws IOException {
        List<String> lines = new ArrayList<>();
        if (!Files.isDirectory(out)) {
            return lines;
        }
        try (Stream<Path> s = Files.list(out)) {
            for (Path p : s.sorted().toList()) {
                lines.addAll(Files.readAllLines(p, StandardCharsets.UTF_8));
            }
        }
        return lines;
    }

    @Test
    void aFileIntoATopicAndOutIntoFilesThenACleanStopWithCounters() throws Exception {
        Path log = dir.resolve("app.log");
        writeLines(log, 0, 100);
        Path out = dir.resolve("out");
        Path cfg = config(
                "connector.app.type = file",
                "connector.app.path = " + dir.resolve("*.log"),
                "connector.app.destination = queue://connect.app",
                "connector.app.url = " + broker.url(),
                "connector.app.checkpoint.dir = " + dir.resolve("checkpoints"),
                "connector.archive.type = file-sink",
                "connector.archive.destination = queue://connect.app",
                "connector.archive.url = " + broker.url(),
                "connector.archive.directory = " + out);
        try (ConnectProcess p = ConnectProcess.start(cfg).awaitRunning()) {
            await().atMost(Duration.ofSeconds(30)).until(() -> sinkLines(out).size() >= 100);
            writeLines(log, 100, 150);
            await().atMost(Duration.ofSeconds(30)).until(() -> sinkLines(out).size() >= 150);
            p.signal("USR1");
            await().atMost(Duration.ofSeconds(30)).until(() -> p.output().contains("archive: records_in=150"));
            assertTrue(p.isAlive(), "SIGUSR1 prints the counters and goes on");
            int code = p.terminate();
            assertEquals(143, code, p.output());
            String o = p.output();
            assertTrue(o.contains("app: records_in=150 published=150 acknowledged=150 dropped=0"), o);
            assertTrue(o.contains("archive: records_in=150 published=150 acknowledged=150"), o);
            assertTrue(o.contains("HeraldMQ connect stopped"), o);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 150; i++) {
            expected.add("line " + i);
        }
        assertEquals(expected, sinkLines(out));
    }

    @Test
    void aBadConnectorsFileIsRefusedWithTheKeyNamed() throws Exception {
        Path cfg = config("connector.a.type = file", "connector.a.path = x", "connector.a.destination = topic://t",
                "connector.a.colour = blue");
        try (ConnectProcess p = ConnectProcess.start(cfg).awaitRunning()) {
            assertEquals(2, p.waitFor());
            assertTrue(p.output().contains("unknown key connector.a.colour"), p.output());
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"async", "transacted"})
    void killDashNineInMidStreamLosesNothingAcknowledged(String send) throws Exception {
        int total = 50_000;
        Path log = dir.resolve("big.log");
        writeLines(log, 0, total);
        Path checkpoints = dir.resolve("checkpoints");
        Path cfg = config(
                "connector.big.type = file",
                "connector.big.path = " + log,
                "connector.big.destination = queue://connect.crash." + send,
                "connector.big.send = " + send,
                "connector.big.url = " + broker.url(),
                "connector.big.checkpoint.dir = " + checkpoints,
                "connector.big.window = 1000",
                "connector.big.checkpoint.interval = 20ms");
        try (ConnectProcess p = ConnectProcess.start(cfg).awaitRunning()) {
            // Killed once a fifth of the file is acknowledged and checkpointed, with more in flight.
            long fifth = Files.size(log) / 5;
            await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                    .until(() -> checkpointOffset(checkpoints) > fifth);
            p.kill();
        }
        long atKill = checkpointOffset(checkpoints);
        assertTrue(atKill < Files.size(log), "the source finished before the kill; make the file bigger");
        try (ConnectProcess p = ConnectProcess.start(cfg).awaitRunning()) {
            long size = Files.size(log);
            await().atMost(Duration.ofSeconds(60)).until(() -> checkpointOffset(checkpoints) == size);
            p.terminate();
        }
        List<Integer> got = new ArrayList<>();
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("connect.crash." + send));
            c.start();
            for (Message m = consumer.receive(5000); m != null; m = consumer.receive(1000)) {
                got.add(Integer.parseInt(((TextMessage) m).getText().substring("line ".length())));
            }
        }
        // Everything arrived, in order, with at most one rewind: the lines after the last checkpoint, sent again.
        assertEquals(total, got.stream().distinct().count(), "lines lost");
        int rewinds = 0;
        for (int i = 1; i < got.size(); i++) {
            if (got.get(i) != got.get(i - 1) + 1) {
                rewinds++;
                assertTrue(got.get(i) <= got.get(i - 1), "a gap at " + got.get(i - 1));
            }
        }
        assertTrue(rewinds <= 1, "more than one run of duplicates: " + rewinds);
        System.out.println("send=" + send + ", kill -9 at checkpoint offset " + atKill + " of " + Files.size(log)
                + ": " + (got.size() - total) + " duplicate lines");
    }

    private static long checkpointOffset(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return 0;
        }
        try (Stream<Path> s = Files.list(dir)) {
            Path cp = s.filter(p -> p.toString().endsWith(".checkpoint")).findFirst().orElse(null);
            if (cp == null) {
                return 0;
            }
            String text = Files.readString(cp, StandardCharsets.ISO_8859_1);
            for (String line : text.split("\n")) {
                if (line.startsWith("offset=")) {
                    return Long.parseLong(line.substring("offset=".length()));
                }
            }
            return 0;
        }
    }
}
