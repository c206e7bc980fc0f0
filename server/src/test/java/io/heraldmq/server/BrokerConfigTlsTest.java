package io.heraldmq.server;

import io.heraldmq.server.net.LimitSettings;
import io.heraldmq.server.net.TlsSettings;
import io.heraldmq.server.security.CertificateUser;
import io.heraldmq.server.security.LoginBackoff;
import org.junit.jupiter.api.Test;

import javax.security.auth.x500.X500Principal;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The {@code tls.*}, {@code plain.enabled} and limit keys; the login backoff's arithmetic; the certificate rule. */
class BrokerConfigTlsTest {
    private static String error(Map<String, String> settings) {
        return assertThrows(IllegalArgumentException.class, () -> BrokerConfig.defaults().with(settings))
                .getMessage();
    }

    @Test
    void noTlsPortByDefaultAndThePlainPortOpen() {
        TlsSettings tls = BrokerConfig.defaults().tls();
        assertFalse(tls.enabled());
        assertTrue(tls.plainEnabled());
        assertEquals(List.of("TLSv1.3", "TLSv1.2"), tls.protocols());
        assertTrue(tls.ciphers().stream().noneMatch(c -> c.contains("CBC") || c.endsWith("_SHA")),
                "AEAD suites only by default: " + tls.ciphers());
        assertEquals(LimitSettings.DEFAULTS, BrokerConfig.defaults().limits());
        assertEquals(10_000, LimitSettings.DEFAULTS.connectTimeoutMs());
    }

    @Test
    void pkcs12OrPemAndTheirChecks() {
        TlsSettings p12 = BrokerConfig.defaults().with(Map.of("tls.port", "7443", "tls.keyStorePath", "/k.p12",
                "tls.keyStorePassword", "secret", "tls.clientAuth", "NEED", "tls.caFile", "/ca.pem",
                "tls.ciphers", "TLS_AES_128_GCM_SHA256, TLS_AES_256_GCM_SHA384")).tls();
        assertEquals(7443, p12.port());
        assertEquals(TlsSettings.ClientAuthMode.NEED, p12.clientAuth());
        assertEquals(List.of("TLS_AES_128_GCM_SHA256", "TLS_AES_256_GCM_SHA384"), p12.ciphers());
        assertEquals(List.of(Path.of("/k.p12"), Path.of("/ca.pem")), p12.watchedFiles());
        assertFalse(p12.toString().contains("secret"), "no password in the config's text");
        TlsSettings pem = BrokerConfig.defaults().with(Map.of("tls.port", "0", "tls.certFile", "/c.pem",
                "tls.keyFile", "/k.pem")).tls();
        assertTrue(pem.enabled());

        assertTrue(error(Map.of("tls.port", "0")).contains("needs the broker's key"));
        assertTrue(error(Map.of("tls.port", "0", "tls.certFile", "/c.pem")).contains("needs the broker's key"));
        assertTrue(error(Map.of("tls.port", "0", "tls.keyStorePath", "/k", "tls.certFile", "/c", "tls.keyFile",
                "/k")).contains("not both"));
        assertTrue(error(Map.of("tls.port", "0", "tls.keyStorePath", "/k", "tls.clientAuth", "need"))
                .contains("tls.trustStorePath or tls.caFile"));
        assertTrue(error(Map.of("tls.clientAuth", "maybe")).contains("none, want or need"));
        assertTrue(error(Map.of("tls.protocols", "TLSv1.1,TLSv1.2")).contains("'TLSv1.1' is not accepted"));
        assertTrue(error(Map.of("plain.enabled", "false")).contains("needs a TLS port"));
        assertTrue(error(Map.of("plain.enabled", "false", "tls.port", "0", "tls.keyStorePath", "/k",
                "cluster.members", "127.0.0.1:7450")).contains("clustered"));
        // empty values, as the shipped broker.properties uncommented has them, mean "not set"
        assertFalse(BrokerConfig.defaults().with(Map.of("tls.port", "", "tls.keyStorePath", "", "tls.caFile", ""))
                .tls().enabled());
    }

    @Test
    void crlFiles() {
        Map<String, String> settings = new java.util.HashMap<>(Map.of("tls.port", "0", "tls.keyStorePath", "/k",
                "tls.clientAuth", "need", "tls.caFile", "/ca.crt", "tls.crlFile", "/a.crl, /b.der"));
        settings.putAll(Map.of("cluster.members", "127.0.0.1:7450", "cluster.secret", "0123456789abcdef0123",
                "cluster.tls.enabled", "true", "cluster.tls.keyStorePath", "/ck", "cluster.tls.caFile", "/cca.crt",
                "cluster.tls.crlFile", "/c.crl"));
        BrokerConfig c = BrokerConfig.defaults().with(settings);
        assertEquals(List.of(Path.of("/a.crl"), Path.of("/b.der")), c.tls().crlFiles());
        assertTrue(c.tls().watchedFiles().containsAll(c.tls().crlFiles()), "reloaded like the key material");
        assertEquals(List.of(Path.of("/c.crl")), c.cluster().tls().tls().crlFiles());
        assertTrue(error(Map.of("tls.port", "0", "tls.keyStorePath", "/k", "tls.crlFile", "/a.crl",
                "tls.caFile", "/ca.crt")).contains("tls.clientAuth = want or need"));
        assertTrue(error(Map.of("tls.port", "0", "tls.keyStorePath", "/k", "tls.crlFile", "/a.crl",
                "tls.clientAuth", "need")).contains("need the CA"));
        assertEquals(java.net.URI.create("http://127.0.0.1:8888"), BrokerConfig.defaults().with(Map.of("tls.port",
                "0", "tls.keyStorePath", "/k", "tls.clientAuth", "want", "tls.caFile", "/ca.crt", "tls.ocspResponder",
                "http://127.0.0.1:8888")).tls().ocspResponder());
        assertTrue(error(Map.of("tls.port", "0", "tls.keyStorePath", "/k", "tls.clientAuth", "want", "tls.caFile",
                "/ca.crt", "tls.ocspResponder", "ldap://x")).contains("http://"));
    }

    @Test
    void limits() {
        LimitSettings l = BrokerConfig.defaults().with(Map.of("max.connections", "100", "max.connections.per.user",
                "10", "max.connections.per.address", "20", "max.consumers.per.connection", "50",
                "max.producers.per.connection", "60", "connect.timeout.ms", "2000", "heartbeat.missed.max", "4",
                "auth.backoff.max.ms", "0")).limits();
        assertEquals(new LimitSettings(2000, 100, 10, 20, 50, 60, 64 * 1024, 4, 0), l);
        assertTrue(error(Map.of("max.connections", "-1")).contains("0 (no limit) or more"));
        assertTrue(error(Map.of("max.frame.bytes.before.connect", "10")).contains("at least 1024"));
        assertTrue(error(Map.of("heartbeat.missed.max", "1")).contains("at least 2"));
        assertTrue(error(Map.of("connect.timeout.ms", "x")).contains("must be a number"));
    }

    @Test
    void loginBackoffDoublesUpToItsMaximumAndForgetsOnSuccess() {
        LoginBackoff b = new LoginBackoff(100, 500);
        assertEquals(0, b.delayMs("10.0.0.1"));
        long[] expected = {100, 200, 400, 500, 500};
        for (long e : expected) {
            b.failed("10.0.0.1");
            assertEquals(e, b.delayMs("10.0.0.1"));
        }
        assertEquals(0, b.delayMs("10.0.0.2"), "per address");
        b.succeeded("10.0.0.1");
        assertEquals(0, b.delayMs("10.0.0.1"));
        LoginBackoff off = new LoginBackoff(100, 0);
        off.failed("10.0.0.1");
        assertEquals(0, off.delayMs("10.0.0.1"));
    }

    @Test
    void theCertificatesCnIsTheUser() {
        assertEquals("orders-app", CertificateUser.commonName(new X500Principal("CN=orders-app, OU=payments, O=Bank")));
        assertEquals("a,b", CertificateUser.commonName(new X500Principal("CN=a\\,b, O=Bank")));
        assertNull(CertificateUser.commonName(new X500Principal("OU=payments, O=Bank")));
    }
}
