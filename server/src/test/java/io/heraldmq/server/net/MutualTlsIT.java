package io.heraldmq.server.net;

import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.security.PasswordHash;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSException;
import jakarta.jms.JMSSecurityException;
import jakarta.jms.JMSSecurityRuntimeException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Mutual TLS with real brokers and the JMS client: a client certificate's CN is the user (no password), with that
 * user's permissions; a trusted certificate naming no configured user is refused with a JMSSecurityException; an
 * untrusted one fails the handshake; with {@code tls.clientAuth = want} a client without a certificate logs in with
 * its password.
 */
class MutualTlsIT {
    @TempDir
    static Path dir;
    private static TestCertificates certs;
    private static Path brokerTrust;
    private static Path clientTrust;

    @BeforeAll
    static void certificates() throws Exception {
        certs = new TestCertificates(dir);
        certs.generate("broker", "CN=localhost,O=HeraldMQ test", "alice", "CN=alice,OU=payments,O=Bank",
                "mallory", "CN=mallory,O=Bank", "stranger", "CN=alice,O=Elsewhere");
        brokerTrust = certs.trustStore("broker-trust", "alice", "mallory");
        clientTrust = certs.trustStore("client-trust", "broker");
    }

    private static Map<String, String> settings(String clientAuth) {
        Map<String, String> s = new HashMap<>();
        s.put("tls.port", "0");
        s.put("tls.keyStorePath", certs.keyStore("broker").toString());
        s.put("tls.keyStorePassword", TestCertificates.PASSWORD);
        s.put("tls.clientAuth", clientAuth);
        s.put("user.alice", PasswordHash.create("alice-pw".toCharArray(), 1_000).encoded());
        s.put("user.alice.roles", "producer");
        s.put("user.bob", PasswordHash.create("bob-pw".toCharArray(), 1_000).encoded());
        s.put("user.bob.roles", "producer");
        s.put("permission.send.orders.#", "producer");
        s.put("permission.consume.orders.#", "producer");
        s.put("permission.createDestination.orders.#", "producer");
        return s;
    }

    private static HeraldConnectionFactory factory(int port, String keyStore) {
        return new HeraldConnectionFactory("ssl://127.0.0.1:" + port + "?trustStorePath=" + clientTrust
                + "&trustStorePassword=" + TestCertificates.PASSWORD + "&reconnectTimeoutMs=0"
                + (keyStore == null ? "" : "&keyStorePath=" + certs.keyStore(keyStore) + "&keyStorePassword="
                + TestCertificates.PASSWORD));
    }

    @Test
    void theCertificatesCnIsTheUserWithItsPermissionsAndNoPassword() {
        Map<String, String> s = settings("need");
        s.put("tls.trustStorePath", brokerTrust.toString());
        s.put("tls.trustStorePassword", TestCertificates.PASSWORD);
        try (TestBroker b = new TestBroker(s)) {
            HeraldConnectionFactory alice = factory(b.tlsPort(), "alice");
            try (JMSContext ctx = alice.createContext()) {
                ctx.createProducer().send(ctx.createQueue("orders.in"), "paid");
                JMSSecurityRuntimeException refused = assertThrows(JMSSecurityRuntimeException.class,
                        () -> ctx.createProducer().send(ctx.createQueue("payroll"), "no"));
                assertTrue(refused.getMessage().contains("alice") && refused.getMessage().contains("payroll"),
                        refused.getMessage());
                try (var consumer = ctx.createConsumer(ctx.createQueue("orders.in"))) {
                    assertTrue("paid".equals(consumer.receiveBody(String.class, 10_000)));
                }
            }
            // the certificate decides: a CONNECT naming another user is refused
            JMSSecurityException other = assertThrows(JMSSecurityException.class,
                    () -> alice.createConnection("bob", "bob-pw"));
            assertTrue(other.getMessage().contains("certificate is for user 'alice'"), other.getMessage());
            // trusted, but names no user of this broker
            JMSSecurityException mallory = assertThrows(JMSSecurityException.class,
                    () -> factory(b.tlsPort(), "mallory").createConnection());
            assertTrue(mallory.getMessage().contains("mallory") && mallory.getMessage().contains("not configured"),
                    mallory.getMessage());
            // not trusted (same CN, another key): no handshake at all
            JMSException stranger = assertThrows(JMSException.class,
                    () -> factory(b.tlsPort(), "stranger").createConnection());
            assertTrue(!(stranger instanceof JMSSecurityException), stranger.toString());
            // need: no certificate, no connection, even with the right password
            assertThrows(JMSException.class, () -> factory(b.tlsPort(), null).createConnection("bob", "bob-pw"));
        }
    }

    @Test
    void wantLetsAClientWithoutACertificateLogInWithItsPassword() throws Exception {
        Map<String, String> s = settings("want");
        s.put("tls.caFile", certs.pemCertificate("alice").toString());
        try (TestBroker b = new TestBroker(s)) {
            TestBroker.roundTripTo("orders.want", factory(b.tlsPort(), "alice"), null, null);
            TestBroker.roundTripTo("orders.want", factory(b.tlsPort(), null), "bob", "bob-pw");
            assertThrows(JMSSecurityException.class, () -> factory(b.tlsPort(), null).createConnection("bob", "x"));
        }
    }
}
