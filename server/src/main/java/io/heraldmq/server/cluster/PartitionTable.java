package io.heraldmq.server.cluster;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.BiConsumer;

/**
 * The cluster's partition table: for every partition of every destination, its {@link PartitionAssignment}, in the
 * Hazelcast map {@value #MAP} (keys and values are strings, {@link PartitionKey#encode()} and
 * {@link PartitionAssignment#encode()}, so no serializer is configured).
 * <p>
 * Only the {@link Coordinator} writes assignments (with compare-and-set); a leader updates its partition's ISR with
 * {@link #updateIsr}, which applies only while its epoch is current. The map is AP: during a network partition both
 * sides may write, and a healed split keeps one side's entry. So the table is a proposal: the replication layer
 * accepts a leader only through epochs and votes, never because the table says so.
 * <p>
 * Every Hazelcast call runs on a Vert.x worker; futures complete there (compose onto your context if needed).
 */
public final class PartitionTable {
    static final String MAP = "heraldmq.partitions";
    private static final Logger LOG = LoggerFactory.getLogger(PartitionTable.class);
    private static final int CAS_ATTEMPTS = 10;

    private final Vertx vertx;
    private final IMap<String, String> map;

    public PartitionTable(ClusterMembership membership) {
        this.vertx = membership.vertx();
        this.map = membership.hazelcast().getMap(MAP);
    }

    /** Every assignment, by partition. */
    public Future<Map<PartitionKey, PartitionAssignment>> all() {
        return vertx.executeBlocking(() -> {
            Map<PartitionKey, PartitionAssignment> out = new TreeMap<>();
            for (Map.Entry<String, String> e : map.entrySet()) {
                out.put(PartitionKey.parse(e.getKey()), PartitionAssignment.decode(e.getValue()));
            }
            return out;
        }, false);
    }

    /** The partition's assignment, or null if it has none (yet). */
    public Future<PartitionAssignment> get(PartitionKey key) {
        return vertx.executeBlocking(() -> {
            String v = map.get(key.encode());
            return v == null ? null : PartitionAssignment.decode(v);
        }, false);
    }

    /** Compare-and-set: {@code next} replaces the assignment only if it still is {@code expected}. */
    public Future<Boolean> replace(PartitionKey key, PartitionAssignment expected, PartitionAssignment next) {
        return vertx.executeBlocking(() -> map.replace(key.encode(), expected.encode(), next.encode()), false);
    }

    /** Stores {@code assignment} unless the partition has one already. */
    public Future<Void> putIfAbsent(PartitionKey key, PartitionAssignment assignment) {
        return vertx.executeBlocking(() -> {
            map.putIfAbsent(key.encode(), assignment.encode());
            return null;
        }, false);
    }

    /** Compare-and-remove: drops the entry only if it still is {@code expected}. */
    public Future<Boolean> remove(PartitionKey key, PartitionAssignment expected) {
        return vertx.executeBlocking(() -> map.remove(key.encode(), expected.encode()), false);
    }

    /** Drops every partition of a queue ({@code queue == true}) or topic. */
    public Future<Void> remove(boolean queue, String destination) {
        return vertx.executeBlocking(() -> {
            List<String> gone = new ArrayList<>();
            for (String k : map.keySet()) {
                PartitionKey key = PartitionKey.parse(k);
                if (key.queue() == queue && key.destination().equals(destination)) {
                    gone.add(k);
                }
            }
            gone.forEach(map::delete);
            return null;
        }, false);
    }

    /**
     * A leader's new ISR for its partition: applied (compare-and-set, retried on concurrent changes) only while the
     * table's epoch is still {@code leaderEpoch}, so a deposed leader cannot overwrite its successor's ISR.
     *
     * @return false if the epoch moved on, the partition is gone or {@code isr} names a non-replica
     */
    public Future<Boolean> updateIsr(PartitionKey key, int leaderEpoch, List<String> isr) {
        List<String> newIsr = List.copyOf(isr);
        return vertx.executeBlocking(() -> {
            for (int i = 0; i < CAS_ATTEMPTS; i++) {
                String current = map.get(key.encode());
                if (current == null) {
                    return false;
                }
                PartitionAssignment a = PartitionAssignment.decode(current);
                if (a.leaderEpoch() != leaderEpoch || !a.replicas().containsAll(newIsr)) {
                    return false;
                }
                if (a.isr().equals(newIsr) || map.replace(key.encode(), current, a.withIsr(newIsr).encode())) {
                    return true;
                }
            }
            LOG.warn("ISR update of {} lost {} races in a row", key, CAS_ATTEMPTS);
            return false;
        }, false);
    }

    /**
     * Calls {@code changed} on {@code ctx} for every change of the table from now on: the new assignment, or null
     * when the partition was removed. The future completes once the listener is registered.
     */
    public Future<Void> listen(Context ctx, BiConsumer<PartitionKey, PartitionAssignment> changed) {
        return MapEvents.listen(vertx, map, ctx, (k, v) -> changed.accept(PartitionKey.parse(k),
                v == null ? null : PartitionAssignment.decode(v)));
    }
}
