package io.heraldmq.server.cluster;

import io.heraldmq.admin.ClusterStatus;
import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.BrokerProcess;
import jakarta.jms.Connection;
import jakarta.jms.DeliveryMode;
import jakarta.jms.MessageProducer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Three broker processes whose replication links are mutual TLS ({@code cluster.tls.*}, certificates of a test CA)
 * and whose membership is admitted by {@code cluster.secret}: a message sent before its leader's SIGKILL is consumed
 * after it; a broker with a wrong secret stays out of the membership while the three go on; the replication port
 * refuses plain text and a client without a certificate, and speaks TLS 1.3 to a broker's certificate; and no log
 * line names the Hazelcast cluster name (the join credential).
 */
class ClusterTlsIT {
    private static final String SECRET = "cluster-tls-secret-0123456789";

    @TempDir
    Path dir;
    private ClusterProcesses cluster;
    private final List<BrokerProcess> outsiders = new ArrayList<>();

    @AfterEach
    void stop() {
        outsiders.forEach(b -> b.process().destroyForcibly());
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void threeBrokersReplicateOverMutualTlsAndAnOutsiderStaysOut() throws Exception {
        assumeTrue(ClusterCertificates.opensslAvailable(), "the openssl binary is not installed");
        ClusterCertificates ca = new ClusterCertificates(dir, "cluster-ca")
                .issue("broker0", "broker1", "broker2", "outsider");
        long t0 = System.nanoTime();
        int[] replicationPorts = ClusterProcesses.freePorts(3);
        cluster = new ClusterProcesses(dir, 3, n -> "log.flush.policy = never\ncluster.secret = " + SECRET + "\n"
                + "replication.port = " + replicationPorts[n] + "\n" + ca.config("broker" + n)).start();

        long started = (System.nanoTime() - t0) / 1_000_000;
        // An outsider: the members' list and a certificate of the cluster's CA, but a wrong secret. It starts (a
        // cluster of its own) and never joins the three. (A broker with the right secret and cluster TLS off is kept
        // out the same way, by another cluster name: BrokerConfigClusterTest.)
        String base = Files.readString(cluster.config(0)).replaceAll("(?m)^(cluster\\.(port|secret)"
                + "|cluster\\.tls\\.[A-Za-z.]+|replication\\.port) = .*$", "");
        Path wrongSecret = dir.resolve("outsider.properties");
        Files.writeString(wrongSecret, base + "cluster.port = " + ClusterProcesses.freePorts(1)[0]
                + "\ncluster.secret = not-the-cluster-secret-0123\n" + ca.config("outsider"));
        outsiders.add(BrokerProcess.start(wrongSecret, dir.resolve("outsider-data"), dir.resolve("outsider.log")));
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
        for (BrokerProcess outsider : outsiders) {
            try (HeraldAdmin admin = HeraldAdmin.connect("tcp://127.0.0.1:" + outsider.port())) {
                assertEquals(1, admin.clusterStatus().members().size(), "the outsider is alone in its cluster");
            }
            outsider.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        outsiders.clear();

        // Replication over TLS, and a failover: a message acknowledged before the leader's SIGKILL is consumed after.
        String leader;
        try (HeraldAdmin admin = cluster.admin(0)) {
            admin.createQueue("tls.q", 1, -1, -1);
            String[] found = new String[1];
            await("a leader with two in-sync followers").atMost(Duration.ofSeconds(30)).until(() -> {
                ClusterStatus status = admin.clusterStatus();
                found[0] = ClusterProcesses.leaderOf(status, true, "tls.q", 1);
                return found[0] != null && status.partitions().stream()
                        .filter(p -> p.queue() && p.destination().equals("tls.q"))
                        .allMatch(p -> p.isr().size() == 3);
            });
            leader = found[0];
        }
        int leaderIdx = cluster.indexOf(leader);
        int survivor = (leaderIdx + 1) % 3;
        try (Connection c = new HeraldConnectionFactory(cluster.clusterUrl(survivor)).createConnection()) {
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            MessageProducer p = s.createProducer(s.createQueue("tls.q"));
            p.setDeliveryMode(DeliveryMode.PERSISTENT);
            p.send(s.createTextMessage("sent before the kill"));
        }
        long killedAt = System.nanoTime();
        cluster.kill(leaderIdx);
        try (Connection c = new HeraldConnectionFactory(cluster.clusterUrl(survivor)).createConnection()) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            TextMessage m = (TextMessage) s.createConsumer(s.createQueue("tls.q")).receive(30_000);
            assertNotNull(m, "the acknowledged message survives its leader");
            assertEquals("sent before the kill", m.getText());
        }

        System.out.println("ClusterTlsIT: three brokers started in " + started + " ms; the message sent before the"
                + " leader's kill consumed " + (System.nanoTime() - killedAt) / 1_000_000 + " ms after it");
        // The replication port: plain text is refused (and logged), so is a TLS client without a certificate.
        int port = replicationPorts[survivor];
        Path survivorLog = dir.resolve("broker" + survivor + ".log");
        try (Socket plain = new Socket("127.0.0.1", port)) {
            plain.setSoTimeout(10_000);
            plain.getOutputStream().write(new io.heraldmq.server.replication.Fetch("q:tls.q:0", "x", 1, 0, -1, 1024)
                    .encode(1).getBytes());
            assertTrue(readsNothing(plain.getInputStream()), "a plain-text request got an answer");
        }
        await("the plain-text connection is logged").atMost(Duration.ofSeconds(5)).until(() ->
                Files.readString(survivorLog).contains("refused a replication connection: not TLS"));
        sClient(port, "-CAfile", ca.caFile().toString());
        await("the handshake without a certificate is logged").atMost(Duration.ofSeconds(5)).until(() ->
                Files.readString(survivorLog).contains("refused a replication connection: TLS handshake failed"));
        String broker = sClient(port, "-CAfile", ca.caFile().toString(), "-cert", ca.cert("outsider").toString(),
                "-key", ca.key("outsider").toString(), "-verify_return_error");
        assertTrue(broker.contains("TLSv1.3") && broker.contains("Verify return code: 0 (ok)"), broker);

        // The Hazelcast cluster name is what admits a member: it stays out of the logs.
        String admission = BrokerConfig.load(cluster.config(0)).cluster().hazelcastClusterName();
        for (int i = 0; i < 3; i++) {
            String log = Files.readString(dir.resolve("broker" + i + ".log"));
            int at = log.indexOf(admission);
            assertFalse(at >= 0, "broker " + i + "'s log shows the Hazelcast cluster name: "
                    + (at < 0 ? "" : log.substring(Math.max(0, at - 300), Math.min(log.length(), at + 100))));
        }
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
