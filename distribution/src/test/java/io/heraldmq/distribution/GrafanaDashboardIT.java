package io.heraldmq.distribution;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.Broker;
import io.heraldmq.server.BrokerConfig;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import jakarta.jms.Connection;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The Grafana dashboard the distribution ships ({@code grafana/heraldmq-dashboard.json}) is valid JSON and every
 * metric its queries use is one a broker exports: a clustered broker (a cluster of one, so the cluster series exist)
 * with a queue that was produced to and consumed from is scraped, and each name in each panel's {@code expr} must be
 * among the scrape's sample names.
 */
class GrafanaDashboardIT {
    private static final Path DASHBOARD = Path.of("grafana", "heraldmq-dashboard.json");
    /** Metric names as the dashboard's PromQL writes them (not functions, labels or variables). */
    private static final Pattern METRIC = Pattern.compile(
            "\\b((?:heraldmq|jvm|process|system|vertx)_[a-zA-Z0-9_]+)\\b");

    @TempDir
    Path dir;

    @Test
    void everyMetricTheDashboardUsesIsExported() throws Exception {
        JsonObject dashboard = new JsonObject(Files.readString(DASHBOARD));
        Set<String> used = new TreeSet<>();
        collectExpressions(dashboard.getJsonArray("panels"), used);
        assertTrue(used.size() > 30, "the dashboard uses " + used);

        int memberPort;
        try (ServerSocket s = new ServerSocket(0)) {
            memberPort = s.getLocalPort();
        }
        BrokerConfig config = BrokerConfig.defaults().with(Map.of("port", "0", "http.port", "0",
                "data.dir", dir.toString(), "cluster.members", "127.0.0.1:" + memberPort,
                "cluster.port", String.valueOf(memberPort), "cluster.host", "127.0.0.1"));
        Broker broker = Broker.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        try (Connection c = new HeraldConnectionFactory(broker.url()).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("dashboard.orders"));
            MessageConsumer consumer = s.createConsumer(s.createQueue("dashboard.orders"));
            for (int i = 0; i < 10; i++) {
                producer.send(s.createTextMessage("m" + i));
                assertNotNull(consumer.receive(5000));
            }
            System.gc(); // jvm_gc_pause_* appear after a collection
            HttpClient http = HttpClient.newHttpClient();
            await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
                String text = http.send(HttpRequest.newBuilder(URI.create(broker.httpUrl() + "/metrics")).build(),
                        HttpResponse.BodyHandlers.ofString()).body();
                Set<String> exported = new HashSet<>();
                for (String line : text.split("\n")) {
                    if (!line.startsWith("#") && !line.isBlank()) {
                        exported.add(line.split("[{ ]", 2)[0]);
                    }
                }
                Set<String> missing = new TreeSet<>(used);
                missing.removeAll(exported);
                assertTrue(missing.isEmpty(), "the dashboard uses metrics the broker does not export: " + missing);
            });
        } finally {
            broker.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    private static void collectExpressions(JsonArray panels, Set<String> out) {
        for (int i = 0; i < panels.size(); i++) {
            JsonObject panel = panels.getJsonObject(i);
            JsonArray nested = panel.getJsonArray("panels");
            if (nested != null) {
                collectExpressions(nested, out);
            }
            JsonArray targets = panel.getJsonArray("targets");
            if (targets == null) {
                continue;
            }
            for (int t = 0; t < targets.size(); t++) {
                String expr = targets.getJsonObject(t).getString("expr");
                assertFalse(expr == null || expr.isBlank(), panel.getString("title") + " has an empty query");
                Matcher m = METRIC.matcher(expr);
                while (m.find()) {
                    out.add(m.group(1));
                }
            }
        }
    }
}
