package io.heraldmq.server.cluster;

import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * What each broker last published about its copy of each partition ({@link ReplicaState}), in the Hazelcast map
 * {@value #MAP} keyed {@code <brokerId>|<partition key>}. The coordinator prefers the most up-to-date live replica
 * as a new leader; {@code cluster status} shows each replica's lag. Advisory only: a state may be stale by the
 * publishing interval, and a broker that is gone leaves its last state behind.
 */
public final class ReplicaStates {
    static final String MAP = "heraldmq.replica-state";

    private final Vertx vertx;
    private final ClusterMembership membership;
    private final IMap<String, String> map;

    public ReplicaStates(ClusterMembership membership) {
        this.vertx = membership.vertx();
        this.membership = membership;
        this.map = membership.hazelcast().getMap(MAP);
    }

    /** Publishes {@code brokerId}'s state of a partition (normally this broker's own). */
    public Future<Void> publish(PartitionKey key, String brokerId, ReplicaState state) {
        return vertx.executeBlocking(() -> {
            map.set(brokerId + "|" + key.encode(), state.encode());
            return null;
        }, false);
    }

    /** The states of a partition published by the live brokers, by broker id. */
    public Future<Map<String, ReplicaState>> of(PartitionKey key) {
        Set<String> ids = new LinkedHashSet<>();
        membership.members().forEach(b -> ids.add(b.id()));
        return vertx.executeBlocking(() -> {
            Set<String> keys = new LinkedHashSet<>();
            for (String id : ids) {
                keys.add(id + "|" + key.encode());
            }
            Map<String, ReplicaState> out = new TreeMap<>();
            for (Map.Entry<String, String> e : map.getAll(keys).entrySet()) {
                out.put(e.getKey().substring(0, e.getKey().indexOf('|')), ReplicaState.decode(e.getValue()));
            }
            return out;
        }, false);
    }

    /** Every published state: by partition, then by broker id. */
    public Future<Map<PartitionKey, Map<String, ReplicaState>>> all() {
        return vertx.executeBlocking(() -> {
            Map<PartitionKey, Map<String, ReplicaState>> out = new HashMap<>();
            for (Map.Entry<String, String> e : map.entrySet()) {
                int bar = e.getKey().indexOf('|');
                out.computeIfAbsent(PartitionKey.parse(e.getKey().substring(bar + 1)), k -> new TreeMap<>())
                        .put(e.getKey().substring(0, bar), ReplicaState.decode(e.getValue()));
            }
            return out;
        }, false);
    }

    /** Forgets the states of every partition of a deleted destination. */
    public Future<Void> remove(boolean queue, String destination) {
        return vertx.executeBlocking(() -> {
            for (String k : map.keySet()) {
                PartitionKey key = PartitionKey.parse(k.substring(k.indexOf('|') + 1));
                if (key.queue() == queue && key.destination().equals(destination)) {
                    map.delete(k);
                }
            }
            return null;
        }, false);
    }
}
