package io.heraldmq.connect.otlp;

import io.heraldmq.connect.ConnectorConfig;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.Broker;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.junit.BrokerExtension;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.common.Value;
import io.opentelemetry.api.logs.Logger;
import io.opentelemetry.api.logs.Severity;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanContext;
import io.opentelemetry.api.trace.TraceFlags;
import io.opentelemetry.api.trace.TraceState;
import io.opentelemetry.context.Context;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporter;
import io.opentelemetry.exporter.otlp.http.logs.OtlpHttpLogRecordExporterBuilder;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceRequest;
import io.opentelemetry.proto.collector.logs.v1.ExportLogsServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.logs.v1.LogRecord;
import io.opentelemetry.proto.logs.v1.ResourceLogs;
import io.opentelemetry.proto.logs.v1.ScopeLogs;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.sdk.common.CompletableResultCode;
import io.opentelemetry.sdk.logs.SdkLoggerProvider;
import io.opentelemetry.sdk.logs.data.LogRecordData;
import io.opentelemetry.sdk.logs.export.LogRecordExporter;
import io.opentelemetry.sdk.logs.export.BatchLogRecordProcessor;
import jakarta.jms.Connection;
import jakarta.jms.JMSException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import jakarta.jms.Topic;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The otlp source against a real broker, fed by the OpenTelemetry Java SDK's OTLP/HTTP log exporter (protobuf, gzip,
 * over plain HTTP and TLS) and by {@link HttpClient} for OTLP/JSON and for bad, oversized and throttled requests.
 */
class OtlpSourceIT {
    private static final String TRACE = "5b8efff798038103d269b633813fc60c";
    private static final String SPAN = "eee19b7ec3c1b174";
    private static final String TOKEN = "s3cret-token";

    @RegisterExtension
    static final BrokerExtension broker = new BrokerExtension();

    @TempDir
    Path dir;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();
    private String topic;
    private Connection consumerConnection;
    private final List<TextMessage> received = new CopyOnWriteArrayList<>();
    private final List<OtlpSourceConnector> running = new ArrayList<>();

    @BeforeEach
    void subscribe(TestInfo info) throws JMSException {
        topic = "otlp." + info.getTestMethod().orElseThrow().getName();
        consumerConnection = new HeraldConnectionFactory(broker.url()).createConnection();
        consumerConnection.start();
        listen(topic);
    }

    private void listen(String name) throws JMSException {
        Session s = consumerConnection.createSession(false, Session.AUTO_ACKNOWLEDGE);
        s.createConsumer(s.createTopic(name)).setMessageListener(m -> received.add((TextMessage) m));
    }

    @AfterEach
    void close() throws JMSException {
        for (OtlpSourceConnector c : running) {
            c.stop();
        }
        consumerConnection.close();
    }

    private OtlpSourceConnector start(String destination, String... options) throws Exception {
        Map<String, String> m = new HashMap<>();
        m.put("connector.o.type", "otlp");
        m.put("connector.o.url", broker.url());
        m.put("connector.o.destination", destination);
        m.put("connector.o.listen", "tcp://127.0.0.1:0");
        for (int i = 0; i < options.length; i += 2) {
            m.put("connector.o." + options[i], options[i + 1]);
        }
        OtlpSourceConnector c = new OtlpSourceConnector(ConnectorConfig.parse(m).get(0),
                new HeraldConnectionFactory(m.get("connector.o.url")));
        running.add(c);
        c.start();
        return c;
    }

    private static String endpoint(OtlpSourceConnector c, String scheme) {
        return scheme + "://127.0.0.1:" + URI.create(c.boundAddress()).getPort() + "/v1/logs";
    }

    private HttpResponse<byte[]> post(OtlpSourceConnector c, String contentType, byte[] body, String... headers)
            throws Exception {
        return http.send(request(c, contentType, body, headers), HttpResponse.BodyHandlers.ofByteArray());
    }

    private static HttpRequest request(OtlpSourceConnector c, String contentType, byte[] body, String... headers) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(endpoint(c, "http")))
                .timeout(Duration.ofSeconds(120))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofByteArray(body));
        for (int i = 0; i < headers.length; i += 2) {
            b.header(headers[i], headers[i + 1]);
        }
        return b.build();
    }

    /** A request of one resource ({@code service.name = svc}) with these bodies, in order. */
    private static ExportLogsServiceRequest logs(String service, List<String> bodies) {
        ScopeLogs.Builder scope = ScopeLogs.newBuilder();
        for (String body : bodies) {
            scope.addLogRecords(LogRecord.newBuilder().setTimeUnixNano(System.currentTimeMillis() * 1_000_000L)
                    .setSeverityNumberValue(9).setBody(AnyValue.newBuilder().setStringValue(body))
                    .addAttributes(KeyValue.newBuilder().setKey("thread.name")
                            .setValue(AnyValue.newBuilder().setStringValue("main"))));
        }
        return ExportLogsServiceRequest.newBuilder().addResourceLogs(ResourceLogs.newBuilder()
                .setResource(Resource.newBuilder().addAttributes(KeyValue.newBuilder().setKey("service.name")
                        .setValue(AnyValue.newBuilder().setStringValue(service))))
                .addScopeLogs(scope)).build();
    }

    private static OtlpHttpLogRecordExporterBuilder exporter(String endpoint) {
        return OtlpHttpLogRecordExporter.builder().setEndpoint(endpoint).setTimeout(Duration.ofSeconds(20));
    }

    /**
     * Emits through the SDK (one batch) and flushes; returns whether the exports succeeded (the batch processor's
     * flush succeeds whatever the export's result, so that is read from the exporter's answers).
     */
    private static boolean emitWithSdk(OtlpHttpLogRecordExporter otlp, int n) {
        List<CompletableResultCode> results = new CopyOnWriteArrayList<>();
        LogRecordExporter exporter = new LogRecordExporter() {
            @Override
            public CompletableResultCode export(Collection<LogRecordData> logs) {
                CompletableResultCode r = otlp.export(logs);
                results.add(r);
                return r;
            }

            @Override
            public CompletableResultCode flush() {
                return otlp.flush();
            }

            @Override
            public CompletableResultCode shutdown() {
                return otlp.shutdown();
            }
        };
        SdkLoggerProvider provider = SdkLoggerProvider.builder()
                .setResource(io.opentelemetry.sdk.resources.Resource.getDefault().merge(
                        io.opentelemetry.sdk.resources.Resource.create(Attributes.of(
                                AttributeKey.stringKey("service.name"), "checkout",
                                AttributeKey.stringKey("host.name"), "web-1"))))
                .addLogRecordProcessor(BatchLogRecordProcessor.builder(exporter)
                        .setScheduleDelay(Duration.ofHours(1)).build())
                .build();
        try {
            Logger logger = provider.loggerBuilder("com.example.Checkout").setInstrumentationVersion("1.2").build();
            Context traced = Context.root().with(Span.wrap(SpanContext.create(TRACE, SPAN, TraceFlags.getSampled(),
                    TraceState.getDefault())));
            logger.logRecordBuilder().setBody("payment refused").setSeverity(Severity.WARN).setSeverityText("WARN")
                    .setAttribute(AttributeKey.stringKey("http.request.method"), "POST")
                    .setAttribute(AttributeKey.longKey("order.items"), 3L)
                    .setEventName("payment.refused").setContext(traced).emit();
            logger.logRecordBuilder().setBody(Value.of(Map.of("user", Value.of("ada"), "ok", Value.of(false))))
                    .setSeverity(Severity.INFO).emit();
            for (int i = 2; i < n; i++) {
                logger.logRecordBuilder().setBody("line " + i).setSeverity(Severity.DEBUG).emit();
            }
            provider.forceFlush().join(30, TimeUnit.SECONDS);
            return !results.isEmpty() && CompletableResultCode.ofAll(results).join(30, TimeUnit.SECONDS).isSuccess();
        } finally {
            provider.shutdown().join(10, TimeUnit.SECONDS);
        }
    }

    private void awaitCount(int n) {
        await().atMost(Duration.ofSeconds(20)).until(() -> received.size() >= n);
    }

    @Test
    void theSdkExporterOverProtobufWithGzipAndAToken() throws Exception {
        listen(topic + ".checkout");
        OtlpSourceConnector c = start("topic://" + topic + ".${service.name}", "token", TOKEN);
        OtlpHttpLogRecordExporter exporter = exporter(endpoint(c, "http")).setCompression("gzip")
                .addHeader("Authorization", "Bearer " + TOKEN).build();
        assertTrue(emitWithSdk(exporter, 5), "the export failed");
        awaitCount(5);

        TextMessage m = received.get(0);
        assertEquals(topic + ".checkout", ((Topic) m.getJMSDestination()).getTopicName());
        assertEquals("payment refused", m.getText());
        assertEquals("checkout/web-1", m.getStringProperty("JMSXGroupID"));
        assertEquals("checkout", m.getStringProperty("resource_service_name"));
        assertEquals("web-1", m.getStringProperty("resource_host_name"));
        assertEquals("java", m.getStringProperty("resource_telemetry_sdk_language"));
        assertEquals("WARN", m.getStringProperty("severityText"));
        assertEquals(13, m.getIntProperty("severityNumber"));
        assertEquals(TRACE, m.getStringProperty("traceId"));
        assertEquals(SPAN, m.getStringProperty("spanId"));
        assertEquals(1, m.getIntProperty("traceFlags"));
        assertEquals("POST", m.getStringProperty("attr_http_request_method"));
        assertEquals(3L, m.getLongProperty("attr_order_items"));
        assertEquals("payment.refused", m.getStringProperty("eventName"));
        assertEquals("com.example.Checkout", m.getStringProperty("scopeName"));
        assertEquals("1.2", m.getStringProperty("scopeVersion"));
        assertTrue(m.getLongProperty("observedTimeUnixNano") > 0);
        assertTrue(m.getStringProperty("timestamp").endsWith("Z"));
        assertEquals("o", m.getStringProperty("source"));

        TextMessage kv = received.get(1);
        assertEquals("kvlist", kv.getStringProperty("bodyType"));
        assertTrue(kv.getText().contains("\"user\":\"ada\"") && kv.getText().contains("\"ok\":false"),
                kv.getText());
        for (int i = 2; i < 5; i++) {
            assertEquals("line " + i, received.get(i).getText());
        }
        assertEquals(5L, c.counters().snapshot().get("records_in"));
        assertEquals(5L, c.counters().snapshot().get("acknowledged"));
    }

    @Test
    void theSdkExporterOverTls() throws Exception {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Process p = new ProcessBuilder("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout",
                key.toString(), "-out", cert.toString(), "-subj", "/CN=127.0.0.1", "-addext",
                "subjectAltName=IP:127.0.0.1", "-days", "1").redirectErrorStream(true).start();
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        OtlpSourceConnector c = start("topic://" + topic, "listen", "tls://127.0.0.1:0", "tls.cert", cert.toString(),
                "tls.key", key.toString());
        OtlpHttpLogRecordExporter exporter = exporter(endpoint(c, "https"))
                .setTrustedCertificates(Files.readAllBytes(cert)).build();
        assertTrue(emitWithSdk(exporter, 2), "the export failed");
        awaitCount(2);
        assertEquals("payment refused", received.get(0).getText());
    }

    @Test
    void otlpJsonWithHexIds() throws Exception {
        OtlpSourceConnector c = start("topic://" + topic);
        String json = """
                {"resourceLogs":[{"resource":{"attributes":[{"key":"service.name","value":{"stringValue":"shop"}},
                  {"key":"host.name","value":{"stringValue":"h1"}}]},
                 "scopeLogs":[{"scope":{"name":"my.library"},
                  "logRecords":[{"timeUnixNano":"1544712660300000000","severityNumber":17,"severityText":"ERROR",
                   "traceId":"%s","spanId":"%s","flags":1,"body":{"stringValue":"disk full"},
                   "attributes":[{"key":"disk.free","value":{"intValue":"0"}}]},
                   {"body":{"arrayValue":{"values":[{"stringValue":"a"},{"doubleValue":1.5}]}}}]}]}]}
                """.formatted(TRACE, SPAN);
        HttpResponse<byte[]> r = post(c, "application/json", json.getBytes(StandardCharsets.UTF_8));
        assertEquals(200, r.statusCode());
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals("{}", new String(r.body(), StandardCharsets.UTF_8));
        // answered only after the broker acknowledged: the messages are there already or on their way to us
        assertEquals(2L, c.counters().snapshot().get("acknowledged"));
        awaitCount(2);
        TextMessage m = received.get(0);
        assertEquals("disk full", m.getText());
        assertEquals(TRACE, m.getStringProperty("traceId"));
        assertEquals(SPAN, m.getStringProperty("spanId"));
        assertEquals(17, m.getIntProperty("severityNumber"));
        assertEquals(0L, m.getLongProperty("attr_disk_free"));
        assertEquals("2018-12-13T14:51:00.300Z", m.getStringProperty("timestamp"));
        assertEquals("shop/h1", m.getStringProperty("JMSXGroupID"));
        assertEquals("[\"a\",1.5]", received.get(1).getText());
        assertEquals("array", received.get(1).getStringProperty("bodyType"));
    }

    @Test
    void badTokenMalformedOversizedAndUnsupportedRequestsPublishNothing() throws Exception {
        OtlpSourceConnector c = start("topic://" + topic, "token", TOKEN, "max.request.bytes", "4k");
        byte[] valid = logs("svc", List.of("the only one")).toByteArray();
        String bearer = "Bearer " + TOKEN;

        HttpResponse<byte[]> r = post(c, "application/x-protobuf", valid, "Authorization", "Bearer wrong");
        assertEquals(401, r.statusCode());
        assertEquals("Bearer", r.headers().firstValue("WWW-Authenticate").orElseThrow());
        assertEquals(401, post(c, "application/x-protobuf", valid).statusCode());
        // the SDK's exporter sees the refusal too
        OtlpHttpLogRecordExporter exporter = exporter(endpoint(c, "http")).addHeader("Authorization", "Bearer no")
                .build();
        assertFalse(emitWithSdk(exporter, 1));

        r = post(c, "application/x-protobuf", "not protobuf at all".getBytes(StandardCharsets.UTF_8),
                "Authorization", bearer);
        assertEquals(400, r.statusCode());
        assertEquals("application/x-protobuf", r.headers().firstValue("Content-Type").orElseThrow());
        assertEquals(400, post(c, "application/json", "{\"resourceLogs\":[{".getBytes(StandardCharsets.UTF_8),
                "Authorization", bearer).statusCode());
        r = post(c, "application/json", "[1,2]".getBytes(StandardCharsets.UTF_8), "Authorization", bearer);
        assertEquals(400, r.statusCode());
        assertTrue(new String(r.body(), StandardCharsets.UTF_8).startsWith("{\"code\":3,\"message\":\"not an OTLP"));
        assertEquals(400, post(c, "application/x-protobuf", valid, "Authorization", bearer, "Content-Encoding",
                "gzip").statusCode());
        assertEquals(413, post(c, "application/x-protobuf", logs("svc", List.of("x".repeat(5000))).toByteArray(),
                "Authorization", bearer).statusCode());
        assertEquals(415, post(c, "text/plain", valid, "Authorization", bearer).statusCode());
        assertEquals(415, post(c, "application/x-protobuf", valid, "Authorization", bearer, "Content-Encoding",
                "br").statusCode());
        HttpResponse<String> notFound = http.send(HttpRequest.newBuilder(URI.create(endpoint(c, "http")
                .replace("/v1/logs", "/v1/traces"))).POST(HttpRequest.BodyPublishers.ofByteArray(valid)).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(404, notFound.statusCode());

        r = post(c, "application/x-protobuf", valid, "Authorization", bearer);
        assertEquals(200, r.statusCode());
        assertEquals(ExportLogsServiceResponse.getDefaultInstance(), ExportLogsServiceResponse.parseFrom(r.body()));
        awaitCount(1);
        assertEquals("the only one", received.get(0).getText());
        assertEquals(1L, c.counters().snapshot().get("records_in"));
        assertEquals(1, received.size());
    }

    @Test
    void aFullWindowWhileTheBrokerIsDownIsAnswered429AndNothingIsAnswered200BeforeTheBrokerHasIt() throws Exception {
        BrokerConfig config = BrokerConfig.defaults().with(java.util.Map.of("http.port", "0")).withPort(0)
                .withDataDir(dir.resolve("outage"));
        Broker own = done(Broker.start(config));
        String url = own.url();
        config = config.withPort(own.port());
        String queue = topic + ".outage";
        OtlpSourceConnector c = start("queue://" + queue, "url", url, "window", "4");
        done(own.close());

        CompletableFuture<HttpResponse<byte[]>> first = http.sendAsync(request(c, "application/x-protobuf",
                logs("svc", List.of("a", "b", "c")).toByteArray()), HttpResponse.BodyHandlers.ofByteArray());
        await().atMost(Duration.ofSeconds(20)).until(() -> c.counters().snapshot().get("lag") == 3L);
        HttpResponse<byte[]> throttled = post(c, "application/json",
                OtlpJson.print(logs("svc", List.of("d", "e"))).getBytes(StandardCharsets.UTF_8));
        assertEquals(429, throttled.statusCode());
        assertEquals("1", throttled.headers().firstValue("Retry-After").orElseThrow());
        assertTrue(new String(throttled.body(), StandardCharsets.UTF_8).startsWith("{\"code\":8,"));
        assertFalse(first.isDone(), "answered before the broker acknowledged");

        own = done(Broker.start(config));
        try {
            assertEquals(200, first.get(60, TimeUnit.SECONDS).statusCode());
            List<String> got = new ArrayList<>();
            try (Connection conn = new HeraldConnectionFactory(url).createConnection()) {
                Session session = conn.createSession(false, Session.AUTO_ACKNOWLEDGE);
                MessageConsumer consumer = session.createConsumer(session.createQueue(queue));
                conn.start();
                for (Message m = consumer.receive(5000); m != null; m = consumer.receive(500)) {
                    got.add(((TextMessage) m).getText());
                }
            }
            assertEquals(List.of("a", "b", "c"), got.stream().distinct().toList());
            assertEquals(3L, c.counters().snapshot().get("records_in"));
        } finally {
            c.stop();
            done(own.close());
        }
    }

    /** Not an assertion: records per second for batches of 1,000 records with 200-byte bodies, printed. */
    @Test
    void throughputOfBatchesOf1000() throws Exception {
        OtlpSourceConnector c = start("queue://" + topic);
        String pad = "x".repeat(190);
        List<byte[]> batches = new ArrayList<>();
        for (int b = 0; b < 8; b++) {
            List<String> bodies = new ArrayList<>();
            for (int i = 0; i < 1000; i++) {
                bodies.add(String.format("%09d ", b * 1000 + i) + pad);
            }
            batches.add(logs("bench", bodies).toByteArray());
        }
        for (int i = 0; i < 5; i++) {
            assertEquals(200, post(c, "application/x-protobuf", batches.get(i)).statusCode()); // JIT
        }
        int sequential = 8;
        long t0 = System.nanoTime();
        for (int i = 0; i < sequential; i++) {
            assertEquals(200, post(c, "application/x-protobuf", batches.get(i % batches.size())).statusCode());
        }
        double seqRate = sequential * 1000 / ((System.nanoTime() - t0) / 1e9);

        int concurrent = 4;
        int perSender = 3;
        t0 = System.nanoTime();
        List<CompletableFuture<Void>> senders = new ArrayList<>();
        for (int s = 0; s < concurrent; s++) {
            int sender = s;
            senders.add(CompletableFuture.runAsync(() -> {
                HttpClient own = HttpClient.newHttpClient();
                for (int i = 0; i < perSender; i++) {
                    try {
                        HttpResponse<Void> r = own.send(request(c, "application/x-protobuf",
                                batches.get((sender + i) % batches.size())), HttpResponse.BodyHandlers.discarding());
                        assertEquals(200, r.statusCode());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        CompletableFuture.allOf(senders.toArray(CompletableFuture[]::new)).get(120, TimeUnit.SECONDS);
        double concRate = concurrent * perSender * 1000 / ((System.nanoTime() - t0) / 1e9);
        System.out.printf("OTLP throughput (1,000-record batches, 200-byte bodies, send = transacted, queue): "
                + "one sender %.0f records/s; %d senders %.0f records/s%n", seqRate, concurrent, concRate);
    }

    private static <T> T done(io.vertx.core.Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
}
