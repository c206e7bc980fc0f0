package io.heraldmq.server.net;

import io.vertx.core.http.ClientAuth;
import io.vertx.core.net.JdkSSLEngineOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.NetServerOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.SSLOptions;
import io.vertx.core.net.TrustOptions;

import java.util.LinkedHashSet;

/**
 * Turns {@link TlsSettings} into Vert.x options: a TLS listener's and (between brokers) a TLS client's at start, and
 * the key and trust part alone for {@code updateSSLOptions} when the files changed. Vert.x reads the files, except
 * the trust anchors and CRLs when there are CRLs ({@link RevocationTrust}, read here: call on a worker).
 */
public final class TlsOptions {
    private TlsOptions() {
    }

    public static NetServerOptions server(TlsSettings tls, String host, int port) {
        NetServerOptions o = new NetServerOptions().setHost(host).setPort(port).setTcpNoDelay(true)
                .setReuseAddress(true).setSsl(true)
                .setClientAuth(switch (tls.clientAuth()) {
                    case NONE -> ClientAuth.NONE;
                    case WANT -> ClientAuth.REQUEST;
                    case NEED -> ClientAuth.REQUIRED;
                })
                .setKeyCertOptions(keyCert(tls))
                .setEnabledSecureTransportProtocols(new LinkedHashSet<>(tls.protocols()));
        TrustOptions trust = trust(tls);
        if (trust != null) {
            o.setTrustOptions(trust);
        }
        tls.ciphers().forEach(o::addEnabledCipherSuite);
        if (tls.revocationChecked()) {
            o.setSslEngineOptions(offTheEventLoop());
        }
        return o;
    }

    /**
     * Handshake tasks (the JDK's certificate checks among them) on Vert.x's worker pool: checking revocation reads
     * CRLs or asks an OCSP responder over the network, which must not hold up an event loop.
     */
    private static JdkSSLEngineOptions offTheEventLoop() {
        return new JdkSSLEngineOptions().setUseWorkerThread(true);
    }

    /**
     * A client that presents the key material of {@code tls} and trusts only its trust anchors (never the JDK's
     * defaults: between brokers, a certificate from any public CA must not pass).
     *
     * @param verifyHost whether the peer's certificate must name the address connected to (HTTPS rules)
     */
    public static NetClientOptions client(TlsSettings tls, boolean verifyHost) {
        NetClientOptions o = new NetClientOptions().setSsl(true).setKeyCertOptions(keyCert(tls))
                .setTrustOptions(trust(tls))
                .setEnabledSecureTransportProtocols(new LinkedHashSet<>(tls.protocols()))
                .setHostnameVerificationAlgorithm(verifyHost ? "HTTPS" : "");
        tls.ciphers().forEach(o::addEnabledCipherSuite);
        if (tls.revocationChecked()) {
            o.setSslEngineOptions(offTheEventLoop());
        }
        return o;
    }

    /** What a reload replaces: keys, trust, protocols and ciphers as configured. */
    public static SSLOptions ssl(TlsSettings tls) {
        SSLOptions o = new SSLOptions().setKeyCertOptions(keyCert(tls))
                .setEnabledSecureTransportProtocols(new LinkedHashSet<>(tls.protocols()));
        TrustOptions trust = trust(tls);
        if (trust != null) {
            o.setTrustOptions(trust);
        }
        tls.ciphers().forEach(o::addEnabledCipherSuite);
        return o;
    }

    private static KeyCertOptions keyCert(TlsSettings tls) {
        if (tls.keyStorePath() != null) {
            return new PfxOptions().setPath(tls.keyStorePath().toString()).setPassword(tls.keyStorePassword());
        }
        return new PemKeyCertOptions().setCertPath(tls.certFile().toString()).setKeyPath(tls.keyFile().toString());
    }

    private static TrustOptions trust(TlsSettings tls) {
        if (tls.revocationChecked()) {
            // Vert.x's own CRL support checks serial numbers only (no CRL signature, no nextUpdate): the JDK's PKIX
            return TrustOptions.wrap(RevocationTrust.factory(tls));
        }
        if (tls.trustStorePath() != null) {
            return new PfxOptions().setPath(tls.trustStorePath().toString()).setPassword(tls.trustStorePassword());
        }
        if (tls.caFile() != null) {
            return new PemTrustOptions().addCertPath(tls.caFile().toString());
        }
        return null;
    }
}
