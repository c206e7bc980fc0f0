package io.heraldmq.server.cluster;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The clustering part of {@link io.heraldmq.server.BrokerConfig}: present only when {@code cluster.members} is set,
 * which is what turns clustering on. Without it the broker never loads Hazelcast.
 *
 * @param members           {@code cluster.members}: {@code host:port} of Hazelcast members to join (this broker may
 *                          be among them); at least one
 * @param host              {@code cluster.host}: the address Hazelcast binds and advertises to the other members;
 *                          defaults to the broker's {@code host}, and must be one the others can reach (not a
 *                          wildcard address)
 * @param port              {@code cluster.port}: this broker's Hazelcast member port (never auto-incremented, so the
 *                          member list stays true)
 * @param name              {@code cluster.name}: brokers with another name do not join this cluster
 * @param replicationFactor {@code replication.factor}: replicas of each partition; 0 = min(3, live brokers)
 * @param replicationPort   {@code replication.port}: the broker-to-broker data port advertised to the others;
 *                          0 = any free port
 * @param brokerId          {@code broker.id}: this broker's identity as a replica, or null to use the one generated
 *                          once and kept in {@code <data.dir>/broker-id} ({@link BrokerIdentity})
 * @param secret            {@code cluster.secret}: shared by the brokers of the cluster; a broker relaying a client
 *                          to a leader presents it with the client's user name, and the leader then treats the relay
 *                          as that user; and the Hazelcast cluster name is derived from it
 *                          ({@link #hazelcastClusterName}), so that a member without it cannot join. Null = none
 *                          (allowed only while no users are configured and without cluster TLS). Never printed
 * @param tls               {@code cluster.tls.*}: mutual TLS on the replication link
 */
public record ClusterSettings(List<String> members, String host, int port, String name, int replicationFactor,
                              int replicationPort, String brokerId, String secret, ClusterTlsSettings tls) {
    public static final int DEFAULT_PORT = 7450;
    public static final String DEFAULT_NAME = "heraldmq";
    public static final String MEMBERS_KEY = "cluster.members";
    public static final String HOST_KEY = "cluster.host";
    public static final String PORT_KEY = "cluster.port";
    public static final String NAME_KEY = "cluster.name";
    public static final String FACTOR_KEY = "replication.factor";
    public static final String REPLICATION_PORT_KEY = "replication.port";
    public static final String BROKER_ID_KEY = "broker.id";
    public static final String SECRET_KEY = "cluster.secret";
    /** A secret shorter than this is refused: it is all that stands between a client and any user's identity. */
    static final int MIN_SECRET_LENGTH = 16;
    /** Every configuration key of clustering; all but {@link #MEMBERS_KEY} need {@link #MEMBERS_KEY}. */
    public static final Set<String> KEYS = java.util.stream.Stream.concat(Set.of(MEMBERS_KEY, HOST_KEY, PORT_KEY,
            NAME_KEY, FACTOR_KEY, REPLICATION_PORT_KEY, BROKER_ID_KEY, SECRET_KEY).stream(),
            ClusterTlsSettings.KEYS.stream()).collect(java.util.stream.Collectors.toUnmodifiableSet());
    /**
     * What a broker id may contain: it is a field of the strings the cluster maps store (separated by {@code |},
     * {@code ,} and {@code =}), a file's content and a column of {@code cluster status}.
     */
    static final Pattern ID = Pattern.compile("[A-Za-z0-9._-]{1,64}");

    public ClusterSettings {
        if (members == null || members.isEmpty()) {
            throw new IllegalArgumentException(MEMBERS_KEY + " must list at least one host:port");
        }
        members = List.copyOf(members);
        for (String m : members) {
            checkHostPort(m);
        }
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException(HOST_KEY + " must not be empty");
        }
        if (host.equals("0.0.0.0") || host.equals("::") || host.equals("[::]")) {
            throw new IllegalArgumentException(HOST_KEY + " must be an address the other members can reach, not the"
                    + " wildcard " + host + " (set " + HOST_KEY + " when host is a wildcard)");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException(PORT_KEY + " must be 1-65535, was " + port);
        }
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(NAME_KEY + " must not be empty");
        }
        if (replicationFactor < 0) {
            throw new IllegalArgumentException(FACTOR_KEY + " must be 0 (min(3, live brokers)) or more, was "
                    + replicationFactor);
        }
        if (replicationPort < 0 || replicationPort > 65535) {
            throw new IllegalArgumentException(REPLICATION_PORT_KEY + " must be 0-65535, was " + replicationPort);
        }
        if (brokerId != null && !ID.matcher(brokerId).matches()) {
            throw new IllegalArgumentException(BROKER_ID_KEY + " must be 1-64 letters, digits, '.', '_' or '-', was '"
                    + brokerId + "'");
        }
        if (secret != null && secret.length() < MIN_SECRET_LENGTH) {
            throw new IllegalArgumentException(SECRET_KEY + " must be at least " + MIN_SECRET_LENGTH
                    + " characters (a long random string, the same on every broker)");
        }
        if (tls == null) {
            tls = ClusterTlsSettings.DEFAULTS;
        }
        if (tls.enabled() && secret == null) {
            throw new IllegalArgumentException(ClusterTlsSettings.ENABLED_KEY + " = true needs " + SECRET_KEY
                    + ": Hazelcast's member link has no TLS in its open-source edition, and the secret is what"
                    + " admits a broker to the membership and the partition table");
        }
    }

    /**
     * The name under which the Hazelcast members find each other. Hazelcast's open-source edition authenticates no
     * member (TLS and member authentication are Enterprise features); what it does check at every join and
     * split-brain merge is that the cluster names are equal. With a secret the name is therefore
     * {@code <cluster.name>-<first 128 bits of HMAC-SHA256(secret, purpose, cluster.name, TLS on or off), hex>}: a
     * broker without the secret cannot name the cluster, and the secret itself never travels. A broker with cluster
     * TLS off does not join brokers with it on either (their replication links could not talk). Hazelcast sends the
     * name in clear in its join messages, so it keeps out brokers without the secret, not an eavesdropper on the
     * member network; that is why the data itself travels only on the replication link (see docs/architecture.md).
     */
    public String hazelcastClusterName() {
        if (secret == null) {
            return name;
        }
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(secret.getBytes(java.nio.charset.StandardCharsets.UTF_8),
                    "HmacSHA256"));
            byte[] digest = mac.doFinal(("heraldmq hazelcast member admission\n" + name + "\ntls="
                    + tls.enabled()).getBytes(java.nio.charset.StandardCharsets.UTF_8));
            return name + "-" + java.util.HexFormat.of().formatHex(digest, 0, 16);
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is part of every JDK", e);
        }
    }

    /** Not the record's default: the secret must not reach a log. */
    @Override
    public String toString() {
        return "ClusterSettings[members=" + members + ", host=" + host + ", port=" + port + ", name=" + name
                + ", replicationFactor=" + replicationFactor + ", replicationPort=" + replicationPort + ", brokerId="
                + brokerId + ", secret=" + (secret == null ? "none" : "***") + ", tls=" + tls + "]";
    }

    /**
     * The settings after applying the cluster keys in {@code settings} to {@code current} (null: not clustered
     * yet).
     *
     * @param oldBrokerHost the broker's {@code host} before, {@code newBrokerHost} after this change: a
     *                      {@code cluster.host} that was following {@code host} keeps following it
     * @return null when neither {@code current} nor {@code settings} has {@code cluster.members}
     * @throws IllegalArgumentException naming the key, for bad values and for cluster keys without
     *                                  {@code cluster.members}
     */
    public static ClusterSettings with(ClusterSettings current, Map<?, ?> settings, String oldBrokerHost,
                                       String newBrokerHost) {
        Object members = settings.get(MEMBERS_KEY);
        if (current == null && members == null) {
            for (String key : KEYS) {
                if (settings.containsKey(key)) {
                    throw new IllegalArgumentException(key + " needs " + MEMBERS_KEY
                            + " (the Hazelcast members to join), which turns clustering on");
                }
            }
            return null;
        }
        String host;
        if (settings.containsKey(HOST_KEY)) {
            host = settings.get(HOST_KEY).toString().trim();
        } else if (current == null || current.host.equals(oldBrokerHost)) {
            host = newBrokerHost;
        } else {
            host = current.host;
        }
        return new ClusterSettings(
                members == null ? current.members : memberList(members.toString()),
                host,
                (int) io.heraldmq.server.BrokerConfig.num(settings, PORT_KEY, current == null ? DEFAULT_PORT : current.port),
                settings.containsKey(NAME_KEY) ? settings.get(NAME_KEY).toString().trim()
                        : current == null ? DEFAULT_NAME : current.name,
                (int) io.heraldmq.server.BrokerConfig.num(settings, FACTOR_KEY, current == null ? 0 : current.replicationFactor),
                (int) io.heraldmq.server.BrokerConfig.num(settings, REPLICATION_PORT_KEY, current == null ? 0 : current.replicationPort),
                settings.containsKey(BROKER_ID_KEY) ? blankToNull(settings.get(BROKER_ID_KEY).toString())
                        : current == null ? null : current.brokerId,
                settings.containsKey(SECRET_KEY) ? blankToNull(settings.get(SECRET_KEY).toString())
                        : current == null ? null : current.secret,
                (current == null ? ClusterTlsSettings.DEFAULTS : current.tls).with(settings));
    }

    /** The replication factor with {@code live} brokers up: the configured one, at most {@code live}. */
    public int effectiveReplicationFactor(int live) {
        return Math.max(1, Math.min(replicationFactor == 0 ? 3 : replicationFactor, live));
    }

    private static List<String> memberList(String value) {
        List<String> out = new ArrayList<>();
        for (String m : value.split(",")) {
            if (!m.isBlank()) {
                out.add(m.trim());
            }
        }
        return out;
    }

    private static void checkHostPort(String member) {
        int colon = member.lastIndexOf(':');
        String host = colon < 0 ? "" : member.substring(0, colon);
        int port = -1;
        try {
            port = colon < 0 ? -1 : Integer.parseInt(member.substring(colon + 1));
        } catch (NumberFormatException e) {
            // reported below
        }
        if (host.isBlank() || port < 1 || port > 65535 || host.contains(",")) {
            throw new IllegalArgumentException(MEMBERS_KEY + ": '" + member + "' is not host:port (port 1-65535)");
        }
    }

    private static String blankToNull(String s) {
        return s.isBlank() ? null : s.trim();
    }
}
