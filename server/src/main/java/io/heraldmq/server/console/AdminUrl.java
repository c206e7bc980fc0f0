package io.heraldmq.server.console;

import io.heraldmq.server.net.TlsSettings;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

/**
 * The URL of the console's administrative connections: this broker's own client port, as the CLI would use it. The
 * plain port when it is open; else ({@code plain.enabled = false}) the TLS port, trusting exactly this broker's own
 * certificate (its {@code tls.certFile}, or the key store of {@code tls.keyStorePath}, whose key entry's certificate
 * a trust manager takes as trusted) with host verification off: the console talks to itself over the loopback
 * address, which the certificate need not name, and any other certificate is refused. The files are read again for
 * each connection, so a reloaded certificate is trusted as soon as the broker uses it.
 * <p>
 * With {@code tls.clientAuth = need} the connections present the broker's own key material as their client
 * certificate: the broker takes its own certificate as no user's ({@code ClientConnection#presentsOwnCertificate}),
 * so they still log in with the console user's password. For that the broker's trust anchors ({@code tls.caFile} or
 * {@code tls.trustStorePath}) must trust its own certificate (issued by the clients' CA, or itself listed). With
 * {@code want} they present none: a password login needs none, and an untrusted certificate would fail the handshake.
 */
public final class AdminUrl {
    private AdminUrl() {
    }

    /**
     * @param host    the address the client listener binds; a wildcard becomes 127.0.0.1
     * @param port    the plain client port, or -1 when it is closed
     * @param tlsPort the TLS client port, or -1
     */
    public static String of(String host, int port, int tlsPort, TlsSettings tls) {
        String h = host.equals("0.0.0.0") || host.equals("::") ? "127.0.0.1" : host;
        if (port >= 0) {
            return "tcp://" + h + ":" + port;
        }
        StringBuilder url = new StringBuilder("ssl://").append(h).append(':').append(tlsPort)
                .append("?verifyHost=false");
        if (tls.certFile() != null) {
            option(url, "trustStorePath", tls.certFile()).append("&trustStoreType=PEM");
        } else if (tls.keyStorePath() != null) {
            option(url, "trustStorePath", tls.keyStorePath()).append("&trustStoreType=PKCS12");
            if (tls.keyStorePassword() != null) {
                url.append("&trustStorePassword=").append(encode(tls.keyStorePassword()));
            }
        }
        if (tls.clientAuth() == TlsSettings.ClientAuthMode.NEED) {
            if (tls.certFile() != null) {
                option(url, "keyStorePath", tls.certFile()).append("&keyStoreType=PEM");
                option(url, "keyPath", tls.keyFile());
            } else if (tls.keyStorePath() != null) {
                option(url, "keyStorePath", tls.keyStorePath()).append("&keyStoreType=PKCS12");
                if (tls.keyStorePassword() != null) {
                    url.append("&keyStorePassword=").append(encode(tls.keyStorePassword()));
                }
            }
        }
        return url.toString();
    }

    /** The URL without its options (which may hold a key store password), for log lines. */
    static String withoutOptions(String url) {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    private static StringBuilder option(StringBuilder url, String key, Path value) {
        return url.append('&').append(key).append('=').append(encode(value.toAbsolutePath().toString()));
    }

    private static String encode(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
