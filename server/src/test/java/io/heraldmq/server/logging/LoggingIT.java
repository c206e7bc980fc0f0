package io.heraldmq.server.logging;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.BrokerProcess;
import io.heraldmq.server.security.PasswordHash;
import io.vertx.core.json.JsonObject;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.ResourceAllocationException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The broker's logging in a real broker process ({@code target/heraldmq-server.jar}): text lines with the broker id,
 * {@code logging.format = json} as one JSON object per line, the distribution's {@code config/logback.xml} with its
 * rolling log file (with the ready and stopped lines, which the console has on stdout only) and the audit lines in a
 * file of their own, that file rolled over at its size cap (the distribution's file with a 2 KB cap), a user's own
 * {@code logback.xml} without {@link OnStdoutFilter} still showing the ready and stopped lines once, and Hazelcast's
 * lines (a cluster of one) in the same format without the cluster name a secret derives. A refused login makes the lines looked for: a WARN
 * of the connect handler and an AUTH_FAILED audit line (see {@link #refusedLogin}).
 */
class LoggingIT {
    /** A text line of the default pattern: time, level, [broker id], logger, message. */
    private static final Pattern TEXT_LINE = Pattern.compile("^\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d,\\d{3} "
            + "(TRACE|DEBUG|INFO |WARN |ERROR) \\[([^\\]]+)\\] \\S+ - .*");
    /** The repository's config/, from this module's directory (the tests' working directory). */
    private static final Path CONFIG = Path.of("..", "config");

    @TempDir
    Path dir;
    private final List<BrokerProcess> brokers = new ArrayList<>();

    @AfterEach
    void stop() throws Exception {
        // killed: nothing here needs a clean stop, and the data directories are temporary
        for (BrokerProcess b : brokers) {
            b.process().destroyForcibly();
            b.process().waitFor(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void everyTextLineCarriesTheBrokerId() throws Exception {
        Path log = dir.resolve("broker.log");
        BrokerProcess broker = start(config(""), log, List.of());
        refusedLogin(broker);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log).contains("refused a connection"));
        String brokerId = null;
        for (String line : logLines(log)) {
            Matcher m = TEXT_LINE.matcher(line);
            assertTrue(m.matches(), "not one line of the default pattern: " + line);
            if (brokerId == null && !m.group(2).equals("-")) {
                brokerId = m.group(2);
            } else if (brokerId != null) {
                // "-" only before the broker knows its id, in its first lines at start
                assertEquals(brokerId, m.group(2), line);
            }
            if (line.contains("refused a connection")) {
                assertTrue(line.contains(" WARN  ") && line.contains("ConnectHandler"), line);
                assertNotEquals("-", m.group(2), line);
            }
        }
        // zero users in config but one here: audit lines go to the logger io.heraldmq.audit, i.e. this log
        assertTrue(Files.readString(log).contains("AUTH_FAILED user=alice"), Files.readString(log));
    }

    @Test
    void jsonFormatWritesOneJsonObjectPerLine() throws Exception {
        Path log = dir.resolve("broker.log");
        BrokerProcess broker = start(config("logging.format = json\n"), log, List.of());
        refusedLogin(broker);
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(log).contains("refused a connection"));
        int refused = 0;
        for (String line : logLines(log)) {
            JsonObject json = new JsonObject(line);
            assertTrue(json.containsKey("timestamp") && json.containsKey("level") && json.containsKey("loggerName"),
                    line);
            if (json.getString("formattedMessage", "").startsWith("refused a connection from")) {
                refused++;
                assertEquals("WARN", json.getString("level"));
                String id = json.getJsonObject("context").getJsonObject("properties").getString("broker.id");
                assertTrue(id != null && !id.equals("-"), line);
            }
        }
        assertEquals(1, refused);
    }

    @Test
    void theDistributionsLogbackXmlWritesARollingFileAndTheAuditFile() throws Exception {
        Path logs = dir.resolve("logs");
        Path console = dir.resolve("console.log");
        BrokerProcess broker = start(config(""), console, List.of(
                "-Dlogback.configurationFile=" + CONFIG.resolve("logback.xml").toAbsolutePath(),
                "-Dheraldmq.log.dir=" + logs));
        refusedLogin(broker);
        Path file = logs.resolve("heraldmq.log");
        Path audit = logs.resolve("audit.log");
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.exists(file) && Files.exists(audit)
                && Files.readString(file).contains("refused a connection")
                && Files.readString(audit).contains("AUTH_FAILED"));
        for (String line : Files.readAllLines(file)) {
            assertTrue(TEXT_LINE.matcher(line).matches() || line.startsWith("\t") || line.startsWith("Caused by")
                    || line.startsWith("java.") || line.startsWith("io."), line);
        }
        assertFalse(Files.readString(file).contains("AUTH_FAILED"), "audit lines only in their own file");
        String auditLine = Files.readAllLines(audit).get(0);
        assertTrue(auditLine.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z AUTH_FAILED user=alice .*"),
                auditLine);
        // the console still shows the broker's lines
        assertTrue(Files.readString(console).contains("refused a connection"));

        // the ready and stopped lines: in the file too, on the console once (stdout; the console appender skips them)
        String ready = "HeraldMQ ready on tcp://127.0.0.1:" + broker.port();
        assertTrue(Files.readAllLines(file).stream().anyMatch(l -> TEXT_LINE.matcher(l).matches()
                && l.contains(" INFO ") && l.endsWith(" - " + ready)), Files.readString(file));
        broker.process().destroy(); // SIGTERM: a clean stop
        assertTrue(broker.process().waitFor(30, TimeUnit.SECONDS), "the broker stops on SIGTERM");
        assertTrue(Files.readAllLines(file).stream().anyMatch(l -> TEXT_LINE.matcher(l).matches()
                && l.endsWith(" - HeraldMQ stopped")), Files.readString(file));
        assertEquals(1, Files.readAllLines(console).stream().filter(l -> l.contains(ready)).count(),
                Files.readString(console));
        assertEquals(List.of("HeraldMQ stopped"), Files.readAllLines(console).stream()
                .filter(l -> l.contains("HeraldMQ stopped")).toList(), Files.readString(console));
    }

    @Test
    void aUsersOwnLogbackXmlWithoutTheFilterShowsTheReadyAndStoppedLinesOnce() throws Exception {
        // a console appender on stdout (Logback's default target) without OnStdoutFilter, and a file
        Path file = dir.resolve("own.log");
        Path logback = Files.writeString(dir.resolve("own-logback.xml"), """
                <configuration>
                  <appender name="OUT" class="ch.qos.logback.core.ConsoleAppender">
                    <encoder><pattern>OWN %level %logger{0} - %msg%n</pattern></encoder>
                  </appender>
                  <appender name="FILE" class="ch.qos.logback.core.FileAppender">
                    <file>OWN_LOG</file>
                    <encoder><pattern>OWN %level %logger{0} - %msg%n</pattern></encoder>
                  </appender>
                  <root level="INFO"><appender-ref ref="OUT"/><appender-ref ref="FILE"/></root>
                </configuration>
                """.replace("OWN_LOG", file.toAbsolutePath().toString()));
        Path console = dir.resolve("console.log");
        BrokerProcess broker = start(config(""), console,
                List.of("-Dlogback.configurationFile=" + logback.toAbsolutePath()));
        String ready = "HeraldMQ ready on tcp://127.0.0.1:" + broker.port();
        await().atMost(Duration.ofSeconds(10)).until(() -> Files.readString(file).contains("OWN INFO Main - " + ready));
        refusedLogin(broker);
        await("the user's console appender writes").atMost(Duration.ofSeconds(10))
                .until(() -> Files.readString(console).contains("OWN WARN ConnectHandler - refused a connection"));
        broker.process().destroy(); // SIGTERM: a clean stop
        assertTrue(broker.process().waitFor(30, TimeUnit.SECONDS), "the broker stops on SIGTERM");
        assertTrue(Files.readString(file).contains("OWN INFO Main - HeraldMQ stopped"), Files.readString(file));
        // once each, as Main prints them: the console appender skips them
        assertEquals(List.of(ready), Files.readAllLines(console).stream().filter(l -> l.contains(ready)).toList(),
                Files.readString(console));
        assertEquals(List.of("HeraldMQ stopped"), Files.readAllLines(console).stream()
                .filter(l -> l.contains("HeraldMQ stopped")).toList(), Files.readString(console));
    }

    @Test
    void theLogFileRollsOverAtItsSizeCap() throws Exception {
        String distribution = Files.readString(CONFIG.resolve("logback.xml"));
        String cap = "<maxFileSize>100MB</maxFileSize>";
        assertTrue(distribution.contains(cap), "the distribution's cap changed: update this test");
        Path logback = Files.writeString(dir.resolve("logback.xml"),
                distribution.replace(cap, "<maxFileSize>2KB</maxFileSize>"));
        Path logs = dir.resolve("logs");
        BrokerProcess broker = start(config(""), dir.resolve("console.log"), List.of(
                "-Dlogback.configurationFile=" + logback.toAbsolutePath(), "-Dheraldmq.log.dir=" + logs));
        for (int i = 0; i < 20; i++) {
            refusedLogin(broker); // a WARN line each, about 150 bytes
        }
        // rolled as heraldmq.<day>.<index>.log.gz (compressed by Logback's own thread, hence the wait)
        Pattern rolledName = Pattern.compile("heraldmq\\.\\d{4}-\\d\\d-\\d\\d\\.\\d+\\.log\\.gz");
        List<Path> rolled = new ArrayList<>();
        await("a rolled log file in " + logs).atMost(Duration.ofSeconds(30)).until(() -> {
            rolled.clear();
            try (var files = Files.list(logs)) {
                files.filter(f -> rolledName.matcher(f.getFileName().toString()).matches()).forEach(rolled::add);
            }
            return !rolled.isEmpty() && rolled.stream().allMatch(f -> gunzip(f) != null);
        });
        String first = gunzip(rolled.stream().sorted().findFirst().orElseThrow());
        assertTrue(first.lines().findFirst().map(l -> TEXT_LINE.matcher(l).matches()).orElse(false), first);
        assertTrue(Files.isRegularFile(logs.resolve("heraldmq.log")), "the broker goes on in a new heraldmq.log");
    }

    /** A gzipped file's text; null while it is still being written. */
    private static String gunzip(Path gz) {
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(gz))) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException incomplete) {
            return null;
        }
    }

    @Test
    void hazelcastLogsInTheSameLinesWithoutTheClusterNameOfTheSecret() throws Exception {
        int clusterPort;
        try (ServerSocket free = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            clusterPort = free.getLocalPort();
        }
        String cluster = "host = 127.0.0.1\ncluster.members = 127.0.0.1:" + clusterPort + "\ncluster.port = "
                + clusterPort + "\ncluster.secret = " + "logging-it-secret-0123456789" + "\nbroker.id = logging-b1\n";
        Path log = dir.resolve("broker.log");
        Path config = config(cluster);
        start(config, log, List.of());
        String secretName = BrokerConfig.defaults().with(BrokerConfig.readProperties(config)).cluster()
                .hazelcastClusterName();
        await().atMost(Duration.ofSeconds(30)).until(() -> Files.readString(log).contains("is STARTED"));
        int hazelcast = 0;
        for (String line : logLines(log)) {
            Matcher m = TEXT_LINE.matcher(line);
            if (m.matches() && line.contains(" c.h")) {
                hazelcast++;
                assertEquals("logging-b1", m.group(2), line);
            }
        }
        assertTrue(hazelcast > 3, Files.readString(log));
        assertFalse(Files.readString(log).contains("Cluster name"), "ClusterNameFilter");
        assertFalse(Files.readString(log).contains(secretName), "the name that admits a member");
    }

    @Test
    void aBadLoggingFormatIsRefusedNamingTheKey() throws Exception {
        Path log = dir.resolve("broker.log");
        Process p = BrokerProcess.launch(config("logging.format = xml\n"), dir.resolve("data"), log);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, p.exitValue());
        assertTrue(Files.readString(log).contains("logging.format must be text or json, was xml"),
                Files.readString(log));
    }

    private BrokerProcess start(Path config, Path log, List<String> jvmOptions) throws IOException {
        BrokerProcess b = BrokerProcess.start(config, dir.resolve("data"), log, 0, jvmOptions);
        brokers.add(b);
        return b;
    }

    private Path config(String more) throws IOException {
        Path config = dir.resolve("broker.properties");
        Files.writeString(config, "user.alice = " + PasswordHash.create("secret".toCharArray(), 1_000).encoded()
                + "\nauth.backoff.max.ms = 0\nmax.connections = 1\n" + more);
        return config;
    }

    /**
     * A wrong password (an AUTH_FAILED audit line) and a connection over {@code max.connections} (a WARN line
     * "refused a connection from ...").
     */
    private static void refusedLogin(BrokerProcess broker) throws Exception {
        HeraldConnectionFactory factory =
                new HeraldConnectionFactory("tcp://127.0.0.1:" + broker.port() + "?reconnectTimeoutMs=0");
        assertThrows(JMSSecurityException.class, () -> factory.createConnection("alice", "wrong").close());
        try (Connection first = factory.createConnection("alice", "secret")) {
            assertThrows(ResourceAllocationException.class, () -> factory.createConnection("alice", "secret").close());
        }
    }

    /** The lines of the broker's output but the ones the launcher prints itself on stdout. */
    private static List<String> logLines(Path log) throws IOException {
        return Files.readAllLines(log).stream().filter(l -> !l.isBlank() && !l.startsWith("HeraldMQ ")).toList();
    }
}
