package io.heraldmq.server.metrics;

import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The monitoring part of {@link io.heraldmq.server.BrokerConfig}: the HTTP port ({@code /metrics},
 * {@code /health/live}, {@code /health/ready}, the web console), JMX and the bound on per-destination series. Immutable.
 *
 * @param httpHost          {@code http.host}: the address the monitoring port binds
 * @param httpPort          {@code http.port}: {@value #DEFAULT_HTTP_PORT} by default, 0 = any free port,
 *                          {@value #DISABLED} = no HTTP port; null = not configured, which means the default unless
 *                          the client port is 0 (a broker told to take any free client port, as tests and several
 *                          brokers on one machine do, takes any free monitoring port too)
 * @param jmxEnabled        {@code jmx.enabled}: the meters are also MBeans of the platform MBean server
 * @param destinations      {@code metrics.destinations}: per-destination, per-partition and per-subscription series
 *                          exist at all
 * @param destinationsMax   {@code metrics.destinations.max}: at most this many destinations have series; later ones
 *                          have none and are counted in {@code heraldmq_metrics_destinations_dropped}
 * @param consoleEnabled    {@code console.enabled}: the web console ({@code /console/}) on the monitoring port
 */
public record MonitoringSettings(String httpHost, Integer httpPort, boolean jmxEnabled, boolean destinations,
                                 int destinationsMax, boolean consoleEnabled) {
    public static final int DEFAULT_HTTP_PORT = 7441;
    public static final int DISABLED = -1;
    public static final String HTTP_HOST_KEY = "http.host";
    public static final String HTTP_PORT_KEY = "http.port";
    public static final String JMX_ENABLED_KEY = "jmx.enabled";
    public static final String DESTINATIONS_KEY = "metrics.destinations";
    public static final String DESTINATIONS_MAX_KEY = "metrics.destinations.max";
    public static final String CONSOLE_ENABLED_KEY = "console.enabled";
    public static final Set<String> KEYS = Set.of(HTTP_HOST_KEY, HTTP_PORT_KEY, JMX_ENABLED_KEY, DESTINATIONS_KEY,
            DESTINATIONS_MAX_KEY, CONSOLE_ENABLED_KEY);
    public static final MonitoringSettings DEFAULTS = new MonitoringSettings("127.0.0.1", null, true, true, 1000,
            true);

    public MonitoringSettings {
        if (httpHost == null || httpHost.isBlank()) {
            throw new IllegalArgumentException(HTTP_HOST_KEY + " must not be empty");
        }
        if (httpPort != null && (httpPort < DISABLED || httpPort > 65535)) {
            throw new IllegalArgumentException(HTTP_PORT_KEY + " must be -1 (no HTTP port), 0 (any free port) or a"
                    + " port number, was " + httpPort);
        }
        if (destinationsMax < 0) {
            throw new IllegalArgumentException(DESTINATIONS_MAX_KEY + " must not be negative, was "
                    + destinationsMax);
        }
    }

    /** The port to bind, given the client port: {@value #DISABLED} for none. */
    public int effectiveHttpPort(int clientPort) {
        if (httpPort != null) {
            return httpPort;
        }
        return clientPort == 0 ? 0 : DEFAULT_HTTP_PORT;
    }

    /** Whether anything reads the meters: without the HTTP port and JMX, none is kept (a no-op registry). */
    public boolean enabled(int clientPort) {
        return effectiveHttpPort(clientPort) != DISABLED || jmxEnabled;
    }

    /** These settings with the keys of {@code settings} this class owns replaced. */
    public MonitoringSettings with(Map<?, ?> settings) {
        Object host = settings.get(HTTP_HOST_KEY);
        Object port = settings.get(HTTP_PORT_KEY);
        return new MonitoringSettings(host == null ? httpHost : host.toString().trim(),
                port == null ? httpPort : Integer.valueOf((int) number(HTTP_PORT_KEY, port)),
                bool(settings, JMX_ENABLED_KEY, jmxEnabled), bool(settings, DESTINATIONS_KEY, destinations),
                settings.containsKey(DESTINATIONS_MAX_KEY)
                        ? (int) number(DESTINATIONS_MAX_KEY, settings.get(DESTINATIONS_MAX_KEY)) : destinationsMax,
                bool(settings, CONSOLE_ENABLED_KEY, consoleEnabled));
    }

    private static long number(String key, Object v) {
        try {
            return Integer.parseInt(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + v + "'");
        }
    }

    private static boolean bool(Map<?, ?> settings, String key, boolean dflt) {
        Object v = settings.get(key);
        if (v == null) {
            return dflt;
        }
        return switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, was '" + v + "'");
        };
    }
}
