package io.heraldmq.server;

import io.heraldmq.server.cluster.ClusterSettings;
import io.heraldmq.server.log.FlushPolicy;
import io.heraldmq.server.metrics.MonitoringSettings;
import io.heraldmq.server.net.LimitSettings;
import io.heraldmq.server.net.TlsSettings;
import io.heraldmq.server.security.PasswordHash;
import io.heraldmq.server.security.SecuritySettings;

import java.io.IOException;
import java.io.Reader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * The broker's whole configuration, immutable and validated when built. Every field has a default, so a broker
 * starts with none: one node, data under {@code ./data}, listening on 127.0.0.1:{@value #DEFAULT_PORT}.
 * <p>
 * A config file is a Java properties file with the keys named in {@link #KEYS}; command-line options override it.
 * Per-destination keys come on top: {@code topic.<name>.partitions}, {@code topic.<name>.retention.ms},
 * {@code topic.<name>.retention.bytes} and the same with {@code queue.} (names may contain dots; a topic named
 * {@code default} cannot have its partition count set, as {@code topic.default.partitions} is the default for all).
 * They apply when the destination is created and are then stored with it; later, a changed retention limit applies
 * at the next start, a changed partition count does not (a warning says so). A destination's own retention limits
 * are 0 or more; for "no limit" on one destination, use a limit no log reaches.
 *
 * @param host             address the client listener binds
 * @param port             client port; 0 = any free port
 * @param dataDir          where logs and metadata live
 * @param maxMessageBytes  largest accepted record (encoded message); larger sends are refused
 * @param segmentBytes     a log segment rolls at this size
 * @param flushPolicy      when PERSISTENT sends are acknowledged relative to fsync
 * @param flushIntervalMs  with {@link FlushPolicy#INTERVAL}: how often to fsync
 * @param tailCacheBytes   per partition, recent batches kept in memory so live consumers never read the disk
 * @param defaultPartitions partitions of an auto-created topic (queues start with 1)
 * @param retentionCheckIntervalMs how often every partition applies its retention limits
 * @param retentionMs      default time limit of a destination's log: closed segments whose newest record is older
 *                         go; -1 = no limit
 * @param retentionBytes   default size limit of each partition's log: the oldest closed segments go while the log
 *                         stays at least this large without them; -1 = no limit
 * @param subscriptionRetentionMs default retention of a subscription: how long the messages it has not
 *                         acknowledged are kept for it (when the destination's limits alone would delete them);
 *                         stored with a durable subscription when it is created, then changed by administration
 * @param diskMinFreeBytes while the data directory's file system has less usable space than this, PRODUCE is
 *                         refused (RESOURCE_EXHAUSTED) so that consumers, acks and metadata still have room; 0 = never
 * @param destinations     per-destination settings, keyed {@code topic.<name>} or {@code queue.<name>}
 * @param users            user name to password hash ({@code user.<name> = pbkdf2-sha256:...} lines); empty means
 *                         every client is accepted, anonymous or not
 * @param allowAnonymous   with users configured, still accept clients that give no user name
 * @param redelivery       broker-wide redelivery and dead-letter defaults; a destination's row in the metadata
 *                         store's {@code dead_letter_settings} overrides them
 * @param cluster          the {@code cluster.*}, {@code replication.*} and {@code broker.id} keys; null (a single
 *                         node, Hazelcast never loaded) unless {@code cluster.members} is set
 * @param security         roles, permissions, JMSXUserID and audit ({@code user.<name>.roles},
 *                         {@code permission.*}, {@code security.*}, {@code audit.*}); with users configured and
 *                         clustering on, {@code cluster.secret} is required
 * @param monitoring       the monitoring port, JMX and the bound on per-destination series ({@code http.*},
 *                         {@code jmx.enabled}, {@code metrics.*})
 * @param tls              the TLS client port and whether the plain one opens ({@code tls.*}, {@code plain.enabled})
 * @param limits           limits on clients: connections, consumers, CONNECT timeout, frame size before
 *                         authentication, heartbeats, login backoff ({@link LimitSettings})
 */
public record BrokerConfig(String host, int port, Path dataDir, int maxMessageBytes, long segmentBytes,
                           FlushPolicy flushPolicy, long flushIntervalMs, long tailCacheBytes,
                           int defaultPartitions, long retentionCheckIntervalMs, long retentionMs,
                           long retentionBytes, long subscriptionRetentionMs, long diskMinFreeBytes,
                           Map<String, DestinationSettings> destinations, Map<String, PasswordHash> users,
                           boolean allowAnonymous, RedeliveryDefaults redelivery, ClusterSettings cluster,
                           SecuritySettings security, MonitoringSettings monitoring, TlsSettings tls,
                           LimitSettings limits) {
    public static final int DEFAULT_PORT = 7440;
    public static final int DEFAULT_MAX_MESSAGE_BYTES = 1 << 20;
    public static final long DEFAULT_RETENTION_MS = 7L * 24 * 3600 * 1000;
    public static final long DEFAULT_SUBSCRIPTION_RETENTION_MS = 7L * 24 * 3600 * 1000;
    /**
     * 100 MiB. Artemis refuses or blocks producers once the disk is 90% full ({@code max-disk-usage}); a
     * percentage means gigabytes of headroom on a large disk and almost none on a small one, so HeraldMQ keeps an
     * absolute reserve: enough for the metadata store, index files and a segment roll.
     */
    public static final long DEFAULT_DISK_MIN_FREE_BYTES = 100L << 20;

    /** Prefix of the keys that define users: {@code user.<name> = <password hash>}. */
    static final String USER_PREFIX = "user.";

    static final Set<String> KEYS = union(Set.of("host", "port", "data.dir", "max.message.bytes", "log.segment.bytes",
            "log.flush.policy", "log.flush.interval.ms", "log.tail.cache.bytes", "topic.default.partitions",
            "log.retention.check.interval.ms", "log.retention.ms", "log.retention.bytes", "subscription.retention.ms",
            "disk.min.free.bytes",
            "security.allow.anonymous", RedeliveryDefaults.DELAY_KEY, RedeliveryDefaults.MULTIPLIER_KEY,
            RedeliveryDefaults.MAX_DELAY_KEY, RedeliveryDefaults.MAX_ATTEMPTS_KEY, RedeliveryDefaults.PREFIX_KEY,
            ClusterSettings.MEMBERS_KEY, ClusterSettings.HOST_KEY, ClusterSettings.PORT_KEY, ClusterSettings.NAME_KEY,
            ClusterSettings.FACTOR_KEY, ClusterSettings.REPLICATION_PORT_KEY, ClusterSettings.BROKER_ID_KEY,
            ClusterSettings.SECRET_KEY, MonitoringSettings.HTTP_HOST_KEY, MonitoringSettings.HTTP_PORT_KEY,
            MonitoringSettings.JMX_ENABLED_KEY, MonitoringSettings.DESTINATIONS_KEY,
            MonitoringSettings.DESTINATIONS_MAX_KEY, MonitoringSettings.CONSOLE_ENABLED_KEY), TlsSettings.KEYS,
            LimitSettings.KEYS, io.heraldmq.server.cluster.ClusterTlsSettings.KEYS,
            io.heraldmq.server.logging.LoggingSettings.KEYS);
    /** Suffixes of per-destination keys, {@code topic.<name><suffix>} or {@code queue.<name><suffix>}. */
    static final List<String> DESTINATION_SUFFIXES = List.of(".partitions", ".retention.ms", ".retention.bytes");

    public BrokerConfig {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("host must not be empty");
        }
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port must be 0-65535, was " + port);
        }
        if (dataDir == null) {
            throw new IllegalArgumentException("data.dir must be set");
        }
        if (maxMessageBytes < 1024) {
            throw new IllegalArgumentException("max.message.bytes must be at least 1024, was " + maxMessageBytes);
        }
        if (segmentBytes < 4096) {
            throw new IllegalArgumentException("log.segment.bytes must be at least 4096, was " + segmentBytes);
        }
        if (flushPolicy == null) {
            throw new IllegalArgumentException("log.flush.policy must be always, interval or never");
        }
        if (flushIntervalMs < 1) {
            throw new IllegalArgumentException("log.flush.interval.ms must be positive, was " + flushIntervalMs);
        }
        if (tailCacheBytes < 0) {
            throw new IllegalArgumentException("log.tail.cache.bytes must not be negative");
        }
        if (defaultPartitions < 1) {
            throw new IllegalArgumentException("topic.default.partitions must be at least 1");
        }
        if (retentionCheckIntervalMs < 1) {
            throw new IllegalArgumentException("log.retention.check.interval.ms must be positive, was "
                    + retentionCheckIntervalMs);
        }
        if (retentionMs < -1) {
            throw new IllegalArgumentException("log.retention.ms must be -1 (no limit) or more, was " + retentionMs);
        }
        if (retentionBytes < -1) {
            throw new IllegalArgumentException("log.retention.bytes must be -1 (no limit) or more, was "
                    + retentionBytes);
        }
        if (subscriptionRetentionMs < 1) {
            throw new IllegalArgumentException("subscription.retention.ms must be positive, was "
                    + subscriptionRetentionMs);
        }
        if (diskMinFreeBytes < 0) {
            throw new IllegalArgumentException("disk.min.free.bytes must not be negative, was " + diskMinFreeBytes);
        }
        destinations = Map.copyOf(destinations);
        for (Map.Entry<String, DestinationSettings> e : destinations.entrySet()) {
            DestinationSettings d = e.getValue();
            if (d.partitions() < 0) {
                throw new IllegalArgumentException(e.getKey() + ".partitions must be at least 1, was "
                        + d.partitions());
            }
            if (d.retentionMs() < -1 || d.retentionBytes() < -1) {
                throw new IllegalArgumentException(e.getKey() + ".retention.ms and .retention.bytes must not be"
                        + " negative");
            }
        }
        if (users == null) {
            throw new IllegalArgumentException("users must not be null");
        }
        for (String user : users.keySet()) {
            if (user.isBlank()) {
                throw new IllegalArgumentException("a user name must not be empty");
            }
        }
        users = Map.copyOf(users);
        if (redelivery == null) {
            throw new IllegalArgumentException("redelivery defaults must not be null");
        }
        if (security == null) {
            throw new IllegalArgumentException("security settings must not be null");
        }
        if (monitoring == null) {
            throw new IllegalArgumentException("monitoring settings must not be null");
        }
        security.check(users.keySet());
        if (tls == null || limits == null) {
            throw new IllegalArgumentException("TLS settings and limits must not be null");
        }
        if (cluster != null && !tls.plainEnabled() && !cluster.tls().enabled()) {
            throw new IllegalArgumentException(TlsSettings.PLAIN_ENABLED_KEY + " = false on a clustered broker needs "
                    + io.heraldmq.server.cluster.ClusterTlsSettings.ENABLED_KEY + " = true: without it brokers relay"
                    + " clients' requests to each other over the plain client port");
        }
        if (cluster != null && (!users.isEmpty() || security.usersFile() != null) && cluster.secret() == null) {
            throw new IllegalArgumentException("a clustered broker with users needs " + ClusterSettings.SECRET_KEY
                    + ": brokers relay clients' requests to each other on the clients' behalf, and the secret is"
                    + " how a broker knows a relay (and the user it names) is genuine. Set the same long random "
                    + ClusterSettings.SECRET_KEY + " on every broker of the cluster");
        }
    }

    public static BrokerConfig defaults() {
        return new BrokerConfig("127.0.0.1", DEFAULT_PORT, Path.of("data"), DEFAULT_MAX_MESSAGE_BYTES, 64L << 20,
                FlushPolicy.ALWAYS, 1000, 2L << 20, 1, 300_000, DEFAULT_RETENTION_MS, -1,
                DEFAULT_SUBSCRIPTION_RETENTION_MS, DEFAULT_DISK_MIN_FREE_BYTES, Map.of(), Map.of(), false, RedeliveryDefaults.DEFAULTS, null,
                SecuritySettings.DEFAULTS, MonitoringSettings.DEFAULTS, TlsSettings.DEFAULTS,
                LimitSettings.DEFAULTS);
    }

    @SafeVarargs
    private static Set<String> union(Set<String>... sets) {
        Set<String> all = new java.util.HashSet<>();
        for (Set<String> s : sets) {
            all.addAll(s);
        }
        return Set.copyOf(all);
    }

    /** What the configuration says about one destination; {@link DestinationSettings#NONE} if nothing. */
    public DestinationSettings destination(boolean queue, String name) {
        return destinations.getOrDefault((queue ? "queue." : "topic.") + name, DestinationSettings.NONE);
    }

    /** The largest frame the broker accepts: a batch of one maximal message plus headroom for the frame fields. */
    public int maxFrameBytes() {
        return maxMessageBytes + 64 * 1024;
    }

    /** Reads a properties file over the defaults. Unknown keys are errors, so typos do not pass silently. */
    public static BrokerConfig load(Path file) throws IOException {
        return defaults().with(readProperties(file));
    }

    /** The keys and values of a properties file. */
    public static Map<String, String> readProperties(Path file) throws IOException {
        Properties p = new Properties();
        try (Reader r = Files.newBufferedReader(file)) {
            p.load(r);
        }
        Map<String, String> out = new HashMap<>();
        p.forEach((k, v) -> out.put(k.toString(), v.toString()));
        return out;
    }

    /** These settings with the given keys replaced. */
    public BrokerConfig with(Map<?, ?> settings) {
        Map<String, DestinationSettings> merged = new HashMap<>(destinations);
        Map<String, PasswordHash> newUsers = new HashMap<>(users);
        for (Map.Entry<?, ?> e : settings.entrySet()) {
            String k = e.getKey().toString();
            if (SecuritySettings.owns(k)) {
                continue;
            }
            if (k.startsWith(USER_PREFIX)) {
                try {
                    newUsers.put(k.substring(USER_PREFIX.length()), PasswordHash.parse(e.getValue().toString()));
                } catch (IllegalArgumentException bad) {
                    throw new IllegalArgumentException(k + ": " + bad.getMessage());
                }
            } else if (!KEYS.contains(k) && !destinationSetting(merged, k, e.getValue())) {
                throw new IllegalArgumentException("unknown configuration key '" + k + "'; known keys: "
                        + new java.util.TreeSet<>(KEYS) + ", " + new java.util.TreeSet<>(SecuritySettings.KEYS) + ", "
                        + USER_PREFIX + "<name>, " + USER_PREFIX + "<name>.roles, permission.<permission>.<pattern>,"
                        + " and topic.<name>."
                        + "{partitions,retention.ms,retention.bytes}, queue.<name>.{...}");
            }
        }
        String newHost = str(settings, "host", host);
        return new BrokerConfig(
                newHost,
                (int) num(settings, "port", port),
                settings.containsKey("data.dir") ? Path.of(settings.get("data.dir").toString().trim()) : dataDir,
                (int) num(settings, "max.message.bytes", maxMessageBytes),
                num(settings, "log.segment.bytes", segmentBytes),
                settings.containsKey("log.flush.policy") ? policy(settings.get("log.flush.policy").toString())
                        : flushPolicy,
                num(settings, "log.flush.interval.ms", flushIntervalMs),
                num(settings, "log.tail.cache.bytes", tailCacheBytes),
                (int) num(settings, "topic.default.partitions", defaultPartitions),
                num(settings, "log.retention.check.interval.ms", retentionCheckIntervalMs),
                num(settings, "log.retention.ms", retentionMs),
                num(settings, "log.retention.bytes", retentionBytes),
                num(settings, "subscription.retention.ms", subscriptionRetentionMs),
                num(settings, "disk.min.free.bytes", diskMinFreeBytes),
                merged,
                newUsers,
                settings.containsKey("security.allow.anonymous")
                        ? bool(settings.get("security.allow.anonymous").toString(), "security.allow.anonymous")
                        : allowAnonymous,
                redelivery.with(settings),
                ClusterSettings.with(cluster, settings, host, newHost),
                security.with(settings),
                monitoring.with(settings),
                tls.with(settings),
                limits.with(settings));
    }

    /**
     * Records a {@code topic.<name><suffix>} or {@code queue.<name><suffix>} key in {@code out}. Names may contain
     * dots, so the name is what lies between the prefix and a known suffix.
     *
     * @return false if the key is no per-destination key
     */
    private static boolean destinationSetting(Map<String, DestinationSettings> out, String key, Object value) {
        String prefix = key.startsWith("topic.") ? "topic." : key.startsWith("queue.") ? "queue." : null;
        if (prefix == null) {
            return false;
        }
        for (String suffix : DESTINATION_SUFFIXES) {
            if (key.endsWith(suffix) && key.length() > prefix.length() + suffix.length()) {
                String destination = key.substring(0, key.length() - suffix.length());
                DestinationSettings d = out.getOrDefault(destination, DestinationSettings.NONE);
                long v = num(Map.of(key, value), key, 0);
                if (suffix.equals(".partitions")) {
                    if (v < 1 || v > Integer.MAX_VALUE) {
                        throw new IllegalArgumentException(key + " must be at least 1, was " + v);
                    }
                    d = d.withPartitions((int) v);
                } else if (v < 0) {
                    throw new IllegalArgumentException(key + " must not be negative, was " + v);
                } else {
                    d = suffix.equals(".retention.ms") ? d.withRetentionMs(v) : d.withRetentionBytes(v);
                }
                out.put(destination, d);
                return true;
            }
        }
        return false;
    }

    public BrokerConfig withPort(int newPort) {
        return with(Map.of("port", String.valueOf(newPort)));
    }

    public BrokerConfig withDataDir(Path dir) {
        return with(Map.of("data.dir", dir.toString()));
    }

    private static String str(Map<?, ?> s, String key, String dflt) {
        Object v = s.get(key);
        return v == null ? dflt : v.toString().trim();
    }

    /** A numeric setting, or {@code dflt}; a value that is not a number is refused naming its key. */
    public static long num(Map<?, ?> s, String key, long dflt) {
        Object v = s.get(key);
        if (v == null) {
            return dflt;
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be a number, was '" + v + "'");
        }
    }

    private static boolean bool(String v, String key) {
        return switch (v.trim().toLowerCase(java.util.Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw new IllegalArgumentException(key + " must be true or false, was '" + v + "'");
        };
    }

    private static FlushPolicy policy(String v) {
        try {
            return FlushPolicy.valueOf(v.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("log.flush.policy must be always, interval or never, was '" + v + "'");
        }
    }
}
