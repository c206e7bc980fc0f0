package io.heraldmq.connect;

import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Connectors inside the broker process: {@code bin/heraldmq --config broker.properties} with {@code connector.*}
 * keys gives a broker that listens for syslog (fed here by util-linux {@code logger}); SIGUSR1 prints the
 * connectors' counters, SIGTERM stops connectors and broker and prints them once more.
 */
class EmbeddedConnectorsIT {
    private static final Pattern READY = Pattern.compile("HeraldMQ ready on (tcp://\\S+)");
    private static final Pattern SYSLOG = Pattern.compile("syslog listening on tcp://127\\.0\\.0\\.1:(\\d+)");

    @TempDir
    Path dir;

    private Process broker;

    @AfterEach
    void kill() {
        if (broker != null) {
            broker.destroyForcibly();
        }
    }

    private Process start(String config, Path log) throws IOException {
        Path file = dir.resolve("broker.properties");
        Files.writeString(file, config);
        Path script = Path.of("..", "bin", "heraldmq").toAbsolutePath().normalize();
        Path serverJar = Path.of("..", "server", "target", "heraldmq-server.jar").toAbsolutePath().normalize();
        Path connectJar = Path.of("target", "heraldmq-connect.jar").toAbsolutePath();
        assertTrue(Files.exists(serverJar) && Files.exists(connectJar),
                "the packaged jars are missing: run through the reactor (mvn -pl connectors -am verify)");
        ProcessBuilder pb = new ProcessBuilder(script.toString(), "--config", file.toString(), "--port", "0",
                "--data-dir", dir.resolve("data").toString()).redirectErrorStream(true).redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().put("JAVA_OPTS", "-Xmx256m -XX:+UseSerialGC");
        pb.environment().put("HERALDMQ_JAR", serverJar.toString());
        pb.environment().put("HERALDMQ_CONNECT_JAR", connectJar.toString());
        return pb.start();
    }

    private static Matcher awaitLine(Path log, Pattern pattern, Process p) {
        Matcher[] found = new Matcher[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(50)).until(() -> {
            Matcher m = pattern.matcher(Files.readString(log));
            if (m.find()) {
                found[0] = m;
                return true;
            }
            if (!p.isAlive()) {
                throw new AssertionError("broker exited: " + Files.readString(log));
            }
            return false;
        });
        return found[0];
    }

    @Test
    void aBrokerWithSyslogInItsConfigurationTakesLogLines() throws Exception {
        Path log = dir.resolve("broker.log");
        broker = start("""
                connector.sys.type = syslog
                connector.sys.listen = tcp://127.0.0.1:0
                connector.sys.destination = topic://syslog.${app}
                """, log);
        String url = awaitLine(log, READY, broker).group(1);
        int syslogPort = Integer.parseInt(awaitLine(log, SYSLOG, broker).group(1));
        try (Connection c = new HeraldConnectionFactory(url).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createTopic("syslog.billing"));
            c.start();
            Process logger = new ProcessBuilder("logger", "-n", "127.0.0.1", "-P", Integer.toString(syslogPort),
                    "--tcp", "--octet-count", "-t", "billing", "invoice 17 paid").redirectErrorStream(true).start();
            assertTrue(logger.waitFor(20, TimeUnit.SECONDS));
            assertEquals(0, logger.exitValue(), new String(logger.getInputStream().readAllBytes()));
            Message m = consumer.receive(20_000);
            assertNotNull(m, "no message from the broker's own syslog connector");
            assertTrue(((TextMessage) m).getText().contains("invoice 17 paid"), ((TextMessage) m).getText());
            assertEquals("billing", m.getStringProperty("app"));
        }

        // The consumer may see the message before the connector hears of its acknowledgement: ask until it has.
        Pattern acknowledged = Pattern.compile("sys: .*acknowledged=1");
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            new ProcessBuilder("kill", "-USR1", Long.toString(broker.pid())).start().waitFor();
            return acknowledged.matcher(Files.readString(log)).find();
        });
        assertTrue(broker.isAlive(), "SIGUSR1 must not stop the broker");

        broker.toHandle().destroy();
        assertTrue(broker.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, broker.exitValue(), Files.readString(log));
        String out = Files.readString(log);
        assertTrue(out.indexOf("sys: ") < out.lastIndexOf("HeraldMQ stopped"), out);
    }

    @Test
    void connectorKeysThatDoNotParseStopTheBrokerFromStarting() throws Exception {
        Path log = dir.resolve("bad.log");
        broker = start("""
                connector.sys.type = syslog
                connector.sys.listen = tcp://127.0.0.1:0
                connector.sys.destination = topic://syslog
                connector.sys.colour = blue
                """, log);
        assertTrue(broker.waitFor(60, TimeUnit.SECONDS));
        assertEquals(1, broker.exitValue());
        assertTrue(Files.readString(log).contains("connector.sys.colour"), Files.readString(log));
    }
}
