package io.heraldmq.connect;

import io.heraldmq.connect.file.FileSourceConnector;
import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code kill -9} of the broker (a process of its own, {@code server/target/heraldmq-server.jar}, so run after the
 * reactor packaged the server) while a file source streams into it: once the broker is back on its port and data
 * directory, every line is there, none acknowledged is lost, duplicates stay within one window.
 */
class BrokerCrashIT {
    private static final Pattern READY = Pattern.compile("HeraldMQ ready on tcp://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private final List<Process> brokers = new ArrayList<>();
    private FileSourceConnector source;

    @AfterEach
    void cleanUp() {
        if (source != null) {
            source.stop();
        }
        brokers.forEach(Process::destroyForcibly);
    }

    /** Starts the packaged broker on {@code port} (0: any) and returns the port it listens on. */
    private int startBroker(int port, Path data) throws IOException {
        Path jar = Path.of("..", "server", "target", "heraldmq-server.jar").toAbsolutePath().normalize();
        assertTrue(Files.exists(jar), jar + " is missing: build through the reactor (mvn -pl connectors -am verify)");
        Path log = dir.resolve("broker-" + brokers.size() + ".log");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-jar", jar.toString(),
                "--port", Integer.toString(port),
                "--http-port", "0", "--data-dir", data.toString()).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        brokers.add(p);
        int[] bound = new int[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Matcher m = READY.matcher(Files.readString(log));
            if (m.find()) {
                bound[0] = Integer.parseInt(m.group(1));
                return true;
            }
            if (!p.isAlive()) {
                throw new AssertionError("broker exited: " + Files.readString(log));
            }
            return false;
        });
        return bound[0];
    }

    @ParameterizedTest
    @ValueSource(strings = {"async", "transacted"})
    void killDashNineOfTheBrokerLosesNothingAcknowledged(String send) throws Exception {
        Path data = dir.resolve("data");
        int port = startBroker(0, data);
        String url = "tcp://127.0.0.1:" + port;
        int total = 50_000;
        Path log = dir.resolve("app.log");
        try (Writer w = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
            for (int i = 0; i < total; i++) {
                w.write("line " + i + "\n");
            }
        }
        Path checkpoints = dir.resolve("checkpoints");
        source = new FileSourceConnector(ConnectorConfig.parse(Map.of(
                "connector.f.type", "file",
                "connector.f.path", log.toString(),
                "connector.f.destination", "queue://crash." + send,
                "connector.f.url", url,
                "connector.f.send", send,
                "connector.f.window", "1000",
                "connector.f.checkpoint.dir", checkpoints.toString(),
                "connector.f.checkpoint.interval", "20ms")).get(0), new HeraldConnectionFactory(url));
        source.start();
        long size = Files.size(log);
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(5))
                .until(() -> checkpointOffset(checkpoints) > size / 5);
        Process first = brokers.get(0);
        first.destroyForcibly(); // SIGKILL
        assertTrue(first.waitFor(30, TimeUnit.SECONDS));
        long atKill = checkpointOffset(checkpoints);
        assertTrue(atKill < size, "the source finished before the kill");
        startBroker(port, data);
        await().atMost(Duration.ofSeconds(120)).until(() -> checkpointOffset(checkpoints) == size);

        List<Integer> got = new ArrayList<>();
        try (Connection c = new HeraldConnectionFactory(url).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue("crash." + send));
            c.start();
            for (Message m = consumer.receive(5000); m != null; m = consumer.receive(1000)) {
                got.add(Integer.parseInt(((TextMessage) m).getText().substring("line ".length())));
            }
        }
        assertEquals(total, got.stream().distinct().count(), "lines lost");
        assertTrue(got.size() - total <= 1000, "more duplicates than one window: " + (got.size() - total));
        System.out.println("send=" + send + ", broker killed at checkpoint offset " + atKill + " of " + size + ": "
                + (got.size() - total) + " duplicate lines, " + source.counters().format());
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
            for (String line : Files.readAllLines(cp, StandardCharsets.ISO_8859_1)) {
                if (line.startsWith("offset=")) {
                    return Long.parseLong(line.substring("offset=".length()));
                }
            }
            return 0;
        }
    }
}
