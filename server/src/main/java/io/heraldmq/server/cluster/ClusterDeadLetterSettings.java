package io.heraldmq.server.cluster;

import com.hazelcast.map.IMap;
import io.heraldmq.server.meta.DeadLetterSettings;
import io.heraldmq.server.subscription.DeadLetters;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Dead-letter and redelivery settings are a destination's configuration, like its definition in the
 * {@link DestinationCatalog}: copied to every broker, so that whichever broker leads the destination after a failover
 * applies them. Kept in the Hazelcast map {@value #MAP} (backed up on every member), keyed by
 * {@link DeadLetters#settingsKey}; every broker stores what the map says in its own metadata store and applies it.
 * An administrator's change on any broker is stored there and then put in the map.
 * <p>
 * Value layout, fields joined by {@code '\n'}: maxDeliveryAttempts, redeliveryDelayMs, redeliveryMultiplier,
 * maxRedeliveryDelayMs, deadLetterDestination (empty for the default). A removed entry (its destination deleted)
 * changes nothing here: deleting the destination deleted its settings row.
 */
public final class ClusterDeadLetterSettings {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDeadLetterSettings.class);
    static final String MAP = "heraldmq.dead-letter-settings";

    private final Vertx vertx;
    private final IMap<String, String> map;
    private final DeadLetters deadLetters;

    public ClusterDeadLetterSettings(ClusterMembership membership, DeadLetters deadLetters) {
        this.vertx = membership.vertx();
        this.map = membership.hazelcast().getMap(MAP);
        this.deadLetters = deadLetters;
    }

    /**
     * Listens to the map on {@code ctx}, applies what it holds now, and from then on puts this broker's changes in
     * it.
     */
    public Future<Void> start(Context ctx) {
        return MapEvents.listen(vertx, map, ctx, (key, value) -> {
            if (value != null) {
                apply(key, value);
            }
        }).compose(v -> vertx.executeBlocking(() -> Map.copyOf(map), false)).compose(all -> {
            List<Future<?>> applied = new ArrayList<>();
            all.forEach((k, v) -> applied.add(apply(k, v)));
            return Future.join(applied);
        }).map(v -> {
            deadLetters.replicateWith(this::publish);
            return null;
        });
    }

    private Future<Void> publish(DeadLetterSettings s) {
        String key = DeadLetters.settingsKey(s.queue(), s.name());
        String value = encode(s);
        return vertx.executeBlocking(() -> {
            map.set(key, value);
            return null;
        }, false);
    }

    private Future<?> apply(String key, String value) {
        DeadLetterSettings s;
        try {
            s = decode(key, value);
        } catch (RuntimeException e) {
            LOG.warn("ignoring unreadable dead-letter settings of {}: {}", key, String.valueOf(e));
            return Future.succeededFuture();
        }
        return deadLetters.applyReplicated(s).onFailure(e -> LOG.warn("could not apply the dead-letter settings of "
                + "{}: {}", key, String.valueOf(e)));
    }

    static String encode(DeadLetterSettings s) {
        return s.maxDeliveryAttempts() + "\n" + s.redeliveryDelayMs() + "\n" + s.redeliveryMultiplier() + "\n"
                + s.maxRedeliveryDelayMs() + "\n" + (s.deadLetterDestination() == null ? ""
                : s.deadLetterDestination());
    }

    static DeadLetterSettings decode(String key, String value) {
        boolean queue = key.startsWith("queue://");
        if (!queue && !key.startsWith("topic://")) {
            throw new IllegalArgumentException("not a destination key: " + key);
        }
        String name = key.substring(queue ? "queue://".length() : "topic://".length());
        String[] f = value.split("\n", -1);
        if (f.length != 5) {
            throw new IllegalArgumentException(f.length + " fields");
        }
        return new DeadLetterSettings(queue, name, Integer.parseInt(f[0]), Long.parseLong(f[1]),
                Double.parseDouble(f[2]), Long.parseLong(f[3]), f[4].isEmpty() ? null : f[4]);
    }
}
