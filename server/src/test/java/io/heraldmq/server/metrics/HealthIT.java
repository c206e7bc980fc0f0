package io.heraldmq.server.metrics;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.Broker;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.junit.BrokerExtension;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import jakarta.jms.Connection;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import java.net.ConnectException;
import java.net.CookieManager;
import java.net.URI;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code /health/live} and {@code /health/ready} of real brokers: a single node is ready once started; a clustered
 * broker answers 503 with a reason while it joins its cluster and 200 once it and the others serve, and stays ready
 * (its replicas leading or following) after another broker leaves; the cluster's figures follow.
 */
class HealthIT {
    @RegisterExtension
    final BrokerExtension single = new BrokerExtension();

    @TempDir
    Path dir;
    private final List<Broker> cluster = new ArrayList<>();

    @AfterEach
    void stopCluster() throws Exception {
        for (Broker b : cluster) {
            b.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }

    @Test
    void aStartedSingleNodeIsLiveAndReady() throws Exception {
        String url = single.broker().httpUrl();
        HttpResponse<String> live = Scrape.get(url + "/health/live");
        assertEquals(200, live.statusCode());
        HttpResponse<String> ready = Scrape.get(url + "/health/ready");
        assertEquals(200, ready.statusCode(), ready.body());
        assertEquals("UP", new JsonObject(ready.body()).getString("status"));
        assertEquals("application/json", ready.headers().firstValue("Content-Type").orElse(""));
        assertEquals(404, Scrape.get(url + "/nothing").statusCode());
    }

    @Test
    void httpPortMinusOneMeansNoMonitoringPort() throws Exception {
        Broker b = start(BrokerConfig.defaults().with(Map.of("http.port", "-1", "port", "0",
                "data.dir", dir.resolve("off").toString())));
        assertNull(b.httpUrl());
        assertEquals(-1, b.httpPort());
    }

    @Test
    void aTakenMonitoringPortFailsTheStartNamingTheKey() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
            BrokerConfig config = BrokerConfig.defaults().with(Map.of("http.port",
                    String.valueOf(taken.getLocalPort()), "port", "0", "data.dir", dir.resolve("taken").toString()));
            ExecutionException e = assertThrows(ExecutionException.class, () -> Broker.start(config)
                    .toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("http.port"), e.getCause().getMessage());
        }
    }

    @Test
    void aClusteredBrokerIsReadyOnceJoinedAndStaysReadyWhenAnotherLeaves() throws Exception {
        int[] memberPorts = freePorts(3);
        int[] httpPorts = freePorts(3);
        StringBuilder members = new StringBuilder();
        for (int p : memberPorts) {
            members.append(members.length() == 0 ? "" : ",").append("127.0.0.1:").append(p);
        }
        List<BrokerConfig> configs = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            configs.add(BrokerConfig.defaults().with(Map.of("cluster.members", members.toString(), "cluster.port",
                    String.valueOf(memberPorts[i]), "cluster.host", "127.0.0.1", "port", "0", "http.port",
                    String.valueOf(httpPorts[i]), "log.flush.policy", "never", "data.dir",
                    dir.resolve("b" + i).toString())));
        }
        String first = "http://127.0.0.1:" + httpPorts[0];
        // Alone, the first broker waits at least a second for the others before it forms the cluster: meanwhile it
        // answers, and is not ready.
        Future<Broker> starting = Broker.start(configs.get(0));
        HttpResponse<String> early = await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                .ignoreExceptionsInstanceOf(ConnectException.class)
                // earlier phases (the metadata store loading) may answer first: wait for the cluster's
                .until(() -> Scrape.get(first + "/health/ready"), r -> r != null
                        && (r.statusCode() != 503 || r.body().contains("cluster")));
        assertEquals(503, early.statusCode(), early.body());
        JsonObject reason = new JsonObject(early.body());
        assertEquals("DOWN", reason.getString("status"));
        assertTrue(reason.getString("reason").contains("cluster"), reason.encode());
        assertEquals(200, Scrape.get(first + "/health/live").statusCode(), "live while starting");

        List<Future<Broker>> all = new ArrayList<>(List.of(starting));
        all.add(Broker.start(configs.get(1)));
        all.add(Broker.start(configs.get(2)));
        for (Future<Broker> f : all) {
            cluster.add(f.toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS));
        }
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.get(0).url())) {
            await().atMost(Duration.ofSeconds(30)).ignoreExceptions()
                    .until(() -> admin.clusterStatus().members().size() == 3);
            admin.createQueue("health.orders", 3, -1, -1);
        }
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            double led = 0;
            for (int i = 0; i < 3; i++) {
                String url = "http://127.0.0.1:" + httpPorts[i];
                assertEquals(200, Scrape.get(url + "/health/ready").statusCode());
                Scrape s = Scrape.of(url);
                // the queue's 3 partitions and the transaction decision log's one
                assertEquals(4, s.value("heraldmq_cluster_partitions_replicas"), "replicas on broker " + i);
                assertEquals(0, s.value("heraldmq_cluster_partitions_under_replicated"));
                led += s.value("heraldmq_cluster_partitions_led");
            }
            assertEquals(4, led, "every partition led once");
        });

        // followers copy what the leaders append, and catch up
        try (Connection c = new HeraldConnectionFactory(cluster.get(0).url()).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer producer = s.createProducer(s.createQueue("health.orders"));
            for (int i = 0; i < 30; i++) {
                producer.send(s.createTextMessage("m" + i));
            }
        }
        String[] orders = {"destination", "health.orders"};
        await().atMost(Duration.ofSeconds(30)).untilAsserted(() -> {
            double replicated = 0;
            for (int i = 0; i < 3; i++) {
                Scrape s = Scrape.of("http://127.0.0.1:" + httpPorts[i]);
                replicated += s.value("heraldmq_messages_replicated_total", orders);
                assertEquals(0, s.value("heraldmq_cluster_replication_lag_max"), "broker " + i);
                if (s.value("heraldmq_cluster_partitions_led") > 0) {
                    assertEquals(0, s.value("heraldmq_replication_lag_messages"), "broker " + i);
                }
            }
            assertTrue(replicated >= 2 * 30, "each message copied by two followers: " + replicated);
        });

        // the console's cluster page (no users: open) shows the members and the partitions' leaders
        HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager())
                .followRedirects(HttpClient.Redirect.NORMAL).build();
        String page = browser.send(HttpRequest.newBuilder(URI.create(first + "/console/cluster")).build(),
                HttpResponse.BodyHandlers.ofString()).body();
        assertTrue(page.contains("<table id=\"members\">"), page);
        for (Broker b : cluster) {
            assertTrue(page.contains(b.brokerId()), "member " + b.brokerId() + " in " + page);
        }
        assertEquals(3, page.split("queue health\\.orders", -1).length - 1, "one row per partition: " + page);
        assertFalse(page.contains("<strong>offline</strong>"), page);

        // the broker leading the most leaves; the other two take over and stay ready
        int leaving = 0;
        double most = -1;
        for (int i = 0; i < 3; i++) {
            double led = Scrape.of("http://127.0.0.1:" + httpPorts[i]).value("heraldmq_cluster_partitions_led");
            if (led > most) {
                most = led;
                leaving = i;
            }
        }
        cluster.remove(leaving).close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        int gone = leaving;
        await().atMost(Duration.ofSeconds(60)).untilAsserted(() -> {
            double led = 0;
            double changes = 0;
            for (int i = 0; i < 3; i++) {
                if (i == gone) {
                    continue;
                }
                String url = "http://127.0.0.1:" + httpPorts[i];
                HttpResponse<String> ready = Scrape.get(url + "/health/ready");
                assertEquals(200, ready.statusCode(), ready.body());
                Scrape s = Scrape.of(url);
                led += s.value("heraldmq_cluster_partitions_led");
                changes += s.value("heraldmq_cluster_leader_changes_total");
            }
            assertEquals(4, led, "the survivors lead every partition");
            assertTrue(changes >= 1, "leader changes counted");
        });
    }

    private Broker start(BrokerConfig config) throws Exception {
        Broker b = Broker.start(config).toCompletionStage().toCompletableFuture().get(60, TimeUnit.SECONDS);
        cluster.add(b);
        return b;
    }

    private static int[] freePorts(int n) throws Exception {
        return io.heraldmq.server.junit.MemberPorts.free(n);
    }
}
