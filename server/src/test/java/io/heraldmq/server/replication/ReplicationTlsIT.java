package io.heraldmq.server.replication;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.heraldmq.server.cluster.ClusterCertificates;
import io.heraldmq.server.cluster.ClusterTlsSettings;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.net.SocketAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The replication link with cluster TLS, in one JVM with real sockets: a replication port of broker "a" and the
 * replication connections of other brokers. A peer whose certificate the cluster's CA issued is answered; one with a
 * certificate of another CA, and one speaking plain text, are refused, with a log line on each side that says why.
 * New certificate files are taken without a restart.
 */
class ReplicationTlsIT {
    @TempDir
    Path dir;
    private Vertx vertx;
    private ClusterCertificates cluster;
    private ClusterCertificates other;
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            logged.add(event.getLoggerName() + ": " + event.getFormattedMessage());
        }
    };

    @BeforeEach
    void certificates() throws Exception {
        assumeTrue(ClusterCertificates.opensslAvailable(), "the openssl binary is not installed");
        cluster = new ClusterCertificates(dir, "cluster-ca").issue("a", "b");
        other = new ClusterCertificates(dir, "other-ca").issue("rogue", "a-renewed");
        vertx = Vertx.vertx();
        capture.start();
        ((Logger) LoggerFactory.getLogger(ReplicationServer.class)).addAppender(capture);
        ((Logger) LoggerFactory.getLogger(ReplicationPeers.class)).addAppender(capture);
    }

    @AfterEach
    void stop() throws Exception {
        ((Logger) LoggerFactory.getLogger(ReplicationServer.class)).detachAppender(capture);
        ((Logger) LoggerFactory.getLogger(ReplicationPeers.class)).detachAppender(capture);
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void onlyPeersWithACertificateOfTheClusterCaAreServed() throws Exception {
        SocketAddress a = listen(tls(cluster.config("a")));

        ReplicationPeers b = peers(a, tls(cluster.config("b")));
        assertEquals(ReplicationFrameType.FETCH_RESULT, answer(fetch(b)).type(),
                "a broker of the cluster is answered");

        ReplicationPeers rogue = peers(a, tls(other.config("rogue")));
        Throwable refused = failure(fetch(rogue));
        assertInstanceOf(ReplicationPeers.NotSentException.class, refused, refused.toString());
        await("a log line on each side").atMost(Duration.ofSeconds(5)).until(() ->
                logged.stream().anyMatch(l -> l.contains("ReplicationServer: refused a replication connection:"
                        + " TLS handshake failed"))
                        && logged.stream().anyMatch(l -> l.contains("ReplicationPeers: replication connection to"
                        + " broker a at " + a + " refused")));

        // trusts the cluster's CA (its certificate is no secret) but shows a certificate the CA did not issue
        logged.clear();
        ReplicationPeers outsider = peers(a, tls(other.config("rogue").replace(other.caFile().toString(),
                cluster.caFile().toString())));
        failure(fetch(outsider));
        await("the server's refusal of the client certificate").atMost(Duration.ofSeconds(5)).until(() ->
                logged.stream().anyMatch(l -> l.contains("ReplicationServer: refused a replication connection:"
                        + " TLS handshake failed")));

        ReplicationPeers plain = peers(a, ClusterTlsSettings.DEFAULTS);
        failure(fetch(plain));
        await("the plain-text connection is logged").atMost(Duration.ofSeconds(5)).until(() ->
                logged.stream().anyMatch(l -> l.contains("refused a replication connection: not TLS")));

        assertEquals(ReplicationFrameType.FETCH_RESULT, answer(fetch(b)).type(),
                "the refusals cost the cluster's own connection nothing");
    }

    @Test
    void aRelayIsUpgradedToTheClientProtocolOnlyWhereRelaysAreAccepted() throws Exception {
        ClusterTlsSettings tls = tls(cluster.config("a"));
        ReplicationServer server = new ReplicationServer(vertx, key -> null);
        int port = answer(server.listen("127.0.0.1", 0, tls));
        io.vertx.core.net.NetClient b = vertx.createNetClient(io.heraldmq.server.net.TlsOptions.client(
                tls(cluster.config("b")).tls(), true));
        Throwable refused = failure(b.connect(port, "127.0.0.1").compose(RelayUpgrade::request));
        assertTrue(refused.getMessage().contains("closed the replication connection"), refused.toString());

        List<io.vertx.core.net.NetSocket> relayed = new CopyOnWriteArrayList<>();
        server.acceptRelays(socket -> {
            relayed.add(socket);
            socket.handler(socket::write); // what the client listener would answer: here, an echo
        });
        io.vertx.core.net.NetSocket relay = answer(b.connect(port, "127.0.0.1").compose(RelayUpgrade::request));
        io.vertx.core.Promise<io.vertx.core.buffer.Buffer> echo = io.vertx.core.Promise.promise();
        relay.handler(echo::tryComplete);
        relay.write("client protocol from here on");
        assertEquals("client protocol from here on", answer(echo.future()).toString());
        assertEquals(1, relayed.size());
    }

    @Test
    void certificateFilesReplacedOnDiskAreUsedWithoutARestart() throws Exception {
        Path cert = dir.resolve("live.crt");
        Path key = dir.resolve("live.key");
        Path ca = dir.resolve("live-ca.crt");
        Files.copy(cluster.cert("a"), cert);
        Files.copy(cluster.key("a"), key);
        Files.copy(cluster.caFile(), ca);
        ClusterTlsSettings live = tls("cluster.tls.enabled = true\ncluster.tls.certFile = " + cert
                + "\ncluster.tls.keyFile = " + key + "\ncluster.tls.caFile = " + ca
                + "\ncluster.tls.reload.interval.ms = 100\n");
        SocketAddress a = listen(live);
        ReplicationPeers rogue = peers(a, tls(other.config("rogue")));
        failure(fetch(rogue));

        // the cluster moves to the other CA: broker a's key, certificate and trust anchors are replaced
        Files.copy(other.cert("a-renewed"), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(other.key("a-renewed"), key, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(other.caFile(), ca, StandardCopyOption.REPLACE_EXISTING);
        await("the new certificates are used").atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                .until(() -> {
                    try {
                        return fetch(rogue).toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS)
                                .type() == ReplicationFrameType.FETCH_RESULT;
                    } catch (Exception e) {
                        return false;
                    }
                });
    }

    private SocketAddress listen(ClusterTlsSettings tls) throws Exception {
        ReplicationServer server = new ReplicationServer(vertx, key -> null);
        int port = server.listen("127.0.0.1", 0, tls).toCompletionStage().toCompletableFuture()
                .get(10, TimeUnit.SECONDS);
        if (tls.enabled()) {
            new io.heraldmq.server.net.TlsReloader(vertx, tls.tls(), "the replication link",
                    List.of(server::updateSSLOptions)).start();
        }
        return SocketAddress.inetSocketAddress(port, "127.0.0.1");
    }

    private ReplicationPeers peers(SocketAddress a, ClusterTlsSettings tls) {
        return new ReplicationPeers(vertx, id -> id.equals("a") ? a : null, ReplicationPeers.options(tls));
    }

    private static Future<ReplicationFrame> fetch(ReplicationPeers peers) {
        return peers.request("a", new Fetch("q:none:0", "b", 1, 0, -1, 1024).encode(peers.nextCorrelationId()));
    }

    private static <T> T answer(Future<T> f) throws Exception {
        return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    }

    private static Throwable failure(Future<?> f) throws Exception {
        try {
            f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        } catch (java.util.concurrent.ExecutionException e) {
            return e.getCause();
        }
        throw new AssertionError("answered, but should have been refused");
    }

    private static ClusterTlsSettings tls(String properties) throws Exception {
        java.util.Properties p = new java.util.Properties();
        p.load(new java.io.StringReader(properties));
        return ClusterTlsSettings.DEFAULTS.with(Map.copyOf(p));
    }
}
