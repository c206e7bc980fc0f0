package io.heraldmq.connect.http;

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
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The http source against a real broker, fed by the JDK's HTTP client over real sockets. */
class HttpSourceIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
    private String topic;
    private Connection consumerConnection;
    private final Map<String, List<TextMessage>> received = new HashMap<>();
    private final List<HttpSourceConnector> running = new ArrayList<>();

    @BeforeEach
    void connect(TestInfo info) throws JMSException {
        topic = "http." + info.getTestMethod().orElseThrow().getName();
        consumerConnection = new HeraldConnectionFactory(broker.url()).createConnection();
        consumerConnection.start();
    }

    @AfterEach
    void close() throws JMSException {
        for (HttpSourceConnector c : running) {
            c.stop();
        }
        consumerConnection.close();
    }

    /** Subscribes before anything is sent: a non-durable subscriber sees only later messages. */
    private List<TextMessage> listen(String name) throws JMSException {
        List<TextMessage> list = new CopyOnWriteArrayList<>();
        received.put(name, list);
        Session s = consumerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createConsumer(s.createTopic(name)).setMessageListener(m -> list.add((TextMessage) m));
        return list;
    }

    private HttpSourceConnector start(String destination, String... options) throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("connector.h.type", "http");
        m.put("connector.h.url", broker.url());
        m.put("connector.h.destination", destination);
        m.put("connector.h.listen", "tcp://127.0.0.1:0");
        for (int i = 0; i < options.length; i += 2) {
            m.put("connector.h." + options[i], options[i + 1]);
        }
        HttpSourceConnector c = new HttpSourceConnector(ConnectorConfig.parse(m).get(0),
                new HeraldConnectionFactory(m.get("connector.h.url")));
        running.add(c);
        c.start();
        return c;
    }

    private static URI uri(HttpSourceConnector c, String pathAndQuery) {
        return URI.create(c.boundAddresses().get(0).replace("tcp://", "http://").replace("tls://", "https://")
                + pathAndQuery);
    }

    private static HttpRequest.Builder post(URI uri, String contentType, String body) {
        return HttpRequest.newBuilder(uri).header("Content-Type", contentType)
                .POST(HttpRequest.BodyPublishers.ofString(body));
    }

    private HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static long counter(HttpSourceConnector c, String name) {
        return c.counters().snapshot().get(name);
    }

    @Test
    void ndjsonRecordsArriveWithTheirFieldsAsPropertiesAtTheirTemplateDestinations() throws Exception {
        List<TextMessage> web = listen(topic + ".web");
        List<TextMessage> api = listen(topic + ".api");
        HttpSourceConnector c = start("topic://" + topic + ".${app}");
        String l1 = "{\"host\":\"h1\",\"app\":\"web\",\"level\":\"info\",\"n\":42,\"user.id\":\"u7\",\"nested\":{\"a\":1}}";
        String l2 = "{\"host\":\"h1\",\"app\":\"api\",\"ok\":true}";
        String l3 = "{\"app\":\"web\",\"ratio\":0.25}";
        HttpResponse<String> r = send(post(uri(c, "/"), "application/x-ndjson", l1 + "\n" + l2 + "\r\n\n" + l3 + "\n"));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"accepted\":3,\"refused\":0}", r.body().trim());
        // 200 means acknowledged: the counters say so already, and the messages are on their way to subscribers.
        assertEquals(3L, counter(c, "acknowledged"));
        await().atMost(Duration.ofSeconds(20)).until(() -> web.size() == 2 && api.size() == 1);
        TextMessage m = web.get(0);
        assertEquals(l1, m.getText());
        assertEquals("h1", m.getStringProperty("host"));
        assertEquals("info", m.getStringProperty("level"));
        assertEquals(42L, m.getLongProperty("n"));
        assertEquals("u7", m.getStringProperty("user_id"));
        assertFalse(m.propertyExists("nested"));
        assertEquals("h", m.getStringProperty("source"));
        assertTrue(m.getStringProperty("peer").startsWith("127.0.0.1:"));
        assertEquals("h1/web", m.getStringProperty("JMSXGroupID"));
        assertTrue(api.get(0).getBooleanProperty("ok"));
        assertEquals("h1/api", api.get(0).getStringProperty("JMSXGroupID"));
        assertEquals(l3, web.get(1).getText());
        assertEquals(0.25, web.get(1).getDoubleProperty("ratio"));
        assertEquals("-/web", web.get(1).getStringProperty("JMSXGroupID"));
        assertEquals(3L, counter(c, "records_in"));
        assertEquals(0L, counter(c, "dropped"));
    }

    @Test
    void jsonArraysAndPlainLinesWithQueryParametersAsFields() throws Exception {
        List<TextMessage> web = listen(topic + ".web");
        List<TextMessage> unknown = listen(topic + ".unknown");
        HttpSourceConnector c = start("topic://" + topic + ".${app}");
        String obj = "{\n  \"app\": \"web\",\n  \"msg\": \"ü\"\n}";
        HttpResponse<String> r = send(post(uri(c, "/ingest"), "application/json; charset=utf-8",
                "[" + obj + ", \"a plain string\"]"));
        assertEquals(200, r.statusCode(), r.body());
        r = send(post(uri(c, "/?app=web&env=prod"), "text/plain", "first line\r\nsecond line\n"));
        assertEquals(200, r.statusCode(), r.body());
        await().atMost(Duration.ofSeconds(20)).until(() -> web.size() == 3 && unknown.size() == 1);
        assertEquals(obj, web.get(0).getText());
        assertEquals("ü", web.get(0).getStringProperty("msg"));
        assertEquals("a plain string", unknown.get(0).getText());
        assertEquals("127.0.0.1", unknown.get(0).getStringProperty("JMSXGroupID")); // no host or app: the client
        assertEquals(List.of("first line", "second line"), List.of(web.get(1).getText(), web.get(2).getText()));
        assertEquals("prod", web.get(1).getStringProperty("env"));
        assertEquals("-/web", web.get(1).getStringProperty("JMSXGroupID"));
    }

    @Test
    void aBearerTokenIsRequiredWhenConfigured() throws Exception {
        List<TextMessage> got = listen(topic);
        HttpSourceConnector c = start("topic://" + topic, "token", "s3cret");
        HttpResponse<String> r = send(post(uri(c, "/"), "text/plain", "no token"));
        assertEquals(401, r.statusCode());
        assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElseThrow());
        r = send(post(uri(c, "/"), "text/plain", "wrong token").header("Authorization", "Bearer s3cre"));
        assertEquals(401, r.statusCode());
        // The refused requests' bodies were read and discarded: the connection is still fine for the next one.
        r = send(post(uri(c, "/"), "text/plain", "right token").header("Authorization", "bearer s3cret"));
        assertEquals(200, r.statusCode(), r.body());
        await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == 1);
        assertEquals("right token", got.get(0).getText());
        assertEquals(1L, counter(c, "records_in"));
    }

    @Test
    void malformedJsonIsAnswered400NamingTheLineAndNothingOfItIsPublished() throws Exception {
        List<TextMessage> got = listen(topic);
        HttpSourceConnector c = start("topic://" + topic);
        HttpResponse<String> r = send(post(uri(c, "/"), "application/x-ndjson",
                "{\"a\":1}\n{\"a\":2}\n{\"a\":3,}\n{\"a\":4}\n"));
        assertEquals(400, r.statusCode());
        assertTrue(r.body().startsWith("line 3, column "), r.body());
        r = send(post(uri(c, "/"), "application/json", "[{\"a\":1}, {\"a\" 2}]"));
        assertEquals(400, r.statusCode());
        assertTrue(r.body().startsWith("line 1, column ") && r.body().contains("(element 2)"), r.body());
        r = send(post(uri(c, "/"), "application/x-ndjson", "{\"after\":true}\n"));
        assertEquals(200, r.statusCode());
        // The subscriber's first message is the good request's: nothing of the bad ones went out before it.
        await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == 1);
        assertEquals("{\"after\":true}", got.get(0).getText());
        assertEquals(1L, counter(c, "published"));
        assertEquals(1L, counter(c, "records_in"));
    }

    @Test
    void otherBadRequestsAreRefusedWithTheirStatus() throws Exception {
        listen(topic);
        HttpSourceConnector c = start("topic://" + topic, "max.request.bytes", "1k", "window", "3");
        assertEquals(405, send(HttpRequest.newBuilder(uri(c, "/")).GET()).statusCode());
        assertEquals(415, send(post(uri(c, "/"), "application/x-www-form-urlencoded", "a=b")).statusCode());
        HttpResponse<String> r = send(post(uri(c, "/"), "text/plain", "x".repeat(2000)));
        assertEquals(413, r.statusCode());
        // Without a Content-Length (chunked) the limit applies while the body is read.
        r = send(HttpRequest.newBuilder(uri(c, "/")).header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofInputStream(
                        () -> new ByteArrayInputStream("y\n".repeat(1000).getBytes(StandardCharsets.UTF_8)))));
        assertEquals(413, r.statusCode());
        r = send(post(uri(c, "/"), "text/plain", "1\n2\n3\n4\n"));
        assertEquals(413, r.statusCode());
        assertTrue(r.body().contains("more than window = 3"), r.body());
        assertEquals(200, send(post(uri(c, "/"), "text/plain", "1\n2\n3\n")).statusCode());
        assertEquals(3L, counter(c, "published"));
        assertEquals(4L, counter(c, "dropped")); // the four records of the request larger than the window
    }

    @Test
    void longLinesAreCutOrRefusedAndCompressedBodiesAccepted() throws Exception {
        List<TextMessage> got = listen(topic);
        HttpSourceConnector cut = start("topic://" + topic, "max.line.bytes", "16");
        HttpResponse<String> r = send(post(uri(cut, "/"), "text/plain", "short\n" + "z".repeat(40) + "\n"));
        assertEquals("{\"accepted\":2,\"refused\":0}", r.body().trim());
        await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == 2);
        assertEquals("z".repeat(16), got.get(1).getText());
        assertTrue(got.get(1).getBooleanProperty("truncated"));

        HttpSourceConnector refuse = start("topic://" + topic, "max.line.bytes", "16", "long.lines", "refuse");
        ByteArrayOutputStream gz = new ByteArrayOutputStream();
        try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
            out.write(("{\"k\":\"" + "z".repeat(40) + "\"}\n{\"k\":\"fits\"}\n").getBytes(StandardCharsets.UTF_8));
        }
        r = send(HttpRequest.newBuilder(uri(refuse, "/")).header("Content-Type", "application/x-ndjson")
                .header("Content-Encoding", "gzip").POST(HttpRequest.BodyPublishers.ofByteArray(gz.toByteArray())));
        assertEquals(200, r.statusCode(), r.body());
        assertEquals("{\"accepted\":1,\"refused\":1}", r.body().trim());
        await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == 3);
        assertEquals("{\"k\":\"fits\"}", got.get(2).getText());
        assertEquals(1L, counter(refuse, "dropped"));
        assertEquals(2L, counter(refuse, "records_in"));
    }

    @Test
    void aFullWindowIsAnswered429AndARequestIsAnswered200OnlyOnceAcknowledged() throws Exception {
        // A broker of its own, stopped and started again on the same port and data directory.
        BrokerConfig config = BrokerConfig.defaults().with(java.util.Map.of("http.port", "0")).withPort(0)
                .withDataDir(dir.resolve("outage"));
        Broker own = done(Broker.start(config));
        String url = own.url();
        config = config.withPort(own.port());
        String queue = topic + ".q";
        HttpSourceConnector c = start("queue://" + queue, "url", url, "window", "1");
        done(own.close());

        CompletableFuture<HttpResponse<String>> first = http.sendAsync(
                post(uri(c, "/"), "text/plain", "kept while the broker is away").build(),
                HttpResponse.BodyHandlers.ofString());
        // The record fills the window and stays there, unacknowledged, while the broker is down.
        await().atMost(Duration.ofSeconds(20)).until(() -> counter(c, "lag") == 1L);
        HttpResponse<String> second = send(post(uri(c, "/"), "text/plain", "refused"));
        assertEquals(429, second.statusCode());
        assertEquals("1", second.headers().firstValue("Retry-After").orElseThrow());
        assertFalse(first.isDone(), "answered before the broker acknowledged");
        assertEquals(0L, counter(c, "acknowledged"));

        own = done(Broker.start(config));
        try {
            HttpResponse<String> r = first.get(60, TimeUnit.SECONDS);
            assertEquals(200, r.statusCode(), r.body());
            assertEquals(1L, counter(c, "acknowledged"));
            List<String> got = new ArrayList<>();
            try (Connection conn = new HeraldConnectionFactory(url).createConnection()) {
                Session s = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
                conn.start();
                for (Message m = consumer.receive(5000); m != null; m = consumer.receive(200)) {
                    got.add(((TextMessage) m).getText());
                }
            }
            assertEquals(List.of("kept while the broker is away"), got.stream().distinct().toList());
            assertEquals(1L, counter(c, "dropped"));
        } finally {
            c.stop();
            done(own.close());
        }
    }

    @Test
    void tlsWithAPemCertificate() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1", "-days", "1").redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        List<TextMessage> got = listen(topic);
        HttpSourceConnector c = start("topic://" + topic, "listen", "tls://127.0.0.1:0", "tls.cert",
                cert.toString(), "tls.key", key.toString());
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        try (var in = Files.newInputStream(cert)) {
            trust.setCertificateEntry("server", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext ssl = SSLContext.getInstance("TLS");
        ssl.init(null, tmf.getTrustManagers(), null);
        HttpClient https = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ssl).build();
        HttpResponse<String> r = https.send(post(uri(c, "/"), "text/plain", "over tls").build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, r.statusCode(), r.body());
        await().atMost(Duration.ofSeconds(20)).until(() -> got.size() == 1);
        assertEquals("over tls", got.get(0).getText());
    }

    @Test
    void stopIsIdempotentAndClosesTheListener() throws Exception {
        HttpSourceConnector c = start("topic://" + topic);
        URI u = uri(c, "/");
        assertEquals(200, send(post(u, "text/plain", "one")).statusCode());
        c.stop();
        assertNull(catchFailure(() -> c.stop())); // idempotent
        assertTrue(catchFailure(() -> send(post(u, "text/plain", "two"))) != null, "still listening");
    }

    private static Throwable catchFailure(ThrowingRunnable r) {
        try {
            r.run();
            return null;
        } catch (Throwable t) {
            return t;
        }
    }

    @FunctionalInterface
    private interface ThrowingRunnable {
        void run() throws Exception;
    }

    private static <T> T done(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
