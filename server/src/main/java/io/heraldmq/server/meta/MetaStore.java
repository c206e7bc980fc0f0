package io.heraldmq.server.meta;

import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

// STAND-IN: replaced by helper/meta at merge. In memory only.
public final class MetaStore {
    private final Map<String, TopicRecord> topics = new ConcurrentHashMap<>();
    private final Map<String, SubscriptionRecord> subs = new ConcurrentHashMap<>();
    private final Map<String, Map<Integer, Position>> positions = new ConcurrentHashMap<>();

    public static Future<MetaStore> open(Vertx vertx, Path dataDir, MetaStoreOptions options) {
        return Future.succeededFuture(new MetaStore());
    }

    public Future<List<TopicRecord>> loadTopics() {
        return Future.succeededFuture(new ArrayList<>(topics.values()));
    }

    public Future<Void> saveTopic(TopicRecord t) {
        topics.put(t.name(), t);
        return Future.succeededFuture();
    }

    public Future<List<SubscriptionRecord>> loadSubscriptions() {
        return Future.succeededFuture(new ArrayList<>(subs.values()));
    }

    public Future<Void> saveSubscription(SubscriptionRecord s) {
        subs.put(s.id(), s);
        return Future.succeededFuture();
    }

    public Future<Void> deleteSubscription(String id) {
        subs.remove(id);
        positions.remove(id);
        return Future.succeededFuture();
    }

    public Future<Map<Integer, Position>> loadPositions(String subscriptionId) {
        return Future.succeededFuture(Map.copyOf(positions.getOrDefault(subscriptionId, Map.of())));
    }

    public void commitPosition(String subscriptionId, int partition, Position p) {
        positions.computeIfAbsent(subscriptionId, k -> new ConcurrentHashMap<>()).put(partition, p);
    }

    public Future<Void> flushPositions() {
        return Future.succeededFuture();
    }

    public Future<Void> close() {
        return Future.succeededFuture();
    }
}
