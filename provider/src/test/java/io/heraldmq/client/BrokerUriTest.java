package io.heraldmq.client;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class BrokerUriTest {

    private static String error(String url) {
        return assertThrows(IllegalArgumentException.class, () -> BrokerUri.parse(url)).getMessage();
    }

    @Test
    void single() {
        BrokerUri u = BrokerUri.parse("tcp://127.0.0.1:7441");
        assertEquals(List.of(new BrokerUri.Address("127.0.0.1", 7441)), u.addresses());
        assertTrue(u.options().isEmpty());
        assertEquals("tcp://127.0.0.1:7441", u.toString());
    }

    @Test
    void multiple() {
        BrokerUri u = BrokerUri.parse("tcp://h1:7001,h2:7002, h3:7003");
        assertEquals(List.of(new BrokerUri.Address("h1", 7001), new BrokerUri.Address("h2", 7002),
                new BrokerUri.Address("h3", 7003)), u.addresses());
        // The scheme may be repeated on every address.
        assertEquals(u.addresses(), BrokerUri.parse("tcp://h1:7001,tcp://h2:7002,tcp://h3:7003").addresses());
        assertEquals("tcp://h1:7001,h2:7002,h3:7003", u.toString());
    }

    @Test
    void sslSchemeIsTcpWithSslTrue() {
        BrokerUri u = BrokerUri.parse("ssl://h1:7443,ssl://h2:7443?trustStorePath=/t.p12&trustStorePassword=x");
        assertEquals(List.of(new BrokerUri.Address("h1", 7443), new BrokerUri.Address("h2", 7443)), u.addresses());
        assertEquals(Map.of("ssl", "true", "trustStorePath", "/t.p12", "trustStorePassword", "x"), u.options());
        assertTrue(ClientTls.enabled(u.options()));
        assertTrue(ClientTls.enabled(BrokerUri.parse("tcp://h?sslEnabled=true").options()), "Artemis's name");
        assertTrue(!ClientTls.enabled(BrokerUri.parse("tcp://h").options()));
        assertEquals(u, BrokerUri.parse(u.toString()), "written back as tcp://...?ssl=true");
        assertTrue(error("http://h").contains("tcp:// or ssl://"));
        assertTrue(ClientTls.options(u, 1000).isSsl());
        assertEquals("HTTPS", ClientTls.options(u, 1000).getHostnameVerificationAlgorithm(), "verifyHost by default");
        assertEquals("", ClientTls.options(BrokerUri.parse("ssl://h?verifyHost=false"), 1000)
                .getHostnameVerificationAlgorithm());
        assertThrows(IllegalArgumentException.class,
                () -> BrokerConnection.heartbeatMs(BrokerUri.parse("tcp://h?heartbeatMs=-1")));
        assertEquals(BrokerConnection.DEFAULT_HEARTBEAT_MS, BrokerConnection.heartbeatMs(BrokerUri.parse("tcp://h")));
    }

    @Test
    void defaultPort() {
        BrokerUri u = BrokerUri.parse("tcp://broker");
        assertEquals(List.of(new BrokerUri.Address("broker", BrokerUri.DEFAULT_PORT)), u.addresses());
        assertEquals(7440, u.addresses().get(0).port());
        assertEquals(List.of(new BrokerUri.Address("a", 7440), new BrokerUri.Address("b", 1)),
                BrokerUri.parse("tcp://a,b:1").addresses());
    }

    @Test
    void trailingSlashAndWhitespace() {
        assertEquals(List.of(new BrokerUri.Address("h", 1)), BrokerUri.parse("  tcp://h:1/  ").addresses());
        BrokerUri u = BrokerUri.parse("tcp://h:1/?clientID=c");
        assertEquals(List.of(new BrokerUri.Address("h", 1)), u.addresses());
        assertEquals("c", u.options().get("clientID"));
    }

    @Test
    void optionsWithUrlEncoding() {
        BrokerUri u = BrokerUri.parse("tcp://h1:1,h2:2?clientID=app%2F1%20%C3%A9&a%3Db=x%26y&flag&&empty=");
        assertEquals(Map.of("clientID", "app/1 é", "a=b", "x&y", "flag", "", "empty", ""), u.options());
        assertEquals(List.of("clientID", "a=b", "flag", "empty"), List.copyOf(u.options().keySet()));
        assertEquals(2, u.addresses().size());
        // '+' is a space, as in form encoding.
        assertEquals("a b", BrokerUri.parse("tcp://h?clientID=a+b").options().get("clientID"));
        assertThrows(UnsupportedOperationException.class, () -> u.options().put("x", "y"));
        assertThrows(UnsupportedOperationException.class, () -> u.addresses().clear());
    }

    @Test
    void badEscapeInOptions() {
        assertThrows(IllegalArgumentException.class, () -> BrokerUri.parse("tcp://h:1?clientID=%zz"));
    }

    @Test
    void badPort() {
        assertTrue(error("tcp://h:abc").contains("bad port"));
        assertTrue(error("tcp://h:").contains("bad port"));
        assertTrue(error("tcp://h:0").contains("out of range"));
        assertTrue(error("tcp://h:65536").contains("out of range"));
        assertTrue(error("tcp://h:-1").contains("out of range"));
        assertTrue(error("tcp://h1:1,h2:99999999999").contains("bad port"));
        assertEquals(65535, BrokerUri.parse("tcp://h:65535").addresses().get(0).port());
    }

    @Test
    void missingHost() {
        assertTrue(error("tcp://:7440").contains("missing host"));
        assertTrue(error("tcp://h1:1,:2").contains("missing host"));
        assertTrue(error("tcp://").contains("empty address"));
        assertTrue(error("tcp://h1:1,,h2:2").contains("empty address"));
        assertTrue(error("tcp://?clientID=x").contains("empty address"));
    }

    @Test
    void notTcp() {
        assertTrue(error("http://h:80").contains("tcp://"));
        assertTrue(error("h:7440").contains("tcp://"));
        assertTrue(error("amqps://h:7440").contains("tcp://"));
        assertTrue(error("").contains("empty"));
        assertTrue(error("   ").contains("empty"));
        assertTrue(error(null).contains("empty"));
    }

    @Test
    void errorsNameTheUrl() {
        assertTrue(error("tcp://h:abc").contains("tcp://h:abc"));
        assertTrue(error("http://x").contains("http://x"));
    }

    @Test
    void toStringParsesBackToTheSame() {
        BrokerUri u = BrokerUri.parse("tcp://h1:1,h2?clientID=x&b=2");
        assertEquals(u, BrokerUri.parse(u.toString()));
    }

    @Test
    void recordNeedsAnAddress() {
        assertThrows(IllegalArgumentException.class, () -> new BrokerUri(List.of(), Map.of()));
    }
}
