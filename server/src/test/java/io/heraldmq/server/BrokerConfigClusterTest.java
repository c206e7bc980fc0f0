package io.heraldmq.server;

import io.heraldmq.server.cluster.ClusterSettings;
import io.heraldmq.server.cluster.ClusterTlsSettings;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The clustering keys: off without {@code cluster.members}, defaults, validation naming the key. */
class BrokerConfigClusterTest {
    private static final String MEMBERS = "127.0.0.1:7450, 127.0.0.1:7451,127.0.0.1:7452";

    @Test
    void noMembersMeansSingleNode() {
        assertNull(BrokerConfig.defaults().cluster());
        assertNull(BrokerConfig.defaults().with(Map.of("port", "0")).cluster());
    }

    @Test
    void defaults() {
        ClusterSettings c = BrokerConfig.defaults().with(Map.of("cluster.members", MEMBERS)).cluster();
        assertEquals(List.of("127.0.0.1:7450", "127.0.0.1:7451", "127.0.0.1:7452"), c.members());
        assertEquals("127.0.0.1", c.host(), "cluster.host defaults to host");
        assertEquals(7450, c.port());
        assertEquals("heraldmq", c.name());
        assertEquals(0, c.replicationFactor());
        assertEquals(0, c.replicationPort());
        assertNull(c.brokerId());
        assertEquals(1, c.effectiveReplicationFactor(1));
        assertEquals(3, c.effectiveReplicationFactor(5));
    }

    @Test
    void everyKeyIsRead() {
        BrokerConfig config = BrokerConfig.defaults().with(Map.of("host", "10.0.0.5", "cluster.members", MEMBERS,
                "cluster.port", "7451", "cluster.host", "10.0.0.6", "cluster.name", "prod", "replication.factor",
                "2", "replication.port", "7461", "broker.id", "b-1", "cluster.secret", "0123456789abcdef"));
        assertEquals(new ClusterSettings(List.of("127.0.0.1:7450", "127.0.0.1:7451", "127.0.0.1:7452"),
                "10.0.0.6", 7451, "prod", 2, 7461, "b-1", "0123456789abcdef", ClusterTlsSettings.DEFAULTS),
                config.cluster());
        assertEquals(2, config.cluster().effectiveReplicationFactor(5));
        // a later with() keeps what is there
        assertEquals("10.0.0.6", config.with(Map.of("host", "10.0.0.7")).cluster().host());
    }

    @Test
    void clusterHostFollowsHostUnlessSet() {
        BrokerConfig config = BrokerConfig.defaults().with(Map.of("cluster.members", MEMBERS));
        assertEquals("192.168.1.2", config.with(Map.of("host", "192.168.1.2")).cluster().host());
        assertEquals("192.168.1.3", BrokerConfig.defaults().with(Map.of("cluster.members", MEMBERS,
                "host", "192.168.1.3")).cluster().host());
    }

    @Test
    void badValuesAreRefusedNamingTheKey() {
        BrokerConfig c = BrokerConfig.defaults();
        assertMessage(c, Map.of("cluster.members", "127.0.0.1"), "cluster.members: '127.0.0.1' is not host:port");
        assertMessage(c, Map.of("cluster.members", "a:1,b:70000"), "cluster.members: 'b:70000' is not host:port");
        assertMessage(c, Map.of("cluster.members", " , "), "cluster.members must list at least one host:port");
        assertMessage(c, Map.of("cluster.members", MEMBERS, "replication.factor", "-1"),
                "replication.factor must be 0");
        assertMessage(c, Map.of("cluster.members", MEMBERS, "cluster.port", "0"), "cluster.port must be 1-65535");
        assertMessage(c, Map.of("cluster.members", MEMBERS, "cluster.port", "x"), "cluster.port must be a number");
        assertMessage(c, Map.of("cluster.members", MEMBERS, "replication.port", "-3"),
                "replication.port must be 0-65535");
        assertMessage(c, Map.of("cluster.members", MEMBERS, "broker.id", "a|b"), "broker.id must be 1-64");
        assertMessage(c, Map.of("cluster.members", MEMBERS, "host", "0.0.0.0"), "cluster.host must be an address");
        assertMessage(c, Map.of("cluster.port", "7450"), "cluster.port needs cluster.members");
        assertMessage(c, Map.of("replication.factor", "3"), "replication.factor needs cluster.members");
        assertMessage(c, Map.of("broker.id", "b1"), "broker.id needs cluster.members");
        assertMessage(c, Map.of("cluster.colour", "red"), "unknown configuration key 'cluster.colour'");
    }

    @Test
    void clusterTlsKeysAreTheClientPortsUnderCluster() {
        BrokerConfig c = BrokerConfig.defaults().with(Map.of("cluster.members", MEMBERS, "cluster.secret", SECRET,
                "cluster.tls.enabled", "true", "cluster.tls.certFile", "/etc/b1.crt", "cluster.tls.keyFile",
                "/etc/b1.key", "cluster.tls.caFile", "/etc/ca.crt", "cluster.tls.protocols", "TLSv1.3",
                "cluster.tls.reload.interval.ms", "1000"));
        ClusterTlsSettings tls = c.cluster().tls();
        assertTrue(tls.enabled() && tls.verifyHost());
        assertEquals(java.nio.file.Path.of("/etc/b1.crt"), tls.tls().certFile());
        assertEquals(java.nio.file.Path.of("/etc/ca.crt"), tls.tls().caFile());
        assertEquals(io.heraldmq.server.net.TlsSettings.ClientAuthMode.NEED, tls.tls().clientAuth());
        assertEquals(List.of("TLSv1.3"), tls.tls().protocols());
        assertEquals(io.heraldmq.server.net.TlsSettings.DEFAULT_CIPHERS, tls.tls().ciphers());
        assertEquals(1000, tls.tls().reloadIntervalMs());
        assertTrue(!BrokerConfig.defaults().with(Map.of("cluster.members", MEMBERS)).cluster().tls().enabled());
        // relays then travel on the replication link, so the plain client port may be closed
        assertTrue(!c.with(Map.of("plain.enabled", "false", "tls.port", "0", "tls.keyStorePath", "/k")).tls()
                .plainEnabled());
    }

    @Test
    void clusterTlsIsRefusedIncompleteNamingItsKeys() {
        BrokerConfig c = BrokerConfig.defaults();
        Map<String, String> pem = Map.of("cluster.members", MEMBERS, "cluster.secret", SECRET,
                "cluster.tls.enabled", "true", "cluster.tls.certFile", "/b.crt", "cluster.tls.keyFile", "/b.key",
                "cluster.tls.caFile", "/ca.crt");
        assertMessage(c, without(pem, "cluster.tls.keyFile"), "cluster.tls.enabled = true needs this broker's key");
        assertMessage(c, without(pem, "cluster.tls.caFile"), "needs the cluster's CA");
        assertMessage(c, without(pem, "cluster.secret"), "cluster.tls.enabled = true needs cluster.secret");
        assertMessage(c, with(pem, "cluster.tls.protocols", "TLSv1.1"), "cluster.tls.protocols: 'TLSv1.1' is not");
        assertMessage(c, with(pem, "cluster.tls.enabled", "yes"), "cluster.tls.enabled must be true or false");
        assertMessage(c, Map.of("cluster.tls.enabled", "true"), "cluster.tls.enabled needs cluster.members");
    }

    @Test
    void theHazelcastClusterNameIsDerivedFromTheSecret() {
        ClusterSettings open = BrokerConfig.defaults().with(Map.of("cluster.members", MEMBERS)).cluster();
        assertEquals("heraldmq", open.hazelcastClusterName());
        ClusterSettings secret = BrokerConfig.defaults().with(Map.of("cluster.members", MEMBERS,
                "cluster.secret", SECRET)).cluster();
        String name = secret.hazelcastClusterName();
        assertTrue(name.matches("heraldmq-[0-9a-f]{32}"), name);
        assertTrue(!name.contains(SECRET));
        assertEquals(name, BrokerConfig.defaults().with(Map.of("cluster.members", MEMBERS, "cluster.secret", SECRET,
                "cluster.port", "7999")).cluster().hazelcastClusterName(), "the same on every broker");
        assertTrue(!name.equals(BrokerConfig.defaults().with(Map.of("cluster.members", MEMBERS, "cluster.secret",
                SECRET + "x")).cluster().hazelcastClusterName()), "another secret, another cluster");
        assertTrue(!name.equals(BrokerConfig.defaults().with(Map.of("cluster.members", MEMBERS, "cluster.secret",
                SECRET, "cluster.tls.enabled", "true", "cluster.tls.certFile", "/b.crt", "cluster.tls.keyFile",
                "/b.key", "cluster.tls.caFile", "/ca.crt")).cluster().hazelcastClusterName()),
                "brokers with and without cluster TLS do not join each other");
    }

    private static final String SECRET = "0123456789abcdef-secret";

    private static Map<String, String> without(Map<String, String> m, String key) {
        Map<String, String> out = new java.util.HashMap<>(m);
        out.remove(key);
        return out;
    }

    private static Map<String, String> with(Map<String, String> m, String key, String value) {
        Map<String, String> out = new java.util.HashMap<>(m);
        out.put(key, value);
        return out;
    }

    @Test
    void threeBrokersOnOneMachineDifferOnlyInPortsAndDataDirs() {
        for (int i = 0; i < 3; i++) {
            BrokerConfig config = BrokerConfig.defaults().with(Map.of("cluster.members", MEMBERS,
                    "cluster.port", String.valueOf(7450 + i), "replication.port", String.valueOf(7460 + i),
                    "port", String.valueOf(7440 + i), "data.dir", "data" + i));
            assertEquals(7450 + i, config.cluster().port());
        }
    }

    private static void assertMessage(BrokerConfig c, Map<String, String> settings, String expected) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> c.with(settings));
        assertTrue(e.getMessage().contains(expected), e.getMessage());
    }
}
