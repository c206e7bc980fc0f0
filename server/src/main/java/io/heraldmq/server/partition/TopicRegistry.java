package io.heraldmq.server.partition;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.DestinationSettings;
import io.heraldmq.server.log.RetentionPolicy;
import io.heraldmq.server.meta.MetaStore;
import io.heraldmq.server.meta.TopicRecord;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.logging.Logger;

/**
 * Every queue and topic of the broker. Destinations are created on first use (as Artemis auto-creates addresses),
 * with the partition count and retention limits the configuration gives them, recorded in the metadata store, and
 * reopened at start-up. Queues and topics have separate name spaces. Safe from
 * any context: creation is idempotent through a map of futures.
 */
public final class TopicRegistry {
    private static final Logger LOG = Logger.getLogger(TopicRegistry.class.getName());
    private final Vertx vertx;
    private final BrokerConfig config;
    private final MetaStore meta;
    private final Executor flushExecutor;
    private final Map<String, Future<Topic>> topics = new ConcurrentHashMap<>();
    private final Map<String, TopicRecord> known = new ConcurrentHashMap<>();
    private final List<String> deployments = new ArrayList<>();

    public TopicRegistry(Vertx vertx, BrokerConfig config, MetaStore meta, Executor flushExecutor) {
        this.vertx = vertx;
        this.config = config;
        this.meta = meta;
        this.flushExecutor = flushExecutor;
    }

    /** Opens every destination the metadata store knows. */
    public Future<Void> load() {
        return meta.loadTopics().compose(records -> {
            List<Future<Topic>> opened = new ArrayList<>();
            for (TopicRecord r : records) {
                known.put(key(r.queue() ? DestinationKind.QUEUE : DestinationKind.TOPIC, r.name()), r);
                opened.add(get(r.queue() ? DestinationKind.QUEUE : DestinationKind.TOPIC, r.name()));
            }
            return Future.all(opened).mapEmpty();
        });
    }

    /** The destination, created if it does not exist yet. */
    public Future<Topic> get(DestinationKind kind, String name) {
        DestinationKind stored = kind.isQueue() ? DestinationKind.QUEUE : DestinationKind.TOPIC;
        String key = key(stored, name);
        Future<Topic> f = topics.get(key);
        if (f != null) {
            return f;
        }
        return topics.computeIfAbsent(key, k -> open(kind, name, k));
    }

    private Future<Topic> open(DestinationKind kind, String name, String key) {
        TopicRecord stored = known.get(key);
        TopicRecord record = settle(kind.isQueue(), name, stored);
        known.put(key, record);
        RetentionPolicy retention = new RetentionPolicy(
                record.retentionMs() >= 0 ? record.retentionMs() : config.retentionMs(),
                record.retentionBytes() >= 0 ? record.retentionBytes() : config.retentionBytes(), Long.MAX_VALUE);
        Path dir = config.dataDir().resolve("log").resolve(key);
        List<Partition> partitions = new ArrayList<>();
        List<Future<String>> deployed = new ArrayList<>();
        for (int i = 0; i < record.partitions(); i++) {
            Partition p = new Partition(name, i, dir.resolve(String.valueOf(i)), config, flushExecutor, retention);
            partitions.add(p);
            deployed.add(vertx.deployVerticle(p).onSuccess(id -> {
                synchronized (deployments) {
                    deployments.add(id);
                }
            }));
        }
        Future<Void> saved = record.equals(stored) ? Future.succeededFuture() : meta.saveTopic(record);
        return Future.all(deployed).compose(v -> saved).map(v -> new Topic(kind, name, partitions));
    }

    /**
     * The record a destination opens with: a new one from the configuration ({@link BrokerConfig#destination}) and
     * the defaults, or the stored one with the configured retention limits applied. The stored partition count
     * always wins: keyed messages would change partition (and lose their order) if it changed under existing data.
     */
    private TopicRecord settle(boolean queue, String name, TopicRecord stored) {
        DestinationSettings configured = config.destination(queue, name);
        String what = (queue ? "queue " : "topic ") + name;
        if (stored == null) {
            int partitions = configured.partitions() > 0 ? configured.partitions()
                    : queue ? 1 : config.defaultPartitions();
            return new TopicRecord(name, queue, partitions, configured.retentionMs(), configured.retentionBytes(),
                    System.currentTimeMillis());
        }
        if (configured.partitions() > 0 && configured.partitions() != stored.partitions()) {
            LOG.warning(() -> what + " is configured with " + configured.partitions() + " partitions but exists"
                    + " with " + stored.partitions() + "; the existing count stays");
        }
        long retentionMs = configured.retentionMs() >= 0 ? configured.retentionMs() : stored.retentionMs();
        long retentionBytes = configured.retentionBytes() >= 0 ? configured.retentionBytes()
                : stored.retentionBytes();
        if (retentionMs == stored.retentionMs() && retentionBytes == stored.retentionBytes()) {
            return stored;
        }
        LOG.info(() -> what + ": retention now " + retentionMs + " ms, " + retentionBytes + " bytes (was "
                + stored.retentionMs() + " ms, " + stored.retentionBytes() + " bytes; -1 = broker default)");
        return new TopicRecord(name, queue, stored.partitions(), retentionMs, retentionBytes, stored.createdAt());
    }

    /** Stops every partition: flushes and closes the logs. */
    public Future<Void> close() {
        List<Future<Void>> undeployed = new ArrayList<>();
        synchronized (deployments) {
            for (String id : deployments) {
                undeployed.add(vertx.undeploy(id));
            }
            deployments.clear();
        }
        return Future.join(undeployed).mapEmpty();
    }

    private static String key(DestinationKind kind, String name) {
        return (kind.isQueue() ? "q-" : "t-") + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }
}
