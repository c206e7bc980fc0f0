package io.heraldmq.server.cluster;

import io.heraldmq.admin.ClusterStatus;
import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.BrokerProcess;
import io.heraldmq.server.Main;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.JMSException;
import jakarta.jms.MessageConsumer;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A cluster with no plain-text port for messages: three broker processes with {@code plain.enabled = false}, clients
 * on TLS only, the replication link (and the relays on it) mutual TLS with a CRL ({@code cluster.tls.crlFile}). A
 * JMS client over {@code ssl://} connected to a queue's leader sends PERSISTENT messages, the leader is SIGKILLed,
 * the client fails over over TLS and consumes every message, and sends more through a broker that relays them to
 * the new leader; the admin API and the CLI work over {@code ssl://}; plain text is refused on the client and
 * replication ports, and a broker certificate revoked by the CRL is refused on the replication port and logged.
 * Membership is admitted by {@code cluster.secret}: a broker with the cluster's CA and a wrong secret stays out while
 * the three go on. The replication port logs the plain-text and certificate-less connections it refuses and speaks
 * TLS 1.3 to a broker's certificate, and no log line names the Hazelcast cluster name (the join credential).
 * (Hazelcast's member port has no TLS in its open-source edition and the monitoring HTTP port is plain text: see
 * README "TLS between brokers".) One test, so one three-broker start, for all of it.
 */
class ClusterTlsOnlyIT {
    private static final String SECRET = "cluster-tls-only-secret-0123456789";
    private static final int BEFORE_KILL = 100;
    private static final int AFTER_KILL = 100;

    @TempDir
    Path dir;
    private ClusterProcesses cluster;
    private BrokerProcess outsider;

    @AfterEach
    void stop() {
        if (outsider != null) {
            outsider.process().destroyForcibly();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void aTlsOnlyClusterFailsOverOverTls() throws Exception {
        assumeTrue(ClusterCertificates.opensslAvailable(), "the openssl binary is not installed");
        ClusterCertificates ca = new ClusterCertificates(dir, "cluster-ca")
                .issue("broker0", "broker1", "broker2", "revoked-broker", "outsider");
        Path crl = ca.crl(dir.resolve("cluster-ca.crl"), false, "revoked-broker");
        int[] replicationPorts = ClusterProcesses.freePorts(3);
        int[] tlsPorts = ClusterProcesses.freePorts(3);
        String clientTls = "trustStorePath=" + ca.caFile();
        cluster = new ClusterProcesses(dir, 3, n -> "log.flush.policy = never\ncluster.secret = " + SECRET + "\n"
                + "replication.port = " + replicationPorts[n] + "\n" + ca.config("broker" + n)
                + "cluster.tls.crlFile = " + crl + "\n"
                + "plain.enabled = false\ntls.port = " + tlsPorts[n] + "\n"
                + "tls.certFile = " + ca.cert("broker" + n) + "\ntls.keyFile = " + ca.key("broker" + n) + "\n")
                .tlsClients(clientTls).start();
        for (int i = 0; i < 3; i++) {
            assertTrue(log(i).contains("HeraldMQ ready on ssl://127.0.0.1:" + tlsPorts[i] + "\n"),
                    "broker " + i + " serves TLS only: " + log(i));
        }
        outsiderWithAWrongSecretStaysOut(ca);

        String leader;
        try (HeraldAdmin admin = cluster.admin(0)) {
            admin.createQueue("tls.only", 1, -1, -1);
            String[] found = new String[1];
            await("a leader with two in-sync followers").atMost(Duration.ofSeconds(30)).until(() -> {
                ClusterStatus status = admin.clusterStatus();
                found[0] = ClusterProcesses.leaderOf(status, true, "tls.only", 1);
                return found[0] != null && status.partitions().stream()
                        .filter(p -> p.queue() && p.destination().equals("tls.only"))
                        .allMatch(p -> p.isr().size() == 3);
            });
            leader = found[0];
        }
        int leaderIdx = cluster.indexOf(leader);

        // connected to the leader, so that its SIGKILL fails the client over (to the next broker of the URL)
        Set<String> received = new HashSet<>();
        long killedAt;
        try (Connection c = new HeraldConnectionFactory(cluster.clusterUrl(leaderIdx)).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("tls.only"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            for (int i = 0; i < BEFORE_KILL; i++) {
                p.send(s.createTextMessage("m" + i));
            }
            MessageConsumer consumer = s.createConsumer(s.createQueue("tls.only"));
            c.start();
            for (int i = 0; i < 10; i++) {
                received.add(((TextMessage) consumer.receive(10_000)).getText());
            }
            killedAt = System.nanoTime();
            cluster.kill(leaderIdx);
            // sent after the kill: they wait for the failover and a new leader, to which the next broker relays
            for (int i = BEFORE_KILL; i < BEFORE_KILL + AFTER_KILL; i++) {
                p.send(s.createTextMessage("m" + i));
            }
            while (received.size() < BEFORE_KILL + AFTER_KILL) {
                TextMessage m = (TextMessage) consumer.receive(30_000);
                assertTrue(m != null, "messages missing after the failover: " + missing(received));
                received.add(m.getText()); // those consumed just before the kill may come again
            }
        }
        long failedOver = (System.nanoTime() - killedAt) / 1_000_000;
        int survivor = (leaderIdx + 1) % 3;

        // the admin API over TLS (cluster.admin), and the CLI
        try (HeraldAdmin admin = cluster.admin(survivor)) {
            await("the dead leader leaves").atMost(Duration.ofSeconds(30))
                    .until(() -> admin.clusterStatus().members().size() == 2);
        }
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        assertEquals(0, Main.execute(new PrintWriter(out, true), new PrintWriter(err, true), "cluster", "status",
                "--url", cluster.url(survivor)), err.toString());
        assertTrue(out.toString().contains("tls.only"), out.toString());

        // plain text is refused on every port a message could travel through
        for (int i = 0; i < 3; i++) {
            if (!cluster.alive(i)) {
                continue;
            }
            String plainUrl = "tcp://127.0.0.1:" + tlsPorts[i] + "?reconnectTimeoutMs=0&requestTimeout=5000";
            assertThrows(JMSException.class, () -> new HeraldConnectionFactory(plainUrl).createConnection().close(),
                    "plain text to the TLS client port");
            try (Socket plain = new Socket("127.0.0.1", replicationPorts[i])) {
                plain.setSoTimeout(10_000);
                plain.getOutputStream().write(new io.heraldmq.server.replication.Fetch("q:tls.only:0", "x", 1, 0, -1,
                        1024).encode(1).getBytes());
                assertTrue(readsNothing(plain.getInputStream()), "a plain-text request got an answer");
            }
        }
        int survivorIdx = survivor;
        await("the plain-text connection is logged").atMost(Duration.ofSeconds(5)).until(() ->
                log(survivorIdx).contains("refused a replication connection: not TLS"));
        // a TLS client without a certificate: refused at the handshake, and logged
        sClient(replicationPorts[survivor], "-CAfile", ca.caFile().toString());
        await("the handshake without a certificate is logged").atMost(Duration.ofSeconds(5)).until(() ->
                log(survivorIdx).contains("refused a replication connection: TLS handshake failed"));
        // a certificate of the cluster's CA, revoked: refused at the replication port's handshake, and logged
        sClient(replicationPorts[survivor], "-CAfile", ca.caFile().toString(), "-cert",
                ca.cert("revoked-broker").toString(), "-key", ca.key("revoked-broker").toString());
        await("the revoked certificate is logged").atMost(Duration.ofSeconds(5)).until(() ->
                log(survivorIdx).contains("refused the client certificate CN=revoked-broker"));
        String valid = sClient(replicationPorts[survivor], "-CAfile", ca.caFile().toString(), "-cert",
                ca.cert("broker" + survivor).toString(), "-key", ca.key("broker" + survivor).toString(),
                "-verify_return_error");
        assertTrue(valid.contains("TLSv1.3") && valid.contains("Verify return code: 0 (ok)"), valid);

        // The Hazelcast cluster name is what admits a member: it stays out of the logs.
        String admission = BrokerConfig.load(cluster.config(0)).cluster().hazelcastClusterName();
        for (int i = 0; i < 3; i++) {
            String log = log(i);
            int at = log.indexOf(admission);
            assertFalse(at >= 0, "broker " + i + "'s log shows the Hazelcast cluster name: "
                    + (at < 0 ? "" : log.substring(Math.max(0, at - 300), Math.min(log.length(), at + 100))));
        }
        System.out.println("ClusterTlsOnlyIT: " + (BEFORE_KILL + AFTER_KILL) + " messages consumed over TLS, the"
                + " last " + failedOver + " ms after the leader's SIGKILL");
    }

    /**
     * An outsider: the members' list and a certificate of the cluster's CA, but a wrong secret (and a plain client
     * port, to ask it). It starts, a cluster of its own, and never joins the three. (A broker with the right secret and
     * cluster TLS off is kept out the same way, by another cluster name: BrokerConfigClusterTest.)
     */
    private void outsiderWithAWrongSecretStaysOut(ClusterCertificates ca) throws Exception {
        String base = Files.readString(cluster.config(0)).replaceAll("(?m)^(cluster\\.(port|secret)"
                + "|cluster\\.tls\\.[A-Za-z.]+|replication\\.port|plain\\.enabled|tls\\.[A-Za-z.]+) = .*$", "");
        Path wrongSecret = dir.resolve("outsider.properties");
        Files.writeString(wrongSecret, base + "cluster.port = " + ClusterProcesses.freePorts(1)[0]
                + "\ncluster.secret = not-the-cluster-secret-0123\n" + ca.config("outsider"));
        outsider = BrokerProcess.start(wrongSecret, dir.resolve("outsider-data"), dir.resolve("outsider.log"));
        try (HeraldAdmin admin = cluster.admin(0)) {
            // Hazelcast's split-brain merge asks again every 5 s: the membership stays the three across one
            await("the three stay among themselves").during(Duration.ofSeconds(6)).atMost(Duration.ofSeconds(10))
                    .until(() -> admin.clusterStatus().members().size() == 3);
        }
        // Hazelcast says so on both sides
        await("the refused join is logged on both sides").atMost(Duration.ofSeconds(5)).until(() ->
                Files.readString(dir.resolve("outsider.log")).contains("the target cluster has a different"
                        + " cluster-name") && java.util.stream.IntStream.range(0, 3).anyMatch(i -> log(i)
                        .contains("Received an invalid join request")));
        try (HeraldAdmin admin = HeraldAdmin.connect("tcp://127.0.0.1:" + outsider.port())) {
            assertEquals(1, admin.clusterStatus().members().size(), "the outsider is alone in its cluster");
        }
        outsider.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        outsider = null;
    }

    private static List<String> missing(Set<String> received) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < BEFORE_KILL + AFTER_KILL; i++) {
            if (!received.contains("m" + i)) {
                out.add("m" + i);
            }
        }
        return out;
    }

    private String log(int broker) {
        try {
            return Files.readString(dir.resolve("broker" + broker + ".log"));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** True when the peer closes the connection (or resets it) without sending a byte. */
    private static boolean readsNothing(InputStream in) {
        try {
            return in.read() == -1;
        } catch (IOException closed) {
            return true;
        }
    }

    private static String sClient(int port, String... options) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close(); // stdin at end: s_client quits after the handshake
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl s_client did not finish");
        return "exit=" + p.exitValue() + "\n" + out;
    }
}
