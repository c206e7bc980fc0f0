package io.heraldmq.server.net;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import io.heraldmq.jms.HeraldConnectionFactory;
import io.heraldmq.server.cluster.ClusterCertificates;
import jakarta.jms.JMSContext;
import jakarta.jms.JMSRuntimeException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Certificate revocation lists on the client port ({@code tls.crlFile}) with an openssl-made CA, certificates and
 * CRLs and the JMS client: a revoked client certificate is refused at the handshake and logged with its subject, one
 * not revoked passes; a CRL file replaced (PEM by DER) is read again and the next handshake sees it, while a
 * connection already open stays; a CRL file that is not one keeps the CRL in force. And OCSP
 * ({@code tls.ocspResponder}) with {@code openssl ocsp} as the responder: a revoked certificate refused, a good one
 * passes, and no answer refuses all (fail closed). Intermediate CAs are checked as well: one revoked by its root
 * refuses the certificates it issued, and without the root's CRL their status is unknown (refused).
 */
class CertificateRevocationIT {
    /** RevocationTrust's refusals and TlsReloader's reloads. */
    private static final Logger NET_LOG = (Logger) LoggerFactory.getLogger("io.heraldmq.server.net");

    @TempDir
    Path dir;
    private final List<String> logged = new CopyOnWriteArrayList<>();
    private final AppenderBase<ILoggingEvent> capture = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            logged.add(event.getFormattedMessage());
        }
    };

    @BeforeEach
    void captureLog() {
        capture.start();
        NET_LOG.addAppender(capture);
    }

    @AfterEach
    void releaseLog() {
        NET_LOG.detachAppender(capture);
    }

    @Test
    void aRevokedClientCertificateIsRefusedAndAnUpdatedCrlIsSeenByTheNextHandshake() throws Exception {
        assumeTrue(ClusterCertificates.opensslAvailable(), "the openssl binary is not installed");
        ClusterCertificates ca = new ClusterCertificates(dir, "clients-ca").issue("broker", "alice", "mallory");
        Path crl = ca.crl(dir.resolve("clients.crl"), false, "mallory");
        try (TestBroker b = new TestBroker(Map.of("tls.port", "0", "tls.certFile", ca.cert("broker").toString(),
                "tls.keyFile", ca.key("broker").toString(), "tls.clientAuth", "need",
                "tls.caFile", ca.caFile().toString(), "tls.crlFile", crl.toString(),
                "tls.reload.interval.ms", "100"))) {
            HeraldConnectionFactory alice = factory(ca, b.tlsPort(), "alice");
            HeraldConnectionFactory mallory = factory(ca, b.tlsPort(), "mallory");
            TestBroker.roundTrip(alice, null, null);
            assertThrows(JMSRuntimeException.class, mallory::createContext, "a revoked certificate");
            await("the refusal logged with the subject").atMost(Duration.ofSeconds(5)).until(() -> logged.stream()
                    .anyMatch(l -> l.contains("CN=mallory") && l.contains("revoked")));

            try (JMSContext open = alice.createContext()) {
                open.createProducer().send(open.createQueue("crl.q"), "before the new CRL");
                // alice revoked too, in DER this time: new handshakes see it; her open connection stays
                ca.crl(crl, true, "mallory", "alice");
                // (a refusal alone could be Vert.x dropping a handshake while it swaps SSL contexts)
                await("the new CRL in force").atMost(Duration.ofSeconds(10)).until(() -> refused(alice)
                        && logged.stream().anyMatch(l -> l.contains("CN=alice") && l.contains("revoked")));
                open.createProducer().send(open.createQueue("crl.q"), "on the connection opened before");
                assertEquals("before the new CRL", open.createConsumer(open.createQueue("crl.q"))
                        .receiveBody(String.class, 10_000));
            }
            assertTrue(refused(mallory));

            // a file that is no CRL is not loaded: the CRL in force stays
            Files.writeString(dir.resolve("junk"), "not a CRL");
            Files.move(dir.resolve("junk"), crl, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            await("the broken file tried").atMost(Duration.ofSeconds(10)).until(() -> logged.stream()
                    .anyMatch(l -> l.contains("cannot be loaded")));
            assertTrue(refused(alice));
            // and an empty CRL lets alice in again
            ca.crl(crl, false);
            await("the empty CRL in force").atMost(Duration.ofSeconds(10)).until(() -> !refused(alice));
        }
    }

    @Test
    void anOcspResponderIsAskedAtEachHandshakeAndNoAnswerRefuses() throws Exception {
        assumeTrue(ClusterCertificates.opensslAvailable(), "the openssl binary is not installed");
        ClusterCertificates ca = new ClusterCertificates(dir, "clients-ca").issue("broker", "alice", "mallory");
        Path db = ca.database(List.of("alice"), List.of("mallory"));
        int port;
        try (java.net.ServerSocket free = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            port = free.getLocalPort();
        }
        Process responder = ca.ocspResponder(db, port);
        try (TestBroker b = new TestBroker(Map.of("tls.port", "0", "tls.certFile", ca.cert("broker").toString(),
                "tls.keyFile", ca.key("broker").toString(), "tls.clientAuth", "need",
                "tls.caFile", ca.caFile().toString(), "tls.ocspResponder", "http://127.0.0.1:" + port))) {
            // its own line, not a probe connection: openssl's responder serves one connection at a time
            Path responderLog = db.resolveSibling("ocsp.log");
            await("the responder listens").atMost(Duration.ofSeconds(10)).until(() -> Files.exists(responderLog)
                    && Files.readString(responderLog).contains("waiting for OCSP client connections"));
            HeraldConnectionFactory alice = factory(ca, b.tlsPort(), "alice");
            TestBroker.roundTrip(alice, null, null);
            assertTrue(refused(factory(ca, b.tlsPort(), "mallory")), "revoked at the responder");
            await("the refusal logged with the subject").atMost(Duration.ofSeconds(5)).until(() -> logged.stream()
                    .anyMatch(l -> l.contains("CN=mallory") && l.contains("revoked") && l.contains("OCSP")));
            // fail closed: without an answer (and no CRL to fall back on) nobody passes
            responder.destroyForcibly().waitFor();
            assertTrue(refused(alice), "no answer from the responder");
            assertTrue(logged.stream().anyMatch(l -> l.contains("CN=alice") && l.contains("status is unknown")),
                    logged.toString());
        } finally {
            responder.destroyForcibly();
        }
    }

    @Test
    void anIntermediateCaRevokedByItsRootTakesTheCertificatesItIssuedWithIt() throws Exception {
        assumeTrue(ClusterCertificates.opensslAvailable(), "the openssl binary is not installed");
        ClusterCertificates root = new ClusterCertificates(dir, "root-ca").issue("broker");
        ClusterCertificates issuing = root.intermediate("issuing-ca").issue("carol");
        Path rootCrl = root.crl(dir.resolve("root.crl"), false);
        Path issuingCrl = issuing.crl(dir.resolve("issuing.crl"), false);
        HeraldConnectionFactory carol;
        try (TestBroker b = new TestBroker(Map.of("tls.port", "0", "tls.certFile", root.cert("broker").toString(),
                "tls.keyFile", root.key("broker").toString(), "tls.clientAuth", "need",
                "tls.caFile", root.caFile().toString(), "tls.crlFile", rootCrl + "," + issuingCrl,
                "tls.reload.interval.ms", "100"))) {
            carol = factory(root, issuing, b.tlsPort(), "carol");
            TestBroker.roundTrip(carol, null, null);
            // the root revokes the issuing CA; carol's own certificate is in no CRL
            root.crl(rootCrl, false, "issuing-ca");
            // (a refusal alone could be Vert.x dropping a handshake while it swaps SSL contexts)
            await("the issuing CA's revocation in force").atMost(Duration.ofSeconds(10)).until(() -> refused(carol)
                    && logged.stream().anyMatch(l -> l.contains("CN=carol")
                    && l.contains("issuing CA CN=issuing-ca") && l.contains("revoked")));
        }
        // fail closed on the chain too: without the root's CRL the issuing CA's status is unknown
        logged.clear();
        try (TestBroker b = new TestBroker(Map.of("tls.port", "0", "tls.certFile", root.cert("broker").toString(),
                "tls.keyFile", root.key("broker").toString(), "tls.clientAuth", "need",
                "tls.caFile", root.caFile().toString(), "tls.crlFile", issuingCrl.toString()))) {
            assertTrue(refused(factory(root, issuing, b.tlsPort(), "carol")), "no CRL of the root");
            await("the unknown status logged").atMost(Duration.ofSeconds(5)).until(() -> logged.stream()
                    .anyMatch(l -> l.contains("CN=carol") && l.contains("status is unknown")));
        }
    }

    private static boolean refused(HeraldConnectionFactory f) {
        try (JMSContext ctx = f.createContext()) {
            ctx.createProducer().send(ctx.createQueue("crl.check"), "x");
            return false;
        } catch (JMSRuntimeException e) {
            return true;
        }
    }

    private static HeraldConnectionFactory factory(ClusterCertificates ca, int port, String name) throws Exception {
        return factory(ca, ca, port, name);
    }

    /** A client trusting {@code root}, presenting {@code name}'s certificate from {@code issuer} with its chain. */
    private static HeraldConnectionFactory factory(ClusterCertificates root, ClusterCertificates issuer, int port,
                                                   String name) throws Exception {
        return new HeraldConnectionFactory("ssl://127.0.0.1:" + port + "?trustStorePath=" + root.caFile()
                + "&keyStorePath=" + issuer.keyStore(name) + "&reconnectTimeoutMs=0");
    }
}
