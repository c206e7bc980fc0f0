package io.heraldmq.server.partition;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.BrokerConfig;
import io.heraldmq.server.DestinationSettings;
import io.heraldmq.server.log.RetentionHold;
import io.heraldmq.server.log.RetentionPolicy;
import io.heraldmq.server.meta.MetaStore;
import io.heraldmq.server.meta.TopicRecord;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.stream.Stream;

/**
 * Every queue and topic of the broker. Destinations are created on first use (as Artemis auto-creates addresses),
 * with the partition count and retention limits the configuration gives them, recorded in the metadata store, and
 * reopened at start-up. Queues and topics have separate name spaces. Safe from
 * any context: creation is idempotent through a map of futures.
 */
public final class TopicRegistry {
    private static final Logger LOG = LoggerFactory.getLogger(TopicRegistry.class);

    /**
     * The retention holds of a destination's subscriptions that are not open on a partition: durable subscriptions
     * and queues known only from their stored positions. Called on the partition's context; must not block.
     */
    @FunctionalInterface
    public interface ClosedSubscriptionHolds {
        List<RetentionHold> holds(DestinationKind kind, String destination, int partition);
    }

    /**
     * The cluster's say in this broker's destinations ({@code io.heraldmq.server.cluster.ClusterDestinations}); none
     * on a single node. Called on the caller's context; must not block.
     */
    public interface ClusterHook {
        /**
         * The definition a destination this broker is about to create must have: the cluster's, if the cluster
         * already has one (its partition count then wins), else {@code proposed}, now defined cluster-wide.
         */
        Future<TopicRecord> define(TopicRecord proposed);

        /** This broker deleted a queue or topic. */
        void deleted(boolean queue, String name);
    }

    private final Vertx vertx;
    private final BrokerConfig config;
    private final MetaStore meta;
    private final Executor flushExecutor;
    private final Clock clock;
    private final ClosedSubscriptionHolds closedHolds;
    private final Map<Key, Future<Topic>> topics = new ConcurrentHashMap<>();
    private final Map<Key, TopicRecord> known = new ConcurrentHashMap<>();
    /** Temporary destinations: never recorded in the metadata store, logs under {@link #temporaryRoot()}. */
    private final Map<String, Future<Topic>> temporary = new ConcurrentHashMap<>();
    private final List<String> deployments = new ArrayList<>();
    private java.util.function.Function<Topic, Future<Void>> replicator;
    private volatile ClusterHook clusterHook;

    /**
     * Destinations whose deletion has begun and not ended ({@link #isDeleting}), completing when it has: a new
     * destination of that name opens only then, not in a directory being deleted (in a cluster a replica's
     * deletion, told by the catalog, could meet the name's re-creation, told a moment later).
     */
    private final Map<Key, Future<Void>> deleting = new ConcurrentHashMap<>();

    /**
     * @param clock       the time of retention checks
     * @param closedHolds what subscriptions not open on a partition keep of its log
     */
    private final io.heraldmq.server.metrics.BrokerMetrics metrics;

    public TopicRegistry(Vertx vertx, BrokerConfig config, MetaStore meta, Executor flushExecutor, Clock clock,
                         ClosedSubscriptionHolds closedHolds, io.heraldmq.server.metrics.BrokerMetrics metrics) {
        this.metrics = metrics;
        this.vertx = vertx;
        this.config = config;
        this.meta = meta;
        this.flushExecutor = flushExecutor;
        this.clock = clock;
        this.closedHolds = closedHolds;
    }

    /** Lets the cluster define the destinations this broker creates from now on; null (the default) for none. */
    public void clusterHook(ClusterHook hook) {
        this.clusterHook = hook;
    }

    /**
     * Opens every destination the metadata store knows, after deleting the logs of temporary destinations a crash
     * left behind.
     */
    public Future<Void> load() {
        return vertx.executeBlocking(() -> {
            deleteTree(temporaryRoot());
            return null;
        }, false).compose(v -> meta.loadTopics()).compose(records -> {
            List<Future<Topic>> opened = new ArrayList<>();
            for (TopicRecord r : records) {
                known.put(new Key(r.queue(), r.name()), r);
                opened.add(get(r.queue() ? DestinationKind.QUEUE : DestinationKind.TOPIC, r.name()));
            }
            return Future.all(opened).mapEmpty();
        });
    }

    /**
     * The destination, created if it does not exist yet. A temporary one is never created here: it exists only
     * between {@link #createTemporary} and {@link #deleteTemporary}, else this fails with INVALID_DESTINATION.
     */
    public Future<Topic> get(DestinationKind kind, String name) {
        if (kind.isTemporary()) {
            Future<Topic> t = temporary.get(temporaryKey(kind, name));
            return t != null ? t : Future.failedFuture(new ProtocolException(ErrorCode.INVALID_DESTINATION,
                    kindName(kind) + " '" + name + "' does not exist: it was deleted or its connection closed"));
        }
        // Every PRODUCE looks its destination up here, on an event loop: the key is a small record, not an encoded
        // directory name.
        Key key = new Key(kind.isQueue(), name);
        Future<Topic> f = topics.get(key);
        if (f != null) {
            return f;
        }
        Future<Void> deletion = deleting.get(key);
        if (deletion != null) {
            return deletion.compose(v -> get(kind, name));
        }
        return topics.computeIfAbsent(key, k -> open(kind, name, k));
    }

    /**
     * The destination if it is open or defined (then opened), else null: {@link #get} without creating. Not for
     * temporary destinations.
     */
    public Future<Topic> existing(DestinationKind kind, String name) {
        Key key = new Key(kind.isQueue(), name);
        Future<Topic> f = topics.get(key);
        if (f != null) {
            return f;
        }
        return known.containsKey(key) ? get(kind, name) : null;
    }

    private Future<Topic> open(DestinationKind kind, String name, Key key) {
        TopicRecord stored = known.get(key);
        TopicRecord settled = settle(kind.isQueue(), name, stored);
        ClusterHook hook = clusterHook;
        if (stored == null && hook != null) {
            return hook.define(settled).compose(record -> open(kind, name, key, null, record));
        }
        return open(kind, name, key, stored, settled);
    }

    private Future<Topic> open(DestinationKind kind, String name, Key key, TopicRecord stored, TopicRecord record) {
        known.put(key, record);
        RetentionPolicy retention = new RetentionPolicy(
                record.retentionMs() >= 0 ? record.retentionMs() : config.retentionMs(),
                record.retentionBytes() >= 0 ? record.retentionBytes() : config.retentionBytes(), Long.MAX_VALUE);
        Path dir = config.dataDir().resolve("log").resolve(key.directory());
        List<Partition> partitions = new ArrayList<>();
        List<Future<String>> deployed = new ArrayList<>();
        DestinationKind openedKind = kind.isQueue() ? DestinationKind.QUEUE : DestinationKind.TOPIC;
        io.heraldmq.server.metrics.DestinationMeters meters = metrics.destination(kind.isQueue(), false, name);
        for (int i = 0; i < record.partitions(); i++) {
            int partition = i;
            Partition p = new Partition(name, i, dir.resolve(String.valueOf(i)), config, flushExecutor, retention,
                    clock, () -> closedHolds.holds(openedKind, name, partition));
            p.meterWith(meters, metrics.flushMeters());
            partitions.add(p);
            deployed.add(vertx.deployVerticle(p).onSuccess(id -> {
                synchronized (deployments) {
                    deployments.add(id);
                }
            }));
        }
        Future<Void> saved = record.equals(stored) ? Future.succeededFuture() : meta.saveTopic(record);
        return Future.all(deployed).compose(v -> saved).compose(v -> {
            Topic topic = new Topic(kind, name, partitions);
            return replicator == null ? Future.succeededFuture(topic) : replicator.apply(topic).map(topic);
        });
    }

    /**
     * Clustered brokers: every destination opened from now on (temporary ones excepted) is made replicated by
     * {@code replicator} before anyone can use it. Call before {@link #load}.
     */
    public void replicateWith(java.util.function.Function<Topic, Future<Void>> replicator) {
        this.replicator = replicator;
    }

    /** A destination as administration sees it: its definition and, once opened, its partitions. */
    public record Entry(DestinationKind kind, TopicRecord record, Future<Topic> topic) {
    }

    /**
     * Creates a queue or topic with the given partitions and retention, as an administrator asks. Fails with
     * ILLEGAL_STATE if it exists already (auto-created ones included).
     */
    public Future<Topic> create(DestinationKind kind, String name, int partitions, long retentionMs,
                                long retentionBytes) {
        if (kind.isTemporary()) {
            return Future.failedFuture(new ProtocolException(ErrorCode.INVALID_DESTINATION,
                    "temporary destinations are created by their connection, not by administration"));
        }
        Key key = new Key(kind.isQueue(), name);
        TopicRecord record = new TopicRecord(name, kind.isQueue(), partitions, retentionMs, retentionBytes,
                System.currentTimeMillis());
        if (topics.containsKey(key) || known.putIfAbsent(key, record) != null) {
            return Future.failedFuture(new ProtocolException(ErrorCode.ILLEGAL_STATE,
                    (kind.isQueue() ? "queue '" : "topic '") + name + "' already exists"));
        }
        ClusterHook hook = clusterHook;
        Future<Void> defined = hook == null ? Future.succeededFuture() : hook.define(record).compose(d ->
                d.partitions() == partitions && d.retentionMs() == retentionMs && d.retentionBytes() == retentionBytes
                        ? Future.succeededFuture()
                        : Future.failedFuture(new ProtocolException(ErrorCode.ILLEGAL_STATE, (kind.isQueue()
                        ? "queue '" : "topic '") + name + "' already exists in the cluster, with " + d.partitions()
                        + " partition(s)")));
        return defined.compose(v -> meta.saveTopic(record)).compose(v -> get(kind, name))
                .onFailure(e -> known.remove(key, record));
    }

    /**
     * Whether the destination is being deleted here: forgotten already ({@link #find} says null), its partitions
     * closing or its files being removed. A clustered broker that relayed a deletion answers only after this, so
     * that the client's next use of the name does not open a partition in a directory still being deleted.
     */
    public boolean isDeleting(DestinationKind kind, String name) {
        return deleting.containsKey(new Key(kind.isQueue(), name));
    }

    /** The destination if it exists (defined or opened), else null; never creates one. */
    public Entry find(DestinationKind kind, String name) {
        TopicRecord record = known.get(new Key(kind.isQueue(), name));
        return record == null ? null : new Entry(kind.isQueue() ? DestinationKind.QUEUE : DestinationKind.TOPIC,
                record, get(kind, name));
    }

    /** Every queue and topic (not temporary ones), by kind and name. */
    public List<Entry> list() {
        List<Entry> out = new ArrayList<>();
        for (Map.Entry<Key, TopicRecord> e : known.entrySet()) {
            DestinationKind kind = e.getKey().queue() ? DestinationKind.QUEUE : DestinationKind.TOPIC;
            out.add(new Entry(kind, e.getValue(), get(kind, e.getValue().name())));
        }
        out.sort(Comparator.comparing((Entry x) -> x.record().name()).thenComparing(x -> x.kind()));
        return out;
    }

    /**
     * Deletes a queue or topic: it is forgotten at once (a later send creates it anew), its partitions stop, its log
     * directory is deleted on a worker and its definition, subscriptions and positions leave the metadata store.
     * The caller has dealt with the subscriptions.
     */
    public Future<Void> delete(DestinationKind kind, String name) {
        Key key = new Key(kind.isQueue(), name);
        TopicRecord record = known.remove(key);
        Future<Topic> opened = topics.remove(key);
        if (record == null && opened == null) {
            return Future.failedFuture(new ProtocolException(ErrorCode.INVALID_DESTINATION,
                    (kind.isQueue() ? "queue '" : "topic '") + name + "' does not exist"));
        }
        Promise<Void> deleted = Promise.promise();
        deleting.put(key, deleted.future());
        Future<Topic> topic = opened == null ? Future.succeededFuture() : opened;
        return topic.compose(t -> {
            List<Future<Void>> undeployed = new ArrayList<>();
            if (t != null) {
                for (Partition p : t.partitions()) {
                    String id = p.deploymentID();
                    synchronized (deployments) {
                        deployments.remove(id);
                    }
                    undeployed.add(vertx.undeploy(id));
                }
            }
            return Future.join(undeployed);
        }, e -> Future.succeededFuture()).compose(v -> vertx.executeBlocking(() -> {
            deleteTree(config.dataDir().resolve("log").resolve(key.directory()));
            return null;
        }, false)).compose(v -> meta.deleteTopic(kind.isQueue(), name)).andThen(v -> {
                    deleting.remove(key, deleted.future());
                    deleted.complete();
                })
                .onSuccess(v -> {
            ClusterHook hook = clusterHook;
            if (hook != null) {
                hook.deleted(kind.isQueue(), name);
            }
        });
    }

    /**
     * Creates a temporary destination: one partition, not recorded in the metadata store, its log under
     * {@code <data>/temp} and never fsynced (it does not outlive its connection, let alone the broker).
     */
    public Future<Topic> createTemporary(DestinationKind kind, String name) {
        if (!kind.isTemporary()) {
            return Future.failedFuture(new ProtocolException(ErrorCode.INVALID_DESTINATION, kind
                    + " is not a temporary destination kind"));
        }
        String key = temporaryKey(kind, name);
        Promise<Topic> created = Promise.promise();
        if (temporary.putIfAbsent(key, created.future()) != null) {
            return Future.failedFuture(new ProtocolException(ErrorCode.INVALID_DESTINATION, kindName(kind) + " '"
                    + name + "' already exists"));
        }
        BrokerConfig tempConfig = config.with(Map.of("log.flush.policy", "never"));
        Partition p = new Partition(name, 0, temporaryRoot().resolve(key).resolve("0"), tempConfig, flushExecutor,
                RetentionPolicy.unlimited(), clock, List::of);
        vertx.deployVerticle(p).map(id -> new Topic(kind, name, List.of(p))).onComplete(ar -> {
            if (ar.failed()) {
                temporary.remove(key, created.future());
            }
            created.handle(ar);
        });
        return created.future();
    }

    /** Deletes a temporary destination: later sends to it fail; its log is closed and deleted. */
    public Future<Void> deleteTemporary(DestinationKind kind, String name) {
        String key = temporaryKey(kind, name);
        Future<Topic> t = temporary.remove(key);
        if (t == null) {
            return Future.failedFuture(new ProtocolException(ErrorCode.INVALID_DESTINATION, kindName(kind) + " '"
                    + name + "' does not exist"));
        }
        return t.compose(topic -> {
            List<Future<Void>> undeployed = new ArrayList<>();
            for (Partition p : topic.partitions()) {
                undeployed.add(vertx.undeploy(p.deploymentID()));
            }
            return Future.join(undeployed);
        }, e -> Future.succeededFuture()).compose(v -> vertx.executeBlocking(() -> {
            deleteTree(temporaryRoot().resolve(key));
            return null;
        }, false));
    }

    private Path temporaryRoot() {
        return config.dataDir().resolve("temp");
    }

    private static String temporaryKey(DestinationKind kind, String name) {
        return (kind.isQueue() ? "tq-" : "tt-") + URLEncoder.encode(name, StandardCharsets.UTF_8);
    }

    private static String kindName(DestinationKind kind) {
        return kind.isQueue() ? "temporary queue" : "temporary topic";
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path f : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(f);
            }
        }
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
            LOG.warn("{} is configured with {} partitions but exists with {}; the existing count stays", what,
                    configured.partitions(), stored.partitions());
        }
        long retentionMs = configured.retentionMs() >= 0 ? configured.retentionMs() : stored.retentionMs();
        long retentionBytes = configured.retentionBytes() >= 0 ? configured.retentionBytes()
                : stored.retentionBytes();
        if (retentionMs == stored.retentionMs() && retentionBytes == stored.retentionBytes()) {
            return stored;
        }
        LOG.info("{}: retention now {} ms, {} bytes (was {} ms, {} bytes; -1 = broker default)", what, retentionMs,
                retentionBytes, stored.retentionMs(), stored.retentionBytes());
        return new TopicRecord(name, queue, stored.partitions(), retentionMs, retentionBytes, stored.createdAt());
    }

    /** Stops every partition: flushes and closes the logs. */
    public Future<Void> close() {
        List<Future<Void>> undeployed = new ArrayList<>();
        for (String key : List.copyOf(temporary.keySet())) {
            DestinationKind kind = key.startsWith("tq-") ? DestinationKind.TEMPORARY_QUEUE
                    : DestinationKind.TEMPORARY_TOPIC;
            undeployed.add(deleteTemporary(kind, URLDecoder.decode(key.substring(3),
                    StandardCharsets.UTF_8)));
        }
        synchronized (deployments) {
            for (String id : deployments) {
                undeployed.add(vertx.undeploy(id));
            }
            deployments.clear();
        }
        return Future.join(undeployed).mapEmpty();
    }

    /** A queue or topic (queues and topics have separate name spaces). */
    private record Key(boolean queue, String name) {
        /** Its log directory under {@code data/log}: {@code q-} or {@code t-} and the URL-encoded name. */
        String directory() {
            return (queue ? "q-" : "t-") + URLEncoder.encode(name, StandardCharsets.UTF_8);
        }
    }
}
