package io.heraldmq.client;

import io.vertx.core.net.JksOptions;
import io.vertx.core.net.KeyCertOptions;
import io.vertx.core.net.NetClientOptions;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.PfxOptions;
import io.vertx.core.net.TrustOptions;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The TLS part of a broker URL, with Artemis's option names: {@code ssl://host:port} or {@code ?ssl=true} (also
 * Artemis's {@code sslEnabled=true}) turns TLS on, then
 * <ul>
 *   <li>{@code trustStorePath}, {@code trustStorePassword}, {@code trustStoreType}: the certificates the broker's is
 *       checked against (default: the JDK's trusted CAs);</li>
 *   <li>{@code keyStorePath}, {@code keyStorePassword}, {@code keyStoreType}: this client's own certificate and key,
 *       for brokers that want or need one (mutual TLS); {@code keyPath}: for a PEM key store, the private key's file
 *       when {@code keyStorePath} holds the certificate chain alone (as a broker's {@code tls.certFile} and
 *       {@code tls.keyFile});</li>
 *   <li>{@code verifyHost} (default true, as Artemis's clients since 2.18): the broker's certificate must name the
 *       host of the URL; {@code trustAll} (default false): trust any broker certificate, for tests only;</li>
 *   <li>{@code enabledProtocols} (default TLSv1.3,TLSv1.2), {@code enabledCipherSuites} (default: the JDK's).</li>
 * </ul>
 * A store's type is PKCS12 unless its option says {@code JKS} or {@code PEM}, or the file ends in {@code .jks},
 * {@code .pem} or {@code .crt}. A PEM key store is one file holding the certificate chain and the private key.
 */
final class ClientTls {
    private ClientTls() {
    }

    /** Whether the URL asks for TLS. */
    static boolean enabled(Map<String, String> o) {
        return bool(o, "ssl", false) || bool(o, "sslEnabled", false);
    }

    /** Options for the client's sockets: TLS set up as the URL says, or left plain. */
    static NetClientOptions options(BrokerUri uri, int connectTimeoutMs) {
        NetClientOptions options = new NetClientOptions().setTcpNoDelay(true).setConnectTimeout(connectTimeoutMs);
        Map<String, String> o = uri.options();
        if (!enabled(o)) {
            return options;
        }
        options.setSsl(true);
        if (bool(o, "verifyHost", true)) {
            // the certificate must name the host connected to (SAN, else CN), as HTTPS checks it
            options.setHostnameVerificationAlgorithm("HTTPS");
        } else {
            options.setHostnameVerificationAlgorithm("");
        }
        options.setTrustAll(bool(o, "trustAll", false));
        String trustPath = o.get("trustStorePath");
        if (trustPath != null) {
            options.setTrustOptions(trust(trustPath, o.get("trustStorePassword"), o.get("trustStoreType")));
        }
        String keyPath = o.get("keyStorePath");
        if (keyPath != null) {
            options.setKeyCertOptions(key(keyPath, o.get("keyStorePassword"), o.get("keyStoreType"), o.get("keyPath")));
        }
        Set<String> protocols = list(o.get("enabledProtocols"));
        options.setEnabledSecureTransportProtocols(protocols.isEmpty()
                ? new LinkedHashSet<>(java.util.List.of("TLSv1.3", "TLSv1.2")) : protocols);
        for (String cipher : list(o.get("enabledCipherSuites"))) {
            options.addEnabledCipherSuite(cipher);
        }
        return options;
    }

    private static TrustOptions trust(String path, String password, String type) {
        return switch (type(path, type)) {
            case "PEM" -> new PemTrustOptions().addCertPath(path);
            case "JKS" -> new JksOptions().setPath(path).setPassword(password);
            default -> new PfxOptions().setPath(path).setPassword(password);
        };
    }

    private static KeyCertOptions key(String path, String password, String type, String pemKeyPath) {
        return switch (type(path, type)) {
            case "PEM" -> new PemKeyCertOptions().addCertPath(path).addKeyPath(pemKeyPath != null ? pemKeyPath : path);
            case "JKS" -> new JksOptions().setPath(path).setPassword(password);
            default -> new PfxOptions().setPath(path).setPassword(password);
        };
    }

    private static String type(String path, String type) {
        if (type != null && !type.isBlank()) {
            String t = type.trim().toUpperCase(Locale.ROOT);
            if (!Set.of("PKCS12", "JKS", "PEM").contains(t)) {
                throw new IllegalArgumentException("store type must be PKCS12, JKS or PEM, was '" + type + "'");
            }
            return t;
        }
        String p = path.toLowerCase(Locale.ROOT);
        return p.endsWith(".jks") ? "JKS" : p.endsWith(".pem") || p.endsWith(".crt") ? "PEM" : "PKCS12";
    }

    private static Set<String> list(String v) {
        Set<String> out = new LinkedHashSet<>();
        if (v != null) {
            Arrays.stream(v.split(",")).map(String::trim).filter(s -> !s.isEmpty()).forEach(out::add);
        }
        return out;
    }

    private static boolean bool(Map<String, String> o, String key, boolean dflt) {
        String v = o.get(key);
        if (v == null) {
            return dflt;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true", "" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, was '" + v + "'");
        };
    }
}
