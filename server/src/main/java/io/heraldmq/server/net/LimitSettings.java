package io.heraldmq.server.net;

import java.util.Map;
import java.util.Set;

/**
 * Limits on what one client may hold or try, the part of {@link io.heraldmq.server.BrokerConfig} that protects the
 * broker (and its other clients) from hostile or broken ones. For the {@code max.*} keys 0 means no limit.
 *
 * @param connectTimeoutMs          {@code connect.timeout.ms}: a socket that has not sent CONNECT by then is closed
 * @param maxConnections            {@code max.connections}: client sockets open at once (plain and TLS together)
 * @param maxConnectionsPerUser     {@code max.connections.per.user}: connections of one authenticated user
 *                                  (anonymous ones count as one user)
 * @param maxConnectionsPerAddress  {@code max.connections.per.address}: sockets from one IP address
 * @param maxConsumersPerConnection {@code max.consumers.per.connection}: consumers and queue browsers open at once
 * @param maxProducersPerConnection {@code max.producers.per.connection}: producers open at once (a JMSContext's
 *                                  JMSProducers count as one)
 * @param maxFrameBytesBeforeConnect {@code max.frame.bytes.before.connect}: the largest frame accepted until the
 *                                  connection is authenticated; a CONNECT is a few hundred bytes
 * @param heartbeatMissedMax        {@code heartbeat.missed.max}: a client that announced heartbeats in CONNECT and
 *                                  has sent nothing for this many of its intervals is closed
 * @param authBackoffMaxMs          {@code auth.backoff.max.ms}: the longest wait a CONNECT from an address with failed
 *                                  logins gets before its credentials are checked (each failure doubles it, from
 *                                  {@link #AUTH_BACKOFF_FIRST_MS}); 0 = no backoff
 */
public record LimitSettings(long connectTimeoutMs, int maxConnections, int maxConnectionsPerUser,
                            int maxConnectionsPerAddress, int maxConsumersPerConnection, int maxProducersPerConnection,
                            int maxFrameBytesBeforeConnect, int heartbeatMissedMax, long authBackoffMaxMs) {
    public static final String CONNECT_TIMEOUT_KEY = "connect.timeout.ms";
    public static final String MAX_CONNECTIONS_KEY = "max.connections";
    public static final String MAX_CONNECTIONS_PER_USER_KEY = "max.connections.per.user";
    public static final String MAX_CONNECTIONS_PER_ADDRESS_KEY = "max.connections.per.address";
    public static final String MAX_CONSUMERS_KEY = "max.consumers.per.connection";
    public static final String MAX_PRODUCERS_KEY = "max.producers.per.connection";
    public static final String MAX_FRAME_BEFORE_CONNECT_KEY = "max.frame.bytes.before.connect";
    public static final String HEARTBEAT_MISSED_KEY = "heartbeat.missed.max";
    public static final String AUTH_BACKOFF_MAX_KEY = "auth.backoff.max.ms";
    public static final Set<String> KEYS = Set.of(CONNECT_TIMEOUT_KEY, MAX_CONNECTIONS_KEY, MAX_CONNECTIONS_PER_USER_KEY,
            MAX_CONNECTIONS_PER_ADDRESS_KEY, MAX_CONSUMERS_KEY, MAX_PRODUCERS_KEY, MAX_FRAME_BEFORE_CONNECT_KEY, HEARTBEAT_MISSED_KEY,
            AUTH_BACKOFF_MAX_KEY);
    /** The wait after the first failed login from an address; each further failure doubles it. */
    public static final long AUTH_BACKOFF_FIRST_MS = 100;
    public static final LimitSettings DEFAULTS = new LimitSettings(10_000, 0, 0, 0, 0, 0, 64 * 1024, 3,
            5000);

    public LimitSettings {
        if (connectTimeoutMs < 1) {
            throw new IllegalArgumentException(CONNECT_TIMEOUT_KEY + " must be positive, was " + connectTimeoutMs);
        }
        if (maxConnections < 0 || maxConnectionsPerUser < 0 || maxConnectionsPerAddress < 0
                || maxConsumersPerConnection < 0 || maxProducersPerConnection < 0) {
            throw new IllegalArgumentException("max.connections, max.connections.per.user, "
                    + "max.connections.per.address, max.consumers.per.connection and max.producers.per.connection"
                    + " must be 0 (no limit) or more");
        }
        if (maxFrameBytesBeforeConnect < 1024) {
            throw new IllegalArgumentException(MAX_FRAME_BEFORE_CONNECT_KEY + " must be at least 1024, was "
                    + maxFrameBytesBeforeConnect);
        }
        if (heartbeatMissedMax < 2) {
            throw new IllegalArgumentException(HEARTBEAT_MISSED_KEY + " must be at least 2, was " + heartbeatMissedMax);
        }
        if (authBackoffMaxMs < 0) {
            throw new IllegalArgumentException(AUTH_BACKOFF_MAX_KEY + " must be 0 (none) or more, was "
                    + authBackoffMaxMs);
        }
    }

    /** These settings with the keys of {@code s} this class reads replaced. */
    public LimitSettings with(Map<?, ?> s) {
        return new LimitSettings(num(s, CONNECT_TIMEOUT_KEY, connectTimeoutMs),
                (int) num(s, MAX_CONNECTIONS_KEY, maxConnections),
                (int) num(s, MAX_CONNECTIONS_PER_USER_KEY, maxConnectionsPerUser),
                (int) num(s, MAX_CONNECTIONS_PER_ADDRESS_KEY, maxConnectionsPerAddress),
                (int) num(s, MAX_CONSUMERS_KEY, maxConsumersPerConnection),
                (int) num(s, MAX_PRODUCERS_KEY, maxProducersPerConnection),
                (int) num(s, MAX_FRAME_BEFORE_CONNECT_KEY, maxFrameBytesBeforeConnect),
                (int) num(s, HEARTBEAT_MISSED_KEY, heartbeatMissedMax),
                num(s, AUTH_BACKOFF_MAX_KEY, authBackoffMaxMs));
    }

    private static long num(Map<?, ?> s, String key, long dflt) {
        Object v = s.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            long n = Long.parseLong(v.toString().trim());
            if (n > Integer.MAX_VALUE && !key.endsWith(".ms")) {
                throw new IllegalArgumentException(key + " is too large: " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + v + "'");
        }
    }
}
