package io.heraldmq.connect.http;

import io.heraldmq.connect.ConnectorConfig;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.junit.BrokerExtension;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpServer;
import jakarta.jms.Connection;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The http sink against a real broker and a real HTTP endpoint (a Vert.x server in the test that records what it is
 * sent and answers as each test says).
 */
class HttpSinkIT {
    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    private static Vertx vertx;

    /** One request the endpoint received. */
    record Received(String path, Map<String, String> headers, String body, int status, String answer) {
        List<String> lines() {
            return Arrays.asList(body.split("\n"));
        }
    }

    private HttpServer server;
    private final List<Received> requests = new CopyOnWriteArrayList<>();
    private final AtomicInteger requestCount = new AtomicInteger();
    /** Status and body for the n-th request (0-based). */
    private volatile IntFunction<Answer> answers = n -> new Answer(200, "{}");
    private final List<HttpSinkConnector> running = new ArrayList<>();

    record Answer(int status, String body) {
    }

    @BeforeAll
    static void startVertx() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stopVertx() throws Exception {
        vertx.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @BeforeEach
    void startEndpoint() throws Exception {
        server = vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(b -> {
            Answer a = answers.apply(requestCount.getAndIncrement());
            Map<String, String> h = new HashMap<>();
            req.headers().forEach(e -> h.put(e.getKey().toLowerCase(), e.getValue()));
            requests.add(new Received(req.path(), h, b.toString(StandardCharsets.UTF_8), a.status(),
                    a.body()));
            req.response().setStatusCode(a.status()).putHeader("Content-Type", "application/json").end(a.body());
        }));
        server.listen(0, "127.0.0.1").toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() throws Exception {
        running.forEach(HttpSinkConnector::stop);
        server.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }

    private String endpoint(String path) {
        return "http://127.0.0.1:" + server.actualPort() + path;
    }

    private HttpSinkConnector start(String... options) throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("connector.out.type", "http-sink");
        m.put("connector.out.url", broker.url());
        m.put("connector.out.endpoint", endpoint("/ingest"));
        m.put("connector.out.retry.backoff", "20ms");
        for (int i = 0; i < options.length; i += 2) {
            m.put("connector.out." + options[i], options[i + 1]);
        }
        HttpSinkConnector c = new HttpSinkConnector(ConnectorConfig.parse(m).get(0),
                new HeraldConnectionFactory(broker.url()));
        running.add(c);
        c.start();
        assertTrue(c.awaitSubscribed(Duration.ofSeconds(20)));
        return c;
    }

    /** Sends the bodies as TextMessages; returns their message ids. */
    private static List<String> send(String destination, boolean queue, List<String> bodies) throws Exception {
        List<String> ids = new ArrayList<>();
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(queue ? s.createQueue(destination) : s.createTopic(destination));
            for (String b : bodies) {
                TextMessage m = s.createTextMessage(b);
                p.send(m);
                ids.add(m.getJMSMessageID());
            }
        }
        return ids;
    }

    private static List<String> numbered(String prefix, int n) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(prefix + i);
        }
        return out;
    }

    /** What is left on the queue (waiting a second for the first message: enough once a sink has stopped). */
    private static List<String> drain(String queue) throws Exception {
        List<String> got = new ArrayList<>();
        try (Connection conn = new HeraldConnectionFactory(broker.url()).createConnection()) {
            Session s = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageConsumer consumer = s.createConsumer(s.createQueue(queue));
            conn.start();
            for (Message m = consumer.receive(1000); m != null; m = consumer.receive(300)) {
                got.add(((TextMessage) m).getText());
            }
        }
        return got;
    }

    private static long counter(HttpSinkConnector c, String name) {
        return c.counters().snapshot().get(name);
    }

    /** The lines of every request the endpoint took (2xx, and no _bulk errors), in order. */
    private List<String> acceptedLines() {
        List<String> out = new ArrayList<>();
        for (Received r : requests) {
            if (r.status() / 100 == 2 && !r.answer().contains("\"errors\":true")) {
                out.addAll(r.lines());
            }
        }
        return out;
    }

    @Test
    void ndjsonBatchesWithHeadersAndTokenAreCommittedOnceTheEndpointTookThem() throws Exception {
        HttpSinkConnector c = start("destination", "queue://sink.http.ndjson", "batch.size", "40", "token", "t0k",
                "headers", "X-Tenant: blue; X-Other: a:b");
        List<String> bodies = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            bodies.add(i % 2 == 0 ? "{\"i\":" + i + "}" : "plain line " + i);
        }
        send("sink.http.ndjson", true, bodies);
        await().atMost(Duration.ofSeconds(20)).until(() -> counter(c, "acknowledged") == 100L);
        List<String> expected = new ArrayList<>();
        for (String b : bodies) {
            expected.add(b.startsWith("{") ? b : "\"" + b + "\"");
        }
        assertEquals(expected, acceptedLines());
        assertTrue(requests.size() >= 3, "batches of at most 40: " + requests.size());
        Received first = requests.get(0);
        assertEquals("/ingest", first.path());
        assertEquals("application/x-ndjson", first.headers().get("content-type"));
        assertEquals("Bearer t0k", first.headers().get("authorization"));
        assertEquals("blue", first.headers().get("x-tenant"));
        assertEquals("a:b", first.headers().get("x-other"));
        assertTrue(first.body().endsWith("\n"));
        assertEquals(100L, counter(c, "published"));
        c.stop();
        assertEquals(List.of(), drain("sink.http.ndjson"));
    }

    @Test
    void bulkFormatFromADurableSubscriptionWithMessageIdsAsDocumentIds() throws Exception {
        HttpSinkConnector c = start("destination", "topic://sink.http.bulk", "subscription", "es", "format", "bulk",
                "index", "logs-web");
        List<String> ids = send("sink.http.bulk", false, List.of("{\"msg\":\"a\"}", "plain b"));
        await().atMost(Duration.ofSeconds(20)).until(() -> counter(c, "acknowledged") == 2L);
        assertEquals(List.of(
                "{\"index\":{\"_index\":\"logs-web\",\"_id\":\"" + ids.get(0) + "\"}}",
                "{\"msg\":\"a\"}",
                "{\"index\":{\"_index\":\"logs-web\",\"_id\":\"" + ids.get(1) + "\"}}",
                "{\"message\":\"plain b\"}"), acceptedLines());
    }

    @Test
    void aFailingEndpointGetsTheSameBatchAgainUntilItTakesItAndItIsCommittedOnce() throws Exception {
        // 500, then a _bulk answer with errors (a failure too), then success.
        answers = n -> switch (n) {
            case 0 -> new Answer(500, "{\"error\":\"busy\"}");
            case 1 -> new Answer(200, "{\"took\":1,\"errors\":true,\"items\":[]}");
            default -> new Answer(200, "{\"took\":1,\"errors\":false,\"items\":[]}");
        };
        List<String> bodies = numbered("{\"n\":", 20).stream().map(s -> s + "}").toList();
        send("sink.http.retry", true, bodies);
        HttpSinkConnector c = start("destination", "queue://sink.http.retry", "format", "bulk");
        await().atMost(Duration.ofSeconds(20)).until(() -> counter(c, "acknowledged") == 20L);
        assertTrue(requests.size() >= 3);
        assertEquals(requests.get(0).body(), requests.get(1).body(), "the retry sends the same batch");
        assertEquals(requests.get(0).body(), requests.get(2).body());
        List<String> docs = new ArrayList<>();
        List<String> lines = acceptedLines();
        for (int i = 1; i < lines.size(); i += 2) {
            docs.add(lines.get(i));
        }
        assertEquals(bodies, docs, "every message once, in order");
        assertTrue(counter(c, "retried") >= 2);
        c.stop();
        assertEquals(List.of(), drain("sink.http.retry"), "committed: nothing comes again");
    }

    @Test
    void whileTheEndpointFailsNothingIsCommittedAndAStopGivesTheBatchBack() throws Exception {
        answers = n -> new Answer(503, "down");
        HttpSinkConnector c = start("destination", "queue://sink.http.down");
        List<String> bodies = numbered("m", 5);
        send("sink.http.down", true, bodies);
        await().atMost(Duration.ofSeconds(20)).until(() -> requests.size() >= 3);
        assertEquals(0L, counter(c, "acknowledged"));
        c.stop();
        assertEquals(bodies, drain("sink.http.down"));
    }

    @Test
    void afterRetryMaxAttemptsTheBatchIsRolledBackAndDeliveredAgain() throws Exception {
        answers = n -> n < 2 ? new Answer(500, "no") : new Answer(204, "");
        List<String> bodies = numbered("r", 3);
        send("sink.http.rollback", true, bodies);
        HttpSinkConnector c = start("destination", "queue://sink.http.rollback", "retry.max", "1");
        await().atMost(Duration.ofSeconds(20)).until(() -> counter(c, "acknowledged") == 3L);
        assertEquals(List.of("\"r0\"", "\"r1\"", "\"r2\""), acceptedLines());
        assertEquals(0L, counter(c, "retried")); // given back to the broker each time rather than retried here
        c.stop();
        assertEquals(List.of(), drain("sink.http.rollback"));
    }
}
