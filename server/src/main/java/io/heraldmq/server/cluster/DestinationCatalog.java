package io.heraldmq.server.cluster;

import com.hazelcast.map.IMap;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The definition of every queue and topic of the cluster, in the Hazelcast map {@value #MAP} (key
 * {@code q:<name>}/{@code t:<name>}, value {@code partitions|retentionMs|retentionBytes}): a destination created on
 * one broker exists on all, with the same partition count. The first definition of a name wins ({@link #define} is
 * a put-if-absent). Temporary destinations are not here: they live on their connection's broker.
 * <p>
 * Like every Hazelcast map here it is AP: two sides of a network partition may define one name differently; the
 * healed cluster keeps one, and a broker whose local destination differs logs it (its stored partition count stays).
 */
public final class DestinationCatalog {
    static final String MAP = "heraldmq.destinations";

    private final Vertx vertx;
    private final IMap<String, String> map;

    public DestinationCatalog(ClusterMembership membership) {
        this.vertx = membership.vertx();
        this.map = membership.hazelcast().getMap(MAP);
    }

    /** Defines a destination unless it is defined; returns the definition in force (this one, or the earlier one). */
    public Future<DestinationDefinition> define(DestinationDefinition definition) {
        return vertx.executeBlocking(() -> {
            String earlier = map.putIfAbsent(definition.key(), definition.encodeValue());
            return earlier == null ? definition : DestinationDefinition.decode(definition.key(), earlier);
        }, false);
    }

    /** Removes a destination's definition (every broker then deletes its copy). */
    public Future<Void> remove(boolean queue, String name) {
        return vertx.executeBlocking(() -> {
            map.delete(DestinationDefinition.key(queue, name));
            return null;
        }, false);
    }

    /** The definition, or null if there is none. */
    public Future<DestinationDefinition> get(boolean queue, String name) {
        String key = DestinationDefinition.key(queue, name);
        return vertx.executeBlocking(() -> {
            String v = map.get(key);
            return v == null ? null : DestinationDefinition.decode(key, v);
        }, false);
    }

    /** Every definition, by name then kind. */
    public Future<List<DestinationDefinition>> all() {
        return vertx.executeBlocking(() -> {
            List<DestinationDefinition> out = new ArrayList<>();
            for (Map.Entry<String, String> e : map.entrySet()) {
                out.add(DestinationDefinition.decode(e.getKey(), e.getValue()));
            }
            out.sort(Comparator.comparing(DestinationDefinition::name).thenComparing(DestinationDefinition::queue));
            return out;
        }, false);
    }

    /**
     * Calls {@code added} or {@code removed} on {@code ctx} for every definition added or removed from now on (by
     * any broker, this one included). {@code removed} gets a definition with one partition and no limits when only
     * the name is known. The future completes once the listener is registered.
     */
    public Future<Void> listen(Context ctx, Consumer<DestinationDefinition> added,
                               Consumer<DestinationDefinition> removed) {
        return MapEvents.listen(vertx, map, ctx, (k, v) -> {
            if (v == null) {
                removed.accept(new DestinationDefinition(k.startsWith("q:"), k.substring(2), 1, -1, -1));
            } else {
                added.accept(DestinationDefinition.decode(k, v));
            }
        });
    }
}
