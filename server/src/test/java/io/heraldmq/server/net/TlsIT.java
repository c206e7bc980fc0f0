package io.heraldmq.server.net;

import io.heraldmq.jms.HeraldConnectionFactory;
import jakarta.jms.ConnectionFactory;
import jakarta.jms.JMSException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.naming.Context;
import javax.naming.InitialContext;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The TLS client port with real brokers, real sockets and the JMS client: PKCS12 and PEM key material,
 * {@code ssl://} and {@code ?ssl=true} URLs and JNDI, a plain client refused on the TLS port, the plain port closed by
 * {@code plain.enabled = false}, certificate reload without a restart, and {@code openssl s_client} for the protocol
 * versions (skipped when the openssl binary is missing).
 */
class TlsIT {
    @TempDir
    static Path dir;
    private static TestCertificates certs;
    private static Path clientTrust;

    @BeforeAll
    static void certificates() throws Exception {
        certs = new TestCertificates(dir);
        certs.generate("broker", "CN=localhost,O=HeraldMQ test", "rotated", "CN=localhost,O=HeraldMQ rotated");
        clientTrust = certs.trustStore("client-trust", "broker", "rotated");
    }

    private static Map<String, String> pkcs12() {
        Map<String, String> s = new HashMap<>();
        s.put("tls.port", "0");
        s.put("tls.keyStorePath", certs.keyStore("broker").toString());
        s.put("tls.keyStorePassword", TestCertificates.PASSWORD);
        return s;
    }

    private static String sslUrl(int port) {
        return "ssl://127.0.0.1:" + port + "?trustStorePath=" + clientTrust + "&trustStorePassword="
                + TestCertificates.PASSWORD + "&reconnectTimeoutMs=0";
    }

    @Test
    void pkcs12KeyStoreWithTheJmsClientBothUrlFormsAndJndi() throws Exception {
        try (TestBroker b = new TestBroker(pkcs12())) {
            TestBroker.roundTrip(new HeraldConnectionFactory(sslUrl(b.tlsPort())), null, null);
            TestBroker.roundTrip(new HeraldConnectionFactory("tcp://127.0.0.1:" + b.tlsPort() + "?ssl=true"
                    + "&trustStorePath=" + clientTrust + "&trustStorePassword=" + TestCertificates.PASSWORD), null,
                    null);
            // the plain port stays open beside it (plain.enabled defaults to true)
            TestBroker.roundTrip(new HeraldConnectionFactory("tcp://127.0.0.1:" + b.port()), null, null);

            Hashtable<String, String> env = new Hashtable<>();
            env.put(Context.INITIAL_CONTEXT_FACTORY, "io.heraldmq.jndi.HeraldInitialContextFactory");
            env.put("connectionFactory.SecureCF", sslUrl(b.tlsPort()));
            InitialContext jndi = new InitialContext(env);
            TestBroker.roundTrip((ConnectionFactory) jndi.lookup("SecureCF"), null, null);
            jndi.close();
        }
    }

    @Test
    void pemCertificateAndKeyFiles() throws Exception {
        Map<String, String> s = new HashMap<>();
        s.put("tls.port", "0");
        s.put("tls.certFile", certs.pemCertificate("broker").toString());
        s.put("tls.keyFile", certs.pemKey("broker").toString());
        try (TestBroker b = new TestBroker(s)) {
            // the client may trust a PEM file as well
            TestBroker.roundTrip(new HeraldConnectionFactory("ssl://localhost:" + b.tlsPort() + "?trustStorePath="
                    + certs.pemCertificate("broker")), null, null);
        }
    }

    @Test
    void aClientThatDoesNotTrustTheBrokerOrSpeaksPlainTextIsRefused() {
        try (TestBroker b = new TestBroker(pkcs12())) {
            // no trust store: the JDK's CAs do not know the self-signed certificate
            JMSException untrusted = assertThrows(JMSException.class, () -> new HeraldConnectionFactory(
                    "ssl://127.0.0.1:" + b.tlsPort() + "?reconnectTimeoutMs=0").createConnection());
            assertTrue(String.valueOf(untrusted.getMessage()).contains("cannot connect"), untrusted.getMessage());
            // plain text to the TLS port: the broker sees no TLS handshake and drops the socket
            assertThrows(JMSException.class, () -> new HeraldConnectionFactory("tcp://127.0.0.1:" + b.tlsPort()
                    + "?connectTimeout=3000&reconnectTimeoutMs=0").createConnection());
            // and nothing was left behind
            await().atMost(Duration.ofSeconds(10)).until(() -> b.broker().connectionCount() == 0);
        }
    }

    @Test
    void plainDisabledClosesThePlainPort() throws Exception {
        int free;
        try (ServerSocket s = new ServerSocket(0)) {
            free = s.getLocalPort();
        }
        Map<String, String> s = pkcs12();
        s.put("plain.enabled", "false");
        s.put("port", String.valueOf(free));
        try (TestBroker b = new TestBroker(s)) {
            assertEquals(-1, b.port());
            assertTrue(b.broker().url().startsWith("ssl://"), b.broker().url());
            assertThrows(ConnectException.class, () -> new Socket("127.0.0.1", free).close());
            TestBroker.roundTrip(new HeraldConnectionFactory(sslUrl(b.tlsPort())), null, null);
        }
    }

    @Test
    void replacedCertificateFilesAreUsedByTheNextHandshakeWithoutARestart() throws Exception {
        Path cert = dir.resolve("live.crt");
        Path key = dir.resolve("live.key");
        Files.copy(certs.pemCertificate("broker"), cert, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(certs.pemKey("broker"), key, StandardCopyOption.REPLACE_EXISTING);
        Map<String, String> s = new HashMap<>();
        s.put("tls.port", "0");
        s.put("tls.certFile", cert.toString());
        s.put("tls.keyFile", key.toString());
        s.put("tls.reload.interval.ms", "100");
        try (TestBroker b = new TestBroker(s)) {
            assertEquals("CN=localhost,O=HeraldMQ test", peerSubject(b.tlsPort()));
            // rotate: the new files are written beside and moved over the old ones, as a deployment tool would
            Path newCert = Files.copy(certs.pemCertificate("rotated"), dir.resolve("next.crt"),
                    StandardCopyOption.REPLACE_EXISTING);
            Path newKey = Files.copy(certs.pemKey("rotated"), dir.resolve("next.key"),
                    StandardCopyOption.REPLACE_EXISTING);
            Files.move(newKey, key, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            Files.move(newCert, cert, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            // Vert.x 4.5.22 drops (NPE in TCPServerBase) a socket accepted in the few ms while it builds the new
            // SSL context: a handshake at that instant fails, and the client's next attempt succeeds
            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(100))
                    .ignoreExceptionsInstanceOf(javax.net.ssl.SSLHandshakeException.class)
                    .until(() -> peerSubject(b.tlsPort()).equals("CN=localhost,O=HeraldMQ rotated"));
            // and the JMS client (which trusts both) still connects
            TestBroker.roundTrip(new HeraldConnectionFactory(sslUrl(b.tlsPort())), null, null);
        }
    }

    @Test
    void opensslSeesTls13And12AcceptedAndTls10And11AndCbcRefused() throws Exception {
        assumeTrue(opensslAvailable(), "the openssl binary is not installed");
        try (TestBroker b = new TestBroker(pkcs12())) {
            String tls13 = sClient(b.tlsPort(), "-tls1_3");
            assertTrue(tls13.contains("TLSv1.3"), tls13);
            String tls12 = sClient(b.tlsPort(), "-tls1_2");
            assertTrue(tls12.contains("Protocol  : TLSv1.2") || tls12.contains("New, TLSv1.2"), tls12);
            // TLS 1.2 with a CBC suite (the JDK would offer it; the broker's defaults do not)
            String cbc = sClient(b.tlsPort(), "-tls1_2", "-cipher", "ECDHE-ECDSA-AES128-SHA");
            assertTrue(cbc.startsWith("exit=1") && cbc.contains("Cipher is (NONE)"), cbc);
            for (String old : List.of("-tls1", "-tls1_1")) {
                String out = sClient(b.tlsPort(), old, "-cipher", "DEFAULT@SECLEVEL=0");
                // the broker answers the client hello with a protocol_version alert; no cipher is agreed
                assertTrue(out.startsWith("exit=1") && out.contains("alert protocol version")
                        && out.contains("Cipher is (NONE)"), old + ": " + out);
            }
        }
    }

    /** The subject of the certificate the broker presents to a new handshake. */
    private static String peerSubject(int port) throws Exception {
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, new TrustManager[]{new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {
            }

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        }}, null);
        try (SSLSocket socket = (SSLSocket) ctx.getSocketFactory().createSocket("127.0.0.1", port)) {
            socket.setSoTimeout(5000);
            socket.startHandshake();
            return ((X509Certificate) socket.getSession().getPeerCertificates()[0]).getSubjectX500Principal()
                    .getName();
        }
    }

    private static boolean opensslAvailable() {
        try {
            return new ProcessBuilder("openssl", "version").start().waitFor(10, TimeUnit.SECONDS);
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }

    /** Runs {@code openssl s_client} against the port; returns "exit=N" and its output. */
    static String sClient(int port, String... options) throws IOException, InterruptedException {
        List<String> cmd = new java.util.ArrayList<>(List.of("openssl", "s_client", "-connect", "127.0.0.1:" + port));
        cmd.addAll(List.of(options));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close(); // stdin at end: s_client quits after the handshake
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "openssl s_client did not finish");
        return "exit=" + p.exitValue() + "\n" + out;
    }
}
