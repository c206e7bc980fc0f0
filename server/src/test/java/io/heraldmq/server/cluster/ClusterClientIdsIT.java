package io.heraldmq.server.cluster;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.Connection;
import jakarta.jms.InvalidClientIDException;
import jakarta.jms.JMSException;
import jakarta.jms.Session;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * JMS allows one connection per client id, and in a cluster that holds across brokers: an id held on one broker is
 * refused on another, freed when its connection closes, and taken over once its broker is gone. A client whose frames
 * a broker relays to the leader of its topic (a durable subscription through a broker that does not lead) holds its
 * id once, not once per broker, and its noLocal consumers still tell its own messages from others'. Durable
 * subscription names, which belong to a client id, are one per cluster in the same way while in use.
 * <p>
 * The tests share one cluster (a three-broker start is most of their time); each uses its own client ids, and each
 * begins with every broker up ({@link ClusterProcesses#reviveKilled()}). The test that kills a broker runs last, which
 * spares that restart.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClusterClientIdsIT {
    private static final Duration AFTER_CLOSE = Duration.ofSeconds(10);

    /** The cluster's directory, for the whole class (a {@code @TempDir} parameter of {@link #startCluster}). */
    private Path dir;
    private ClusterProcesses cluster;
    private final List<Connection> open = new ArrayList<>();

    @BeforeAll
    void startCluster(@TempDir Path dir) throws Exception {
        this.dir = dir;
        cluster = new ClusterProcesses(dir, 3, "log.flush.policy = never\n").start();
    }

    @BeforeEach
    void allBrokersUp() {
        cluster.reviveKilled();
    }

    @AfterEach
    void closeConnections() {
        for (Connection c : open) {
            try {
                c.close();
            } catch (JMSException | RuntimeException ignored) {
                // the broker may be gone
            }
        }
        open.clear();
    }

    @AfterAll
    void stopCluster() {
        if (cluster != null) {
            cluster.close();
        }
    }

    /**
     * noLocal through a relay: the leader sees the relay's connection, not the client's, so it must compare the
     * origin the client stamps on its messages with the relayed client's own connection (the official TCK's noLocal
     * tests failed against a cluster before). Through every broker, without a client id (the origin is then the
     * connection) and with one.
     */
    @Test
    @Order(0)
    void aRelayedNoLocalConsumerGetsOnlyOtherConnectionsMessages() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(0))) {
            admin.createTopic("nolocal-t", 1, -1, -1);
        }
        for (int i = 0; i < 3; i++) {
            for (String clientId : new String[] {null, "nolocal-" + i}) {
                Connection own = clientId == null ? plain(cluster.url(i)) : connect(cluster.url(i), clientId);
                Connection other = plain(cluster.url((i + 1) % 3));
                Session s = own.createSession(false, Session.AUTO_ACKNOWLEDGE);
                jakarta.jms.Topic topic = s.createTopic("nolocal-t");
                jakarta.jms.MessageConsumer noLocal = s.createConsumer(topic, null, true);
                jakarta.jms.MessageConsumer all = s.createConsumer(topic);
                own.start();
                String tag = "b" + i + (clientId == null ? "" : " with a client id");
                s.createProducer(topic).send(s.createTextMessage("own " + tag));
                Session os = other.createSession(false, Session.AUTO_ACKNOWLEDGE);
                os.createProducer(os.createTopic("nolocal-t")).send(os.createTextMessage("other " + tag));

                jakarta.jms.TextMessage first = (jakarta.jms.TextMessage) noLocal.receive(15_000);
                org.junit.jupiter.api.Assertions.assertNotNull(first, "noLocal consumer through " + tag);
                org.junit.jupiter.api.Assertions.assertEquals("other " + tag, first.getText(),
                        "a noLocal consumer through " + tag + " got its own connection's message");
                org.junit.jupiter.api.Assertions.assertEquals("own " + tag,
                        ((jakarta.jms.TextMessage) all.receive(15_000)).getText());
                org.junit.jupiter.api.Assertions.assertEquals("other " + tag,
                        ((jakarta.jms.TextMessage) all.receive(15_000)).getText());
                closeConnections();
            }
        }
    }

    private Connection plain(String url) throws JMSException {
        Connection c = new HeraldConnectionFactory(url + "?requestTimeout=15000").createConnection();
        open.add(c);
        return c;
    }

    @Test
    @Order(9)
    void aClientIdIsHeldOnceAcrossTheCluster() throws Exception {
        Connection first = connect(cluster.url(0), "app-1");
        assertThrows(InvalidClientIDException.class, () -> connect(cluster.url(1), "app-1"),
                "an id held on b0 is refused on b1 (id set on the factory)");
        Connection unnamed = new HeraldConnectionFactory(cluster.url(2)).createConnection();
        open.add(unnamed);
        assertThrows(InvalidClientIDException.class, () -> unnamed.setClientID("app-1"),
                "and on b2 (id set on the connection)");

        first.close();
        await("the id freed on b0 is free on b1").atMost(AFTER_CLOSE).pollInterval(Duration.ofMillis(100))
                .ignoreException(InvalidClientIDException.class).until(() -> connect(cluster.url(1), "app-1") != null);
        assertThrows(InvalidClientIDException.class, () -> connect(cluster.url(0), "app-1"),
                "now held on b1");

        cluster.kill(1);
        await("the id of a killed broker's connection is taken over").atMost(Duration.ofSeconds(30))
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions()
                .until(() -> connect(cluster.url(2), "app-1") != null);
    }

    @Test
    @Order(1)
    void aRelayedDurableSubscriberHoldsItsIdOnce() throws Exception {
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(0))) {
            admin.createTopic("ids-t", 3, -1, -1);
        }
        // Through every broker in turn, so that at least two relay to a leader elsewhere.
        for (int i = 0; i < 3; i++) {
            String id = "subscriber-" + i;
            Connection c = connect(cluster.url(i), id);
            Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
            s.createDurableConsumer(s.createTopic("ids-t"), "sub").close();
            for (int other = 0; other < 3; other++) {
                if (other != i) {
                    int o = other;
                    assertThrows(InvalidClientIDException.class, () -> connect(cluster.url(o), id),
                            id + " is held through b" + i + ", the leader included");
                }
            }
            c.close();
            open.remove(c);
        }
    }

    /**
     * A durable subscription name is one per client id (or shared) across the cluster too: while a consumer is active
     * on it, using it on a topic another broker leads is refused (JMS: a JMSException for a shared one, an
     * IllegalStateException for an unshared one), though that broker cannot see the consumer
     * ({@code ClusterDurableNames}); once the consumer closes, the name moves to the other topic.
     */
    @Test
    @Order(2)
    void aDurableNameInUseOnOneTopicIsRefusedOnATopicAnotherBrokerLeads() throws Exception {
        java.util.Map<String, String> leaders = new java.util.HashMap<>();
        try (HeraldAdmin admin = HeraldAdmin.connect(cluster.url(0))) {
            for (int n = 0; n < 6 && leaders.values().stream().distinct().count() < 2; n++) {
                String name = "names-t" + n;
                admin.createTopic(name, 1, -1, -1);
                await("leader of " + name).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(100))
                        .until(() -> ClusterProcesses.leaderOf(admin.clusterStatus(), false, name, 1) != null);
                leaders.put(name, ClusterProcesses.leaderOf(admin.clusterStatus(), false, name, 1));
            }
        }
        String first = leaders.keySet().iterator().next();
        String second = leaders.entrySet().stream().filter(e -> !e.getValue().equals(leaders.get(first)))
                .map(java.util.Map.Entry::getKey).findFirst().orElseThrow();
        Connection c = connect(cluster.url(0), "names-app");
        Session s = c.createSession(false, Session.AUTO_ACKNOWLEDGE);
        jakarta.jms.MessageConsumer shared = s.createSharedDurableConsumer(s.createTopic(first), "shared-name");
        JMSException refused = assertThrows(JMSException.class,
                () -> s.createSharedDurableConsumer(s.createTopic(second), "shared-name"));
        org.junit.jupiter.api.Assertions.assertTrue(refused.getMessage().contains(first), refused.getMessage());
        jakarta.jms.MessageConsumer unshared = s.createDurableConsumer(s.createTopic(first), "unshared-name");
        assertThrows(jakarta.jms.IllegalStateException.class,
                () -> s.createDurableConsumer(s.createTopic(second), "unshared-name"));

        shared.close();
        unshared.close();
        await("the names are free once their consumers closed").atMost(AFTER_CLOSE)
                .pollInterval(Duration.ofMillis(200)).ignoreExceptions().until(() -> {
            s.createSharedDurableConsumer(s.createTopic(second), "shared-name").close();
            s.createDurableConsumer(s.createTopic(second), "unshared-name").close();
            return true;
        });
        s.unsubscribe("shared-name");
        s.unsubscribe("unshared-name");
    }

    private Connection connect(String url, String clientId) throws JMSException {
        Connection c = new HeraldConnectionFactory(url + "?clientID=" + clientId + "&requestTimeout=15000")
                .createConnection();
        open.add(c);
        return c;
    }
}
