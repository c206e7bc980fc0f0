package io.heraldmq.server.net;

import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code tls.*} and {@code plain.enabled} keys of {@link io.heraldmq.server.BrokerConfig}: the TLS client port.
 * Immutable; passwords are not shown by {@link #toString}.
 * <p>
 * Key material is either a PKCS12 key store ({@code tls.keyStorePath}, {@code tls.keyStorePassword}) or PEM files
 * ({@code tls.certFile}: the certificate chain, {@code tls.keyFile}: its private key, PKCS8 or PKCS1). Clients are
 * verified ({@code tls.clientAuth} {@code want} or {@code need}) against a PKCS12 trust store or a PEM CA file. An
 * empty value is the same as no value.
 *
 * @param port             the TLS client port; 0 = any free port; -1 (no {@code tls.port}) = no TLS port
 * @param clientAuth       whether a client certificate is asked for ({@code want}) or required ({@code need})
 * @param protocols        enabled protocols, a subset of TLSv1.3 and TLSv1.2 (nothing older is accepted)
 * @param ciphers          enabled cipher suites; by default {@link #DEFAULT_CIPHERS}
 * @param plainEnabled     {@code plain.enabled}: the plain-text port ({@code port}) is opened too
 * @param reloadIntervalMs {@code tls.reload.interval.ms}: how often the key and trust files' modification times are
 *                         compared; a change loads them again for the next handshakes, without a restart
 * @param crlFiles         {@code tls.crlFile}: certificate revocation lists (PEM or DER files, comma-separated, each
 *                         with one or several CRLs) that peers' certificates are checked against
 *                         ({@link RevocationTrust}); empty = no revocation checking. Reloaded like the key material.
 * @param ocspResponder    {@code tls.ocspResponder}: an OCSP responder (http URL) asked about each peer certificate
 *                         at the handshake, whatever responder the certificate names; null = no OCSP
 */
public record TlsSettings(int port, Path keyStorePath, String keyStorePassword, Path certFile, Path keyFile,
                          ClientAuthMode clientAuth, Path trustStorePath, String trustStorePassword, Path caFile,
                          List<String> protocols, List<String> ciphers, boolean plainEnabled,
                          long reloadIntervalMs, List<Path> crlFiles, java.net.URI ocspResponder) {
    /** {@code tls.clientAuth}. */
    public enum ClientAuthMode { NONE, WANT, NEED }

    public static final String PORT_KEY = "tls.port";
    public static final String KEY_STORE_PATH_KEY = "tls.keyStorePath";
    public static final String KEY_STORE_PASSWORD_KEY = "tls.keyStorePassword";
    public static final String CERT_FILE_KEY = "tls.certFile";
    public static final String KEY_FILE_KEY = "tls.keyFile";
    public static final String CLIENT_AUTH_KEY = "tls.clientAuth";
    public static final String TRUST_STORE_PATH_KEY = "tls.trustStorePath";
    public static final String TRUST_STORE_PASSWORD_KEY = "tls.trustStorePassword";
    public static final String CA_FILE_KEY = "tls.caFile";
    public static final String PROTOCOLS_KEY = "tls.protocols";
    public static final String CIPHERS_KEY = "tls.ciphers";
    public static final String RELOAD_INTERVAL_KEY = "tls.reload.interval.ms";
    public static final String PLAIN_ENABLED_KEY = "plain.enabled";
    public static final String CRL_FILE_KEY = "tls.crlFile";
    public static final String OCSP_RESPONDER_KEY = "tls.ocspResponder";
    public static final Set<String> KEYS = Set.of(PORT_KEY, KEY_STORE_PATH_KEY, KEY_STORE_PASSWORD_KEY, CERT_FILE_KEY,
            KEY_FILE_KEY, CLIENT_AUTH_KEY, TRUST_STORE_PATH_KEY, TRUST_STORE_PASSWORD_KEY, CA_FILE_KEY, PROTOCOLS_KEY,
            CIPHERS_KEY, RELOAD_INTERVAL_KEY, PLAIN_ENABLED_KEY, CRL_FILE_KEY, OCSP_RESPONDER_KEY);
    /** The only protocols accepted: TLS 1.0 and 1.1 are broken (RFC 8996), SSL long before them. */
    public static final List<String> ALLOWED_PROTOCOLS = List.of("TLSv1.3", "TLSv1.2");
    /**
     * Forward-secret AEAD suites only: TLS 1.3's, and TLS 1.2's ECDHE with AES-GCM or ChaCha20-Poly1305. The JDK's
     * defaults also offer CBC suites, which testssl.sh reports as obsolete (LUCKY13).
     */
    public static final List<String> DEFAULT_CIPHERS = List.of("TLS_AES_256_GCM_SHA384", "TLS_AES_128_GCM_SHA256",
            "TLS_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");
    public static final TlsSettings DEFAULTS = new TlsSettings(-1, null, null, null, null, ClientAuthMode.NONE, null,
            null, null, ALLOWED_PROTOCOLS, DEFAULT_CIPHERS, true, 5000, List.of(), null);

    public TlsSettings {
        protocols = List.copyOf(protocols);
        ciphers = List.copyOf(ciphers);
        crlFiles = crlFiles == null ? List.of() : List.copyOf(crlFiles);
        boolean revocation = !crlFiles.isEmpty() || ocspResponder != null; // the fields are not set yet
        if (revocation && trustStorePath == null && caFile == null) {
            throw new IllegalArgumentException(CRL_FILE_KEY + " and " + OCSP_RESPONDER_KEY + " need the CA whose"
                    + " revocations they tell: " + TRUST_STORE_PATH_KEY + " or " + CA_FILE_KEY);
        }
        if (ocspResponder != null && !"http".equals(ocspResponder.getScheme())) {
            throw new IllegalArgumentException(OCSP_RESPONDER_KEY + " must be an http:// URL (OCSP answers are"
                    + " signed), was '" + ocspResponder + "'");
        }
        if (port < -1 || port > 65535) {
            throw new IllegalArgumentException(PORT_KEY + " must be 0-65535, was " + port);
        }
        if (reloadIntervalMs < 1) {
            throw new IllegalArgumentException(RELOAD_INTERVAL_KEY + " must be positive, was " + reloadIntervalMs);
        }
        if (protocols.isEmpty()) {
            throw new IllegalArgumentException(PROTOCOLS_KEY + " must name at least one of " + ALLOWED_PROTOCOLS);
        }
        for (String p : protocols) {
            if (!ALLOWED_PROTOCOLS.contains(p)) {
                throw new IllegalArgumentException(PROTOCOLS_KEY + ": '" + p + "' is not accepted; only "
                        + ALLOWED_PROTOCOLS + " (older protocols are insecure)");
            }
        }
        if (port >= 0) {
            boolean store = keyStorePath != null;
            boolean pem = certFile != null || keyFile != null;
            if (store == pem || pem && (certFile == null || keyFile == null)) {
                throw new IllegalArgumentException(PORT_KEY + " needs the broker's key: either " + KEY_STORE_PATH_KEY
                        + " (PKCS12, with " + KEY_STORE_PASSWORD_KEY + ") or both " + CERT_FILE_KEY + " and "
                        + KEY_FILE_KEY + " (PEM), not both kinds");
            }
            if (trustStorePath != null && caFile != null) {
                throw new IllegalArgumentException("give " + TRUST_STORE_PATH_KEY + " or " + CA_FILE_KEY
                        + ", not both");
            }
            if (revocation && clientAuth == ClientAuthMode.NONE) {
                throw new IllegalArgumentException(CRL_FILE_KEY + " and " + OCSP_RESPONDER_KEY + " check client"
                        + " certificates: they need " + CLIENT_AUTH_KEY + " = want or need");
            }
            if (clientAuth != ClientAuthMode.NONE && trustStorePath == null && caFile == null) {
                throw new IllegalArgumentException(CLIENT_AUTH_KEY + " = " + clientAuth.name().toLowerCase(Locale.ROOT)
                        + " needs the certificates clients' certificates are checked against: " + TRUST_STORE_PATH_KEY
                        + " or " + CA_FILE_KEY);
            }
        } else if (!plainEnabled) {
            throw new IllegalArgumentException(PLAIN_ENABLED_KEY + " = false needs a TLS port (" + PORT_KEY
                    + "): the broker would have no client port at all");
        }
    }

    /** Whether peers' certificates are checked for revocation (CRLs, OCSP or both). */
    public boolean revocationChecked() {
        return !crlFiles.isEmpty() || ocspResponder != null;
    }

    /** Whether the TLS port is to be opened. */
    public boolean enabled() {
        return port >= 0;
    }

    /** The files whose changes are reloaded: key material and trust anchors. */
    public List<Path> watchedFiles() {
        return java.util.stream.Stream.concat(java.util.stream.Stream.of(keyStorePath, certFile, keyFile,
                trustStorePath, caFile).filter(java.util.Objects::nonNull), crlFiles.stream()).toList();
    }

    /** These settings with the keys of {@code s} this class reads replaced. */
    public TlsSettings with(Map<?, ?> s) {
        return new TlsSettings(
                s.containsKey(PORT_KEY) ? (int) number(s, PORT_KEY, -1) : port,
                path(s, KEY_STORE_PATH_KEY, keyStorePath), text(s, KEY_STORE_PASSWORD_KEY, keyStorePassword),
                path(s, CERT_FILE_KEY, certFile), path(s, KEY_FILE_KEY, keyFile),
                s.containsKey(CLIENT_AUTH_KEY) ? clientAuth(s.get(CLIENT_AUTH_KEY).toString()) : clientAuth,
                path(s, TRUST_STORE_PATH_KEY, trustStorePath), text(s, TRUST_STORE_PASSWORD_KEY, trustStorePassword),
                path(s, CA_FILE_KEY, caFile),
                s.containsKey(PROTOCOLS_KEY) ? list(s.get(PROTOCOLS_KEY), ALLOWED_PROTOCOLS) : protocols,
                s.containsKey(CIPHERS_KEY) ? list(s.get(CIPHERS_KEY), DEFAULT_CIPHERS) : ciphers,
                s.containsKey(PLAIN_ENABLED_KEY) ? bool(s.get(PLAIN_ENABLED_KEY).toString()) : plainEnabled,
                s.containsKey(RELOAD_INTERVAL_KEY) ? number(s, RELOAD_INTERVAL_KEY, 5000) : reloadIntervalMs,
                s.containsKey(CRL_FILE_KEY) ? list(s.get(CRL_FILE_KEY), List.of()).stream().map(Path::of).toList()
                        : crlFiles,
                s.containsKey(OCSP_RESPONDER_KEY) ? uri(text(s, OCSP_RESPONDER_KEY, null)) : ocspResponder);
    }

    private static long number(Map<?, ?> s, String key, long empty) {
        String v = s.get(key).toString().trim();
        if (v.isEmpty()) {
            return empty;
        }
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + v + "'");
        }
    }

    private static Path path(Map<?, ?> s, String key, Path dflt) {
        String v = text(s, key, dflt == null ? null : dflt.toString());
        return v == null ? null : Path.of(v);
    }

    /** The trimmed value; an empty one is null (no value). */
    private static String text(Map<?, ?> s, String key, String dflt) {
        Object v = s.get(key);
        if (v == null) {
            return dflt;
        }
        String t = v.toString().trim();
        return t.isEmpty() ? null : t;
    }

    private static java.net.URI uri(String v) {
        if (v == null) {
            return null;
        }
        try {
            return new java.net.URI(v);
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException(OCSP_RESPONDER_KEY + " is not a URL: '" + v + "'");
        }
    }

    private static List<String> list(Object v, List<String> empty) {
        List<String> out = java.util.Arrays.stream(v.toString().split(",")).map(String::trim)
                .filter(x -> !x.isEmpty()).toList();
        return out.isEmpty() ? empty : out;
    }

    private static ClientAuthMode clientAuth(String v) {
        String t = v.trim();
        if (t.isEmpty()) {
            return ClientAuthMode.NONE;
        }
        try {
            return ClientAuthMode.valueOf(t.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(CLIENT_AUTH_KEY + " must be none, want or need, was '" + v + "'");
        }
    }

    private static boolean bool(String v) {
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(PLAIN_ENABLED_KEY + " must be true or false, was '" + v
                    + "'");
        };
    }

    @Override
    public String toString() {
        return "TlsSettings[port=" + port + ", keyStorePath=" + keyStorePath + ", keyStorePassword="
                + (keyStorePassword == null ? null : "***") + ", certFile=" + certFile + ", keyFile=" + keyFile
                + ", clientAuth=" + clientAuth + ", trustStorePath=" + trustStorePath + ", trustStorePassword="
                + (trustStorePassword == null ? null : "***") + ", caFile=" + caFile + ", protocols=" + protocols
                + ", ciphers=" + ciphers + ", plainEnabled=" + plainEnabled + ", reloadIntervalMs="
                + reloadIntervalMs + ", crlFiles=" + crlFiles + ", ocspResponder="
                + ocspResponder + "]";
    }
}
