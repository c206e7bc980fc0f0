package io.heraldmq.server.cluster;

import com.hazelcast.map.IMap;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.Collection;
import java.util.Set;

/**
 * Brokers drained for maintenance ({@code cluster drain}), in the Hazelcast map {@value #MAP}: the coordinator gives
 * them no leadership while any other replica can take it, for new destinations too, until they leave the cluster
 * (a restart after the maintenance ends the drain: the coordinator forgets brokers that are not members).
 */
public final class DrainedBrokers {
    static final String MAP = "heraldmq.drained";

    private final Vertx vertx;
    private final IMap<String, Long> map;

    public DrainedBrokers(ClusterMembership membership) {
        this.vertx = membership.vertx();
        this.map = membership.hazelcast().getMap(MAP);
    }

    public Future<Void> add(String brokerId) {
        return vertx.executeBlocking(() -> {
            map.set(brokerId, System.currentTimeMillis());
            return null;
        }, false);
    }

    /** The drained brokers among {@code members}; the others are forgotten. */
    public Future<Set<String>> among(Collection<String> members) {
        return vertx.executeBlocking(() -> {
            for (String id : Set.copyOf(map.keySet())) {
                if (!members.contains(id)) {
                    map.delete(id);
                }
            }
            return Set.copyOf(map.keySet());
        }, false);
    }
}
