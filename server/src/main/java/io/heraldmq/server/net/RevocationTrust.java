package io.heraldmq.server.net;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.CertPathTrustManagerParameters;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.TrustManagerFactorySpi;
import javax.net.ssl.ManagerFactoryParameters;
import javax.net.ssl.X509ExtendedTrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.Provider;
import java.security.cert.CRL;
import java.security.cert.CertPathBuilder;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.CollectionCertStoreParameters;
import java.security.cert.PKIXBuilderParameters;
import java.security.cert.PKIXRevocationChecker;
import java.security.cert.X509CertSelector;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;

/**
 * Trust anchors with certificate revocation lists ({@code tls.crlFile}, {@code cluster.tls.crlFile}) and/or an OCSP
 * responder ({@code tls.ocspResponder}): the JDK's PKIX trust manager, given the CRLs as a certificate store and a
 * revocation checker for every certificate of the presented chain below the trust anchor: the end certificate and
 * each intermediate CA, as Artemis's {@code crlPath} and the JDK's default PKIX validation check them (a revoked
 * intermediate CA must take every certificate it issued with it). Without a responder, from the CRLs only (no fetching of
 * distribution points: nothing leaves the broker during a handshake); with one, OCSP first (the configured responder,
 * whatever the certificate names; the answer must be signed by the CA or a responder it delegated to), the CRLs
 * when it cannot answer, and without CRLs no answer refuses (fail closed). The handshake tasks run on Vert.x's
 * worker pool ({@link TlsOptions}), so a slow responder holds no event loop. A
 * counts only when its issuer's signature verifies against the trust anchors and the handshake's time lies before
 * its {@code nextUpdate}: a certificate whose CA has no such CRL in the files is refused (the revocation status is
 * unknown), as is a revoked one. Each refusal is a warning naming the certificate's subject and serial.
 * <p>
 * Built on a worker, at start and at every reload ({@link TlsReloader}): the files are read here, not by Vert.x.
 */
final class RevocationTrust {
    private static final Logger LOG = LoggerFactory.getLogger(RevocationTrust.class);

    private RevocationTrust() {
    }

    /**
     * A factory handing out {@link #trustManager}, for Vert.x's {@code TrustOptions.wrap(TrustManagerFactory)} (its
     * {@code wrap(TrustManager)} needs SLF4J, which the broker does not ship).
     *
     * @throws IllegalArgumentException a file that cannot be read or holds no CRL (named)
     */
    static TrustManagerFactory factory(TlsSettings tls) {
        TrustManager[] managers = {trustManager(tls)};
        return new TrustManagerFactory(new TrustManagerFactorySpi() {
            @Override
            protected void engineInit(KeyStore ks) {
            }

            @Override
            protected void engineInit(ManagerFactoryParameters spec) {
            }

            @Override
            protected TrustManager[] engineGetTrustManagers() {
                return managers.clone();
            }
        }, PROVIDER, "PKIX") {
        };
    }

    /** The provider named by {@link #factory}'s factory; it registers no service. */
    private static final Provider PROVIDER = new Provider("HeraldMQ-CRL", "1", "trust anchors with CRLs") {
    };

    /**
     * @throws IllegalArgumentException a file that cannot be read or holds no CRL (named)
     */
    static TrustManager trustManager(TlsSettings tls) {
        try {
            KeyStore anchors = anchors(tls);
            List<CRL> crls = new ArrayList<>();
            for (Path file : tls.crlFiles()) {
                crls.addAll(crls(file));
            }
            PKIXBuilderParameters params = new PKIXBuilderParameters(anchors, new X509CertSelector());
            params.addCertStore(CertStore.getInstance("Collection", new CollectionCertStoreParameters(crls)));
            PKIXRevocationChecker revocation = (PKIXRevocationChecker) CertPathBuilder.getInstance("PKIX")
                    .getRevocationChecker();
            EnumSet<PKIXRevocationChecker.Option> options = EnumSet.noneOf(PKIXRevocationChecker.Option.class);
            if (tls.ocspResponder() == null) {
                options.addAll(EnumSet.of(PKIXRevocationChecker.Option.PREFER_CRLS,
                        PKIXRevocationChecker.Option.NO_FALLBACK));
            } else {
                revocation.setOcspResponder(tls.ocspResponder());
                if (crls.isEmpty()) {
                    options.add(PKIXRevocationChecker.Option.NO_FALLBACK); // no CRL to fall back on
                }
            }
            revocation.setOptions(options);
            params.addCertPathChecker(revocation);
            TrustManagerFactory factory = TrustManagerFactory.getInstance("PKIX");
            factory.init(new CertPathTrustManagerParameters(params));
            for (TrustManager tm : factory.getTrustManagers()) {
                if (tm instanceof X509ExtendedTrustManager x) {
                    return new Logging(x, tls.ocspResponder() == null ? tls.crlFiles().toString()
                            : "the OCSP responder " + tls.ocspResponder() + (crls.isEmpty() ? ""
                            : " or " + tls.crlFiles()));
                }
            }
            throw new IllegalStateException("the JDK's PKIX trust manager factory made no X509 trust manager");
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("cannot load the trust anchors and CRLs " + tls.crlFiles() + ": "
                    + e.getMessage(), e);
        }
    }

    private static KeyStore anchors(TlsSettings tls) throws GeneralSecurityException, IOException {
        KeyStore store = KeyStore.getInstance("PKCS12");
        if (tls.trustStorePath() != null) {
            try (InputStream in = Files.newInputStream(tls.trustStorePath())) {
                store.load(in, tls.trustStorePassword() == null ? null : tls.trustStorePassword().toCharArray());
            }
            return store;
        }
        store.load(null, null);
        Collection<? extends Certificate> cas;
        try (InputStream in = Files.newInputStream(tls.caFile())) {
            cas = CertificateFactory.getInstance("X.509").generateCertificates(in);
        }
        if (cas.isEmpty()) {
            throw new IOException("no certificate in " + tls.caFile());
        }
        int i = 0;
        for (Certificate ca : cas) {
            store.setCertificateEntry("ca-" + i++, ca);
        }
        return store;
    }

    /** The CRLs of one file: PEM (one or several) or DER. */
    private static Collection<? extends CRL> crls(Path file) throws IOException, GeneralSecurityException {
        try (InputStream in = Files.newInputStream(file)) {
            Collection<? extends CRL> crls = CertificateFactory.getInstance("X.509").generateCRLs(in);
            if (crls.isEmpty()) {
                throw new IOException("no CRL in " + file);
            }
            return crls;
        } catch (java.security.cert.CRLException e) {
            throw new IOException(file + " is not a CRL (PEM or DER): " + e.getMessage(), e);
        }
    }

    /** Delegates, logging the subject of a certificate refused as revoked or of unknown status. */
    private static final class Logging extends X509ExtendedTrustManager {
        private final X509ExtendedTrustManager delegate;
        /** Where revocations are read, for the log lines. */
        private final String source;

        Logging(X509ExtendedTrustManager delegate, String source) {
            this.delegate = delegate;
            this.source = source;
        }

        private CertificateException logged(X509Certificate[] chain, String role, CertificateException e) {
            Throwable cause = e;
            while (cause != null && !(cause instanceof CertPathValidatorException)) {
                cause = cause.getCause();
            }
            if (cause instanceof CertPathValidatorException v && chain != null && chain.length > 0) {
                boolean revoked = v.getReason() == CertPathValidatorException.BasicReason.REVOKED;
                boolean unknown = v.getReason() == CertPathValidatorException.BasicReason.UNDETERMINED_REVOCATION_STATUS;
                if (revoked || unknown) {
                    String state = revoked ? "revoked" : "its revocation status is unknown"
                            + " (no current CRL of its issuer, or no answer)";
                    X509Certificate failed = failedCertificate(v);
                    if (failed != null && !failed.equals(chain[0])) {
                        // the end certificate is refused for the CA above it: say which one
                        state = "its issuing CA " + failed.getSubjectX500Principal() + " (serial "
                                + failed.getSerialNumber().toString(16) + "): " + state;
                    }
                    LOG.warn("refused the {} certificate {} (serial {}, issuer {}): {} by {}: {}", role,
                            chain[0].getSubjectX500Principal(), chain[0].getSerialNumber().toString(16),
                            chain[0].getIssuerX500Principal(), state, source, v.getMessage());
                }
            }
            return e;
        }

        /** The certificate of the path that failed the check, or null when the exception does not say. */
        private static X509Certificate failedCertificate(CertPathValidatorException v) {
            if (v.getCertPath() == null || v.getIndex() < 0 || v.getIndex() >= v.getCertPath().getCertificates().size()) {
                return null;
            }
            return v.getCertPath().getCertificates().get(v.getIndex()) instanceof X509Certificate x ? x : null;
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            try {
                delegate.checkClientTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                throw logged(chain, "client", e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket)
                throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, socket);
            } catch (CertificateException e) {
                throw logged(chain, "server", e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            try {
                delegate.checkClientTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                throw logged(chain, "client", e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine)
                throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType, engine);
            } catch (CertificateException e) {
                throw logged(chain, "server", e);
            }
        }

        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                delegate.checkClientTrusted(chain, authType);
            } catch (CertificateException e) {
                throw logged(chain, "client", e);
            }
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            try {
                delegate.checkServerTrusted(chain, authType);
            } catch (CertificateException e) {
                throw logged(chain, "server", e);
            }
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return delegate.getAcceptedIssuers();
        }
    }
}
