package io.heraldmq.server.cluster;

import io.heraldmq.server.net.TlsSettings;

import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The {@code cluster.tls.*} keys: mutual TLS on the broker-to-broker replication link. Each broker presents its own
 * certificate and accepts only peers whose certificate chains to the cluster's trust anchors (never the JDK's
 * default CAs); with {@code cluster.tls.verifyHost} the peer's certificate must also name the address it advertises.
 * The key material keys are those of the client port ({@link TlsSettings}) with {@code cluster.} in front, read and
 * reloaded the same way; the material is separate, since the client port's certificate is usually issued by another
 * CA than the one the brokers trust each other by.
 *
 * @param enabled    {@code cluster.tls.enabled}: the replication port speaks TLS only and asks for a certificate
 * @param tls        key material, trust anchors, protocols, ciphers and reload interval, as for the client port;
 *                   client authentication {@code need} when enabled
 * @param verifyHost {@code cluster.tls.verifyHost}: a broker checks that the peer's certificate names the replication
 *                   address it connects to (as Kafka's inter-broker listeners do by default)
 */
public record ClusterTlsSettings(boolean enabled, TlsSettings tls, boolean verifyHost) {
    public static final String PREFIX = "cluster.";
    public static final String ENABLED_KEY = "cluster.tls.enabled";
    public static final String VERIFY_HOST_KEY = "cluster.tls.verifyHost";
    /** The client port's keys that the cluster's TLS has too, without {@link #PREFIX}. */
    private static final List<String> SHARED = List.of(TlsSettings.KEY_STORE_PATH_KEY,
            TlsSettings.KEY_STORE_PASSWORD_KEY, TlsSettings.CERT_FILE_KEY, TlsSettings.KEY_FILE_KEY,
            TlsSettings.TRUST_STORE_PATH_KEY, TlsSettings.TRUST_STORE_PASSWORD_KEY, TlsSettings.CA_FILE_KEY,
            TlsSettings.PROTOCOLS_KEY, TlsSettings.CIPHERS_KEY, TlsSettings.RELOAD_INTERVAL_KEY,
            TlsSettings.CRL_FILE_KEY, TlsSettings.OCSP_RESPONDER_KEY);
    public static final Set<String> KEYS = java.util.stream.Stream.concat(Set.of(ENABLED_KEY, VERIFY_HOST_KEY).stream(),
            SHARED.stream().map(k -> PREFIX + k)).collect(Collectors.toUnmodifiableSet());
    public static final ClusterTlsSettings DEFAULTS = new ClusterTlsSettings(false, TlsSettings.DEFAULTS, true);

    public ClusterTlsSettings {
        if (tls == null) {
            throw new IllegalArgumentException("tls settings missing");
        }
        if (enabled) {
            boolean store = tls.keyStorePath() != null;
            boolean pem = tls.certFile() != null || tls.keyFile() != null;
            if (store == pem || pem && (tls.certFile() == null || tls.keyFile() == null)) {
                throw new IllegalArgumentException(ENABLED_KEY + " = true needs this broker's key: either " + key(
                        TlsSettings.KEY_STORE_PATH_KEY) + " (PKCS12, with " + key(TlsSettings.KEY_STORE_PASSWORD_KEY)
                        + ") or both " + key(TlsSettings.CERT_FILE_KEY) + " and " + key(TlsSettings.KEY_FILE_KEY)
                        + " (PEM), not both kinds");
            }
            if ((tls.trustStorePath() == null) == (tls.caFile() == null)) {
                throw new IllegalArgumentException(ENABLED_KEY + " = true needs the cluster's CA, which every"
                        + " broker's certificate is checked against: " + key(TlsSettings.TRUST_STORE_PATH_KEY)
                        + " (PKCS12) or " + key(TlsSettings.CA_FILE_KEY) + " (PEM), one of them");
            }
        }
    }

    /**
     * These settings with the {@code cluster.tls.*} keys of {@code s} applied.
     *
     * @throws IllegalArgumentException naming the {@code cluster.tls.*} key
     */
    public ClusterTlsSettings with(Map<?, ?> s) {
        boolean on = s.containsKey(ENABLED_KEY) ? bool(ENABLED_KEY, s.get(ENABLED_KEY), false) : enabled;
        boolean verify = s.containsKey(VERIFY_HOST_KEY) ? bool(VERIFY_HOST_KEY, s.get(VERIFY_HOST_KEY), true)
                : verifyHost;
        Map<String, Object> own = new HashMap<>();
        for (String k : SHARED) {
            if (s.containsKey(PREFIX + k)) {
                own.put(k, s.get(PREFIX + k));
            }
        }
        // Parsed as a client port without a port (which checks no key material), then given the cluster's port
        // semantics: the checks of the key material are this class's, naming the cluster's keys.
        own.put(TlsSettings.PORT_KEY, "");
        own.put(TlsSettings.CLIENT_AUTH_KEY, "none");
        TlsSettings parsed;
        try {
            parsed = tls.with(own);
        } catch (IllegalArgumentException e) {
            // TlsSettings names its own keys; these are the same keys under cluster.
            throw new IllegalArgumentException(e.getMessage().replace("tls.", PREFIX + "tls."), e);
        }
        ClusterTlsSettings checked = new ClusterTlsSettings(on, parsed, verify);
        return !on ? checked : new ClusterTlsSettings(true, new TlsSettings(0, parsed.keyStorePath(),
                parsed.keyStorePassword(), parsed.certFile(), parsed.keyFile(), TlsSettings.ClientAuthMode.NEED,
                parsed.trustStorePath(), parsed.trustStorePassword(), parsed.caFile(), parsed.protocols(),
                parsed.ciphers(), true, parsed.reloadIntervalMs(), parsed.crlFiles(),
                parsed.ocspResponder()), verify);
    }

    private static String key(String clientPortKey) {
        return PREFIX + clientPortKey;
    }

    /** An empty value is the default. */
    private static boolean bool(String key, Object v, boolean empty) {
        return switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
            case "" -> empty;
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, was '" + v + "'");
        };
    }
}
