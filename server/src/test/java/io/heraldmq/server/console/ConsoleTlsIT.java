package io.heraldmq.server.console;

import io.heraldmq.admin.HeraldAdmin;
import io.heraldmq.server.Broker;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.net.TestCertificates;
import io.heraldmq.server.security.PasswordHash;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The console of a TLS-only broker ({@code plain.enabled = false}): its administrative connections go to the
 * broker's own TLS port, trusting the broker's certificate, whether that is a PKCS12 key store or PEM files. A user
 * logs in and opens the destinations page. With {@code tls.clientAuth = need} the console presents the broker's own
 * certificate (which the broker's CA file trusts) and still logs in with the user's password; a client presenting no
 * certificate stays refused.
 */
class ConsoleTlsIT {
    @TempDir
    static Path dir;
    private static TestCertificates certs;

    @BeforeAll
    static void certificates() throws Exception {
        certs = new TestCertificates(dir);
        certs.generate("broker", "CN=localhost,O=HeraldMQ console test");
    }

    @Test
    void withAPkcs12KeyStore() throws Exception {
        Map<String, String> tls = new HashMap<>();
        tls.put("tls.keyStorePath", certs.keyStore("broker").toString());
        tls.put("tls.keyStorePassword", TestCertificates.PASSWORD);
        loginAndOpenDestinations(tls);
    }

    @Test
    void withPemFilesAndOptionalClientCertificates() throws Exception {
        Map<String, String> tls = new HashMap<>();
        tls.put("tls.certFile", certs.pemCertificate("broker").toString());
        tls.put("tls.keyFile", certs.pemKey("broker").toString());
        tls.put("tls.clientAuth", "want");
        tls.put("tls.caFile", certs.pemCertificate("broker").toString());
        loginAndOpenDestinations(tls);
    }

    @Test
    void withRequiredClientCertificates() throws Exception {
        Map<String, String> tls = new HashMap<>();
        tls.put("tls.certFile", certs.pemCertificate("broker").toString());
        tls.put("tls.keyFile", certs.pemKey("broker").toString());
        tls.put("tls.clientAuth", "need");
        tls.put("tls.caFile", certs.pemCertificate("broker").toString());
        loginAndOpenDestinations(tls);
    }

    @Test
    void withRequiredClientCertificatesAndAPkcs12KeyStore() throws Exception {
        Map<String, String> tls = new HashMap<>();
        tls.put("tls.keyStorePath", certs.keyStore("broker").toString());
        tls.put("tls.keyStorePassword", TestCertificates.PASSWORD);
        tls.put("tls.clientAuth", "need");
        tls.put("tls.caFile", certs.pemCertificate("broker").toString());
        loginAndOpenDestinations(tls);
    }

    private static void loginAndOpenDestinations(Map<String, String> tls) throws Exception {
        boolean need = "need".equals(tls.get("tls.clientAuth"));
        Map<String, String> s = new HashMap<>(tls);
        s.put("plain.enabled", "false");
        s.put("tls.port", "0");
        s.put("http.port", "0");
        s.put("data.dir", dir.resolve("b" + System.nanoTime()).toString());
        s.put("user.ops", PasswordHash.create("ops-pw".toCharArray(), 1_000).encoded());
        s.put("user.ops.roles", "admin");
        s.put("permission.manage.#", "admin");
        s.put("permission.createDestination.#", "admin");
        Broker broker = Broker.start(BrokerConfig.defaults().with(s)).toCompletionStage().toCompletableFuture()
                .get(60, TimeUnit.SECONDS);
        try {
            assertTrue(broker.url().startsWith("ssl://"), broker.url());
            String trust = broker.url() + "?trustStorePath=" + certs.keyStore("broker") + "&trustStorePassword="
                    + TestCertificates.PASSWORD;
            if (need) {
                assertThrows(RuntimeException.class, () -> HeraldAdmin.connect(trust + "&reconnectTimeoutMs=0"
                        + "&requestTimeout=5000", "ops", "ops-pw").close(), "no client certificate: refused");
            }
            // the broker's own certificate, as the console presents it (harmless where none is asked for)
            String own = trust + "&keyStorePath=" + certs.keyStore("broker") + "&keyStorePassword="
                    + TestCertificates.PASSWORD;
            try (HeraldAdmin admin = HeraldAdmin.connect(own, "ops", "ops-pw")) {
                admin.createQueue("tls.only", 1, -1, -1);
            }

            ConsoleHttp c = new ConsoleHttp(broker.httpUrl());
            HttpResponse<String> login = c.post("/console/login", "username", "ops", "password", "ops-pw");
            assertEquals(303, login.statusCode(), login.body());
            HttpResponse<String> destinations = c.get("/console/destinations");
            assertEquals(200, destinations.statusCode(), destinations.body());
            assertTrue(destinations.body().contains("tls.only"), destinations.body());
            if (need) {
                assertThrows(RuntimeException.class, () -> HeraldAdmin.connect(own + "&reconnectTimeoutMs=0", "ops",
                        "wrong").close(),
                        "the broker's own certificate names no user: the password counts");
            }
        } finally {
            broker.close().toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
        }
    }
}
