package io.heraldmq.connect.syslog;

import io.heraldmq.connect.ConnectorConfig;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.Broker;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.junit.BrokerExtension;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
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
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The syslog source against a real broker, fed by util-linux {@code logger} (Debian's bsdutils) over UDP, TCP with
 * octet counting and TCP with line feeds, in RFC 5424 and RFC 3164, and by a raw socket for bad input and for a
 * broker outage.
 */
class SyslogSourceIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    Path dir;

    private String topic;
    private Connection consumerConnection;
    private final List<TextMessage> received = new CopyOnWriteArrayList<>();
    private final List<SyslogSourceConnector> running = new ArrayList<>();

    @BeforeEach
    void subscribe(TestInfo info) throws JMSException {
        topic = "syslog." + info.getTestMethod().orElseThrow().getName() + info.getDisplayName().replaceAll("\\W", "");
        consumerConnection = new HeraldConnectionFactory(broker.url()).createConnection();
        consumerConnection.start();
        listen(topic);
    }

    /** Subscribes to a topic before the source starts: a non-durable subscriber only sees later messages. */
    private void listen(String name) throws JMSException {
        Session s = consumerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createConsumer(s.createTopic(name)).setMessageListener(m -> received.add((TextMessage) m));
    }

    @AfterEach
    void close() throws JMSException {
        for (SyslogSourceConnector c : running) {
            c.stop();
        }
        consumerConnection.close();
    }

    private SyslogSourceConnector start(String destination, String... options) throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("connector.s.type", "syslog");
        m.put("connector.s.url", broker.url());
        m.put("connector.s.destination", destination);
        m.put("connector.s.listen", "udp://127.0.0.1:0,tcp://127.0.0.1:0");
        for (int i = 0; i < options.length; i += 2) {
            m.put("connector.s." + options[i], options[i + 1]);
        }
        SyslogSourceConnector c = new SyslogSourceConnector(ConnectorConfig.parse(m).get(0),
                new HeraldConnectionFactory(m.get("connector.s.url")));
        running.add(c);
        c.start();
        return c;
    }

    private static int port(SyslogSourceConnector c, String scheme) {
        return c.boundAddresses().stream().filter(a -> a.startsWith(scheme + "://"))
                .map(a -> URI.create(a).getPort()).findFirst().orElseThrow();
    }

    private static void logger(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("logger", "-n", "127.0.0.1"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        assertTrue(p.waitFor(20, TimeUnit.SECONDS), "logger did not finish");
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, p.exitValue(), "logger failed: " + out);
    }

    private static <T> T done(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }

    private void awaitCount(int n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= n);
    }

    @Test
    void rfc5424OverUdpWithStructuredData() throws Exception {
        SyslogSourceConnector c = start("topic://" + topic);
        logger("--udp", "-P", String.valueOf(port(c, "udp")), "--rfc5424", "-t", "billing", "--id=4242",
                "-p", "local3.warning", "--msgid", "PAY1", "--sd-id", "order@32473", "--sd-param", "id=\"17\"",
                "payment refused");
        awaitCount(1);
        Message m = received.get(0);
        assertEquals("payment refused", ((TextMessage) m).getText());
        assertEquals("rfc5424", m.getStringProperty("protocol"));
        assertEquals(19, m.getIntProperty("facility"));
        assertEquals(4, m.getIntProperty("severity"));
        assertEquals("billing", m.getStringProperty("app"));
        assertEquals("4242", m.getStringProperty("procid"));
        assertEquals("PAY1", m.getStringProperty("msgid"));
        assertEquals("17", m.getStringProperty("sd_order_32473_id"));
        assertNotNull(m.getStringProperty("timestamp"));
        String host = m.getStringProperty("host");
        assertNotNull(host);
        assertEquals(host + "/billing", m.getStringProperty("JMSXGroupID"));
        assertEquals("s", m.getStringProperty("source"));
    }

    @Test
    void tcpWithOctetCountingKeepsOrderAndRoutesByTemplate() throws Exception {
        listen(topic + ".web");
        SyslogSourceConnector c = start("topic://" + topic + ".${app}");
        Path lines = dir.resolve("lines.txt");
        List<String> sent = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            sent.add("event " + i + " with a \"quote\" and ümlaut");
        }
        Files.write(lines, sent);
        logger("--tcp", "--octet-count", "-P", String.valueOf(port(c, "tcp")), "-t", "web", "-f", lines.toString());
        awaitCount(50);
        List<String> texts = new ArrayList<>();
        for (TextMessage m : received) {
            texts.add(m.getText());
            assertEquals(topic + ".web", ((jakarta.jms.Topic) m.getJMSDestination()).getTopicName());
        }
        assertEquals(sent, texts);
        await().atMost(Duration.ofSeconds(20)).until(() -> c.counters().snapshot().get("acknowledged") == 50L);
        assertEquals(0L, c.counters().snapshot().get("dropped"));
    }

    @Test
    void tcpWithLineFeedsInRfc3164() throws Exception {
        SyslogSourceConnector c = start("topic://" + topic);
        logger("--tcp", "-P", String.valueOf(port(c, "tcp")), "--rfc3164", "-t", "cron", "--id=77", "-p",
                "cron.err", "job failed");
        awaitCount(1);
        Message m = received.get(0);
        assertEquals("job failed", ((TextMessage) m).getText());
        assertEquals("rfc3164", m.getStringProperty("protocol"));
        assertEquals("cron", m.getStringProperty("app"));
        assertEquals("77", m.getStringProperty("procid"));
        assertEquals(9, m.getIntProperty("facility"));
        assertEquals(3, m.getIntProperty("severity"));
        assertNotNull(m.getStringProperty("timestamp"));
    }

    @Test
    void tlsWithOctetCountingAsRfc5425Says() throws Exception {
        // A self-signed server certificate made by openssl; the client trusts exactly it.
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-subj", "/CN=127.0.0.1", "-days", "1")
                .redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        SyslogSourceConnector c = start("topic://" + topic, "listen", "tls://127.0.0.1:0", "tls.cert",
                cert.toString(), "tls.key", key.toString());
        int port = port(c, "tls");

        java.security.KeyStore trust = java.security.KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("server", java.security.cert.CertificateFactory.getInstance("X.509")
                    .generateCertificate(in));
        }
        javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        javax.net.ssl.SSLContext ssl = javax.net.ssl.SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        try (Socket s = ssl.getSocketFactory().createSocket("127.0.0.1", port)) {
            String m1 = "<165>1 2026-01-01T00:00:00Z h tlsapp - - - over tls";
            String m2 = "<165>1 2026-01-01T00:00:00Z h tlsapp - - - second";
            s.getOutputStream().write((m1.length() + " " + m1 + m2.length() + " " + m2)
                    .getBytes(StandardCharsets.UTF_8));
            s.getOutputStream().flush();
            awaitCount(2);
        }
        assertEquals(List.of("over tls", "second"), List.of(received.get(0).getText(), received.get(1).getText()));
        assertEquals("tlsapp", received.get(0).getStringProperty("app"));
    }

    @Test
    void badInputIsRefusedAndCountedAndCostsNothingElse() throws Exception {
        SyslogSourceConnector c = start("topic://" + topic, "max.line.bytes", "64", "long.lines", "refuse");
        try (Socket s = new Socket("127.0.0.1", port(c, "tcp"))) {
            OutputStream out = s.getOutputStream();
            out.write(("no priority here\n<13>1 - h app - - - fine\n<13>1 - h app - - - " + "x".repeat(200)
                    + "\n<14>1 - h app - - - also fine\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            awaitCount(2);
        }
        assertEquals("fine", received.get(0).getText());
        assertEquals("also fine", received.get(1).getText());
        assertEquals(2L, c.counters().snapshot().get("dropped"));
        assertEquals(4L, c.counters().snapshot().get("records_in"));
    }

    @Test
    void aSenderThatClosesRightAfterWritingLosesNothingHeldBack() throws Exception {
        // A small window keeps the connection paused most of the time, so the close arrives while input is held.
        SyslogSourceConnector c = start("topic://" + topic, "window", "4", "transaction.size", "2");
        int n = 2000;
        try (Socket s = new Socket("127.0.0.1", port(c, "tcp"))) {
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n; i++) {
                b.append("<13>1 - h app - - - m").append(i).append('\n');
            }
            s.getOutputStream().write(b.toString().getBytes(StandardCharsets.UTF_8));
        }
        await().atMost(Duration.ofSeconds(60)).until(() -> c.counters().snapshot().get("acknowledged") == n);
        awaitCount(n);
        assertEquals("m" + (n - 1), received.get(n - 1).getText());
    }

    @ParameterizedTest
    @ValueSource(strings = {"async", "transacted"})
    void aBrokerOutagePausesTcpInsteadOfLosingMessages(String send) throws Exception {
        // A broker of its own, stopped and started again on the same port and data directory.
        BrokerConfig config = BrokerConfig.defaults().with(java.util.Map.of("http.port", "0")).withPort(0)
                .withDataDir(dir.resolve("outage-" + send));
        Broker own = done(Broker.start(config));
        String url = own.url();
        config = config.withPort(own.port());
        String queue = topic + ".outage";
        SyslogSourceConnector c = start("queue://" + queue, "window", "8", "url", url, "send", send,
                "transaction.size", "3");
        int n = 300;
        done(own.close());
        try (Socket s = new Socket("127.0.0.1", port(c, "tcp"))) {
            OutputStream out = s.getOutputStream();
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < n; i++) {
                String msg = "<13>1 - h app - - - m" + i;
                b.append(msg.length()).append(' ').append(msg);
            }
            out.write(b.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            // The window fills and stays full while the broker is away; the rest waits in the paused socket.
            await().atMost(Duration.ofSeconds(20)).until(() -> c.counters().snapshot().get("lag") == 8L);
            own = done(Broker.start(config));
            await().atMost(Duration.ofSeconds(60)).until(() -> c.counters().snapshot().get("acknowledged") >= n);
        }
        List<String> got = new ArrayList<>();
        try (Connection conn = new HeraldConnectionFactory(url).createConnection()) {
            Session session = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
            conn.start();
            for (Message m = consumer.receive(5000); m != null; m = consumer.receive(500)) {
                got.add(((TextMessage) m).getText());
            }
        } finally {
            c.stop();
            done(own.close());
        }
        // At least once and in order: every message, duplicates only as a repeated run after a resend.
        List<String> distinct = got.stream().distinct().toList();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            expected.add("m" + i);
        }
        assertEquals(expected, distinct);
        assertEquals(0L, c.counters().snapshot().get("dropped"));
        assertTrue(got.size() - n <= 8, "duplicates beyond one window: " + (got.size() - n));
    }
}
