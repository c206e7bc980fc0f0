package io.heraldmq.connect.syslog;

import io.heraldmq.connect.ConnectorConfig;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * rsyslog (Debian's package, run by the test as a process of its own with a configuration of its own) receiving from
 * util-linux {@code logger} over UDP and forwarding to the syslog source over TCP with octet counting in RFC 5424,
 * as a site's relay would: every line arrives once, with rsyslog's parsed fields.
 */
class RsyslogForwardingIT {
    private static final Path RSYSLOGD = Path.of("/usr/sbin/rsyslogd");

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    Path dir;

    private Process rsyslog;
    private SyslogSourceConnector source;
    private Connection consumer;

    @AfterEach
    void stop() throws JMSException {
        if (rsyslog != null) {
            rsyslog.destroy();
        }
        if (source != null) {
            source.stop();
        }
        if (consumer != null) {
            consumer.close();
        }
    }

    @Test
    void linesRelayedByRsyslogArriveOnceWithTheirFields() throws Exception {
        assumeTrue(Files.isExecutable(RSYSLOGD), "rsyslogd is not installed (apt-get install rsyslog; .ci/run does)");
        List<TextMessage> received = new CopyOnWriteArrayList<>();
        consumer = new HeraldConnectionFactory(broker.url()).createConnection();
        Session s = consumer.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createConsumer(s.createTopic("relayed.payments")).setMessageListener(m -> received.add((TextMessage) m));
        consumer.start();

        source = new SyslogSourceConnector(ConnectorConfig.parse(Map.of(
                "connector.s.type", "syslog",
                "connector.s.url", broker.url(),
                "connector.s.destination", "topic://relayed.${app}",
                "connector.s.listen", "tcp://127.0.0.1:0")).get(0), new HeraldConnectionFactory(broker.url()));
        source.start();
        int sourcePort = URI.create(source.boundAddresses().get(0)).getPort();

        int udpPort;
        try (DatagramSocket probe = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            udpPort = probe.getLocalPort();
        }
        Path config = dir.resolve("rsyslog.conf");
        Files.writeString(config, """
                global(workDirectory="%s")
                module(load="imudp")
                input(type="imudp" address="127.0.0.1" port="%d" ruleset="relay")
                ruleset(name="relay") {
                  action(type="omfwd" target="127.0.0.1" port="%d" protocol="tcp" TCP_Framing="octet-counted"
                         template="RSYSLOG_SyslogProtocol23Format")
                }
                """.formatted(dir, udpPort, sourcePort));
        rsyslog = new ProcessBuilder(RSYSLOGD.toString(), "-n", "-f", config.toString(), "-i",
                dir.resolve("rsyslogd.pid").toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("rsyslogd.log").toFile()).start();
        // rsyslog takes a moment to bind its UDP port, and UDP sent before that is lost: resend the first line until
        // one arrives, then send the rest.
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200)).until(() -> {
            assertTrue(rsyslog.isAlive(), () -> "rsyslogd exited: " + log());
            logger(udpPort, "payment warmup");
            return !received.isEmpty();
        });
        int warmups = received.size();
        for (int i = 0; i < 50; i++) {
            logger(udpPort, "payment " + i + " settled");
        }
        await().atMost(Duration.ofSeconds(30)).until(() -> received.size() >= warmups + 50);
        Set<String> bodies = new TreeSet<>();
        List<TextMessage> settled = new ArrayList<>();
        for (TextMessage m : received) {
            if (m.getText().contains("settled")) {
                settled.add(m);
                bodies.add(m.getText().replaceAll(".*payment (\\d+) settled.*", "$1"));
            }
        }
        assertEquals(50, settled.size(), "each line once");
        assertEquals(50, bodies.size());
        TextMessage first = settled.get(0);
        assertEquals("payments", first.getStringProperty("app"));
        assertTrue(first.getStringProperty("protocol").contains("5424"), first.getStringProperty("protocol"));
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("rsyslogd.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static void logger(int port, String line) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("logger", "-n", "127.0.0.1", "-P", Integer.toString(port), "--udp",
                "--rfc5424", "-t", "payments", line).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "logger did not finish");
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }
}
