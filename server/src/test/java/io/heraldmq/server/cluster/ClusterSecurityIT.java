package io.heraldmq.server.cluster;

import io.heraldmq.admin.ClusterStatus;
import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.protocol.Connect;
import io.heraldmq.protocol.FrameType;
import io.heraldmq.server.security.PasswordHash;
import jakarta.jms.Connection;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.Message;
import jakarta.jms.MessageConsumer;
import jakarta.jms.Session;
import jakarta.jms.TextMessage;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.DataInputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Authorization through cluster relays: three brokers with users, permissions and a {@code cluster.secret}; a user
 * allowed to send to one queue and not another, connected to a broker that leads neither. Its broker relays the
 * requests as that user (the secret vouches for the name), so the leaders' permission checks apply: the allowed
 * send and consumer go through, the refused send is a JMSSecurityException naming user, permission and queue, and
 * the leader's audit line records it. JMSXUserID travels as the user too. A CONNECT posing as a relay with a wrong
 * secret is refused.
 */
class ClusterSecurityIT {
    private static final String SECRET = "0123456789abcdef-cluster-secret";

    @TempDir
    Path dir;
    private ClusterProcesses cluster;

    @AfterEach
    void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    @Test
    void relayedRequestsAreAuthorizedAsTheRelayedUser() throws Exception {
        String config = "log.flush.policy = never\n"
                + "cluster.secret = " + SECRET + "\n"
                + "security.populate.user.id = true\n"
                + "user.alice = " + PasswordHash.create("alice-pw".toCharArray(), 1_000).encoded() + "\n"
                + "user.alice.roles = shop\n"
                + "user.admin = " + PasswordHash.create("admin-pw".toCharArray(), 1_000).encoded() + "\n"
                + "user.admin.roles = admin\n"
                + "permission.send.sec.x = shop\n"
                + "permission.consume.sec.x = shop\n"
                + "permission.send.# = admin\n"
                + "permission.createDestination.# = admin\n"
                + "permission.manage.# = admin\n";
        cluster = new ClusterProcesses(dir, 3, config).admin("admin", "admin-pw").start();
        String[] leaders = new String[2];
        try (HeraldAdmin admin = cluster.admin(0)) {
            admin.createQueue("sec.x", 1, -1, -1);
            admin.createQueue("sec.y", 1, -1, -1);
            await("leaders of sec.x and sec.y").atMost(Duration.ofSeconds(30)).until(() -> {
                ClusterStatus status = admin.clusterStatus();
                leaders[0] = ClusterProcesses.leaderOf(status, true, "sec.x", 1);
                leaders[1] = ClusterProcesses.leaderOf(status, true, "sec.y", 1);
                return leaders[0] != null && leaders[1] != null;
            });
        }
        int via = -1;
        for (int i = 0; i < 3 && via < 0; i++) {
            String id = cluster.brokerId(i);
            if (!id.equals(leaders[0]) && !id.equals(leaders[1])) {
                via = i;
            }
        }
        int leaderOfY = cluster.indexOf(leaders[1]);

        try (Connection c = new HeraldConnectionFactory(cluster.url(via) + "?requestTimeout=15000")
                .createConnection("alice", "alice-pw")) {
            c.start();
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createProducer(s.createQueue("sec.x")).send(s.createTextMessage("allowed"));
            JMSSecurityException refused = assertThrows(JMSSecurityException.class,
                    () -> s.createProducer(s.createQueue("sec.y")).send(s.createTextMessage("refused")));
            assertTrue(refused.getMessage().contains("user 'alice' has no 'send' permission on queue 'sec.y'"),
                    refused.getMessage());
            s.createProducer(s.createQueue("sec.x")).send(s.createTextMessage("after the refusal"));
            MessageConsumer consumer = s.createConsumer(s.createQueue("sec.x"));
            Message first = consumer.receive(15_000);
            assertEquals("allowed", ((TextMessage) first).getText());
            assertEquals("alice", first.getStringProperty("JMSXUserID"));
            assertEquals("after the refusal", ((TextMessage) consumer.receive(15_000)).getText());
            assertThrows(JMSSecurityException.class, () -> s.createConsumer(s.createQueue("sec.y")));
        }
        Path leaderLog = dir.resolve("broker" + leaderOfY + ".log");
        await("the leader of sec.y audits the refusal").atMost(Duration.ofSeconds(5))
                .until(() -> Files.readString(leaderLog).contains(
                        "DENIED user=alice permission=send destination=queue://sec.y"));

        // a connection posing as a relay must know the secret
        try (Socket raw = new Socket("127.0.0.1", Integer.parseInt(cluster.url(via).replaceAll(".*:", "")))) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write(new Connect(Connect.PROTOCOL_VERSION, null, "admin", "not-the-secret",
                    "forged").encode(1).getBytes());
            DataInputStream in = new DataInputStream(raw.getInputStream());
            in.readInt();
            assertEquals(FrameType.ERROR.code(), in.readByte());
        }
    }
}
