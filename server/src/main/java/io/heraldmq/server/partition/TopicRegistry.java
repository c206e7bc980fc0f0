package io.heraldmq.server.partition;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.server.BrokerConfig;
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

/**
 * Every queue and topic of the broker. Destinations are created on first use (as Artemis auto-creates addresses),
 * recorded in the metadata store, and reopened at start-up. Queues and topics have separate name spaces. Safe from
 * any context: creation is idempotent through a map of futures.
 */
public final class TopicRegistry {
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
        TopicRecord record = known.get(key);
        boolean created = record == null;
        if (created) {
            record = new TopicRecord(name, kind.isQueue(), kind.isQueue() ? 1 : config.defaultPartitions(), -1, -1,
                    System.currentTimeMillis());
            known.put(key, record);
        }
        Path dir = config.dataDir().resolve("log").resolve(key);
        List<Partition> partitions = new ArrayList<>();
        List<Future<String>> deployed = new ArrayList<>();
        for (int i = 0; i < record.partitions(); i++) {
            Partition p = new Partition(name, i, dir.resolve(String.valueOf(i)), config, flushExecutor);
            partitions.add(p);
            deployed.add(vertx.deployVerticle(p).onSuccess(id -> {
                synchronized (deployments) {
                    deployments.add(id);
                }
            }));
        }
        TopicRecord toSave = record;
        Future<Void> saved = created ? meta.saveTopic(toSave) : Future.succeededFuture();
        return Future.all(deployed).compose(v -> saved).map(v -> new Topic(kind, name, partitions));
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
