package io.heraldmq.client;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A broker URL: {@code tcp://host:port[,host:port...][?name=value&...]}. Several addresses mean failover and cluster
 * bootstrap; the client tries them in order. Options are connection-factory settings (for example {@code clientID}).
 * A missing port means {@link #DEFAULT_PORT}. {@code ssl://...} is {@code tcp://...?ssl=true}: TLS to every address
 * ({@link ClientTls} lists the TLS options).
 */
public record BrokerUri(List<Address> addresses, Map<String, String> options) {
    public static final int DEFAULT_PORT = 7440;

    /** One host and port. */
    public record Address(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    public BrokerUri {
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("a broker URL needs at least one address");
        }
        addresses = List.copyOf(addresses);
        options = Collections.unmodifiableMap(new LinkedHashMap<>(options));
    }

    /**
     * @throws IllegalArgumentException with a message that names the problem
     */
    public static BrokerUri parse(String url) {
        if (url == null || url.isBlank()) {
            throw new IllegalArgumentException("empty broker URL");
        }
        String s = url.trim();
        boolean ssl = s.startsWith("ssl://");
        if (!s.startsWith("tcp://") && !ssl) {
            throw new IllegalArgumentException("broker URL must start with tcp:// or ssl://: " + url);
        }
        s = s.substring("tcp://".length());
        Map<String, String> options = new LinkedHashMap<>();
        if (ssl) {
            options.put("ssl", "true");
        }
        int q = s.indexOf('?');
        if (q >= 0) {
            for (String pair : s.substring(q + 1).split("&")) {
                if (pair.isEmpty()) {
                    continue;
                }
                int eq = pair.indexOf('=');
                String key = decode(eq < 0 ? pair : pair.substring(0, eq));
                String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                options.put(key, value);
            }
            s = s.substring(0, q);
        }
        if (s.endsWith("/")) {
            s = s.substring(0, s.length() - 1);
        }
        List<Address> addresses = new ArrayList<>();
        for (String part : s.split(",")) {
            String p = part.trim();
            if (p.startsWith("tcp://") || p.startsWith("ssl://")) {
                p = p.substring("tcp://".length());
            }
            if (p.isEmpty()) {
                throw new IllegalArgumentException("empty address in broker URL: " + url);
            }
            int colon = p.lastIndexOf(':');
            String host = colon < 0 ? p : p.substring(0, colon);
            int port = DEFAULT_PORT;
            if (colon >= 0) {
                try {
                    port = Integer.parseInt(p.substring(colon + 1));
                } catch (NumberFormatException e) {
                    throw new IllegalArgumentException("bad port in broker URL: " + url);
                }
                if (port < 1 || port > 65535) {
                    throw new IllegalArgumentException("port out of range in broker URL: " + url);
                }
            }
            if (host.isEmpty()) {
                throw new IllegalArgumentException("missing host in broker URL: " + url);
            }
            addresses.add(new Address(host, port));
        }
        return new BrokerUri(addresses, options);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder("tcp://");
        for (int i = 0; i < addresses.size(); i++) {
            b.append(i == 0 ? "" : ",").append(addresses.get(i));
        }
        String sep = "?";
        for (Map.Entry<String, String> e : options.entrySet()) {
            b.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = "&";
        }
        return b.toString();
    }
}
