package io.heraldmq.server.cluster;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.server.meta.TopicRecord;
import io.heraldmq.server.partition.TopicRegistry;
import io.heraldmq.server.subscription.DeadLetters;
import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.vertx.core.Context;
import io.vertx.core.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Keeps this broker's queues and topics and the cluster's {@link DestinationCatalog} in step: a destination this
 * broker creates (auto-created on first use, or by CREATE_TOPIC) is defined in the catalog first, and takes the
 * catalog's definition when another broker defined it earlier; a definition another broker adds creates the
 * destination here; a deletion here removes the definition, and a removed definition deletes the destination here
 * (as DELETE_TOPIC with force: subscriptions, positions and dead-letter settings go too). Temporary destinations
 * stay out of it.
 * <p>
 * At start-up, destinations this broker already has are defined in the catalog (so a catalog lost with a
 * whole-cluster restart is rebuilt from the brokers' own stores); where the catalog differs, the local partition
 * count stays (data exists under it) and a warning says so.
 */
public final class ClusterDestinations implements TopicRegistry.ClusterHook {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterDestinations.class);

    private final DestinationCatalog catalog;
    private final ReplicaStates states;
    private final TopicRegistry topics;
    private final SubscriptionRegistry subscriptions;
    private final DeadLetters deadLetters;
    /** Catalog keys of destinations being deleted here because the catalog lost them: not removed again. */
    private final Set<String> deletingFromCatalog = ConcurrentHashMap.newKeySet();

    public ClusterDestinations(DestinationCatalog catalog, ReplicaStates states, TopicRegistry topics,
                               SubscriptionRegistry subscriptions, DeadLetters deadLetters) {
        this.catalog = catalog;
        this.states = states;
        this.topics = topics;
        this.subscriptions = subscriptions;
        this.deadLetters = deadLetters;
    }

    /**
     * Hooks into the registry, listens to the catalog on {@code ctx}, defines the local destinations and creates the
     * cluster's ones missing here.
     */
    public Future<Void> start(Context ctx) {
        topics.clusterHook(this);
        return catalog.listen(ctx, this::added, this::removed).compose(v -> {
            List<Future<DestinationDefinition>> defined = new ArrayList<>();
            for (TopicRegistry.Entry e : topics.list()) {
                DestinationDefinition local = definition(e.record());
                defined.add(catalog.define(local).onSuccess(d -> {
                    if (d.partitions() != local.partitions()) {
                        LOG.warn("{} {} has {} partition(s) here but {} in the cluster's catalog; the local count "
                                + "stays (its data exists)", kindName(d.queue()), d.name(), local.partitions(),
                                d.partitions());
                    }
                }));
            }
            return Future.join(defined);
        }).compose(v -> catalog.all()).compose(all -> {
            List<Future<?>> opened = new ArrayList<>();
            for (DestinationDefinition d : all) {
                opened.add(ensureLocal(d));
            }
            return Future.join(opened).mapEmpty();
        });
    }

    @Override
    public Future<TopicRecord> define(TopicRecord proposed) {
        return catalog.define(definition(proposed)).map(d -> new TopicRecord(proposed.name(), proposed.queue(),
                d.partitions(), d.retentionMs(), d.retentionBytes(), proposed.createdAt()));
    }

    @Override
    public void deleted(boolean queue, String name) {
        if (deletingFromCatalog.remove(DestinationDefinition.key(queue, name))) {
            return;
        }
        catalog.remove(queue, name).compose(v -> states.remove(queue, name)).onFailure(e -> LOG.warn("could not "
                + "remove {} {} from the cluster's catalog: {}", kindName(queue), name, String.valueOf(e)));
    }

    private void added(DestinationDefinition d) {
        ensureLocal(d);
    }

    private Future<?> ensureLocal(DestinationDefinition d) {
        DestinationKind kind = d.queue() ? DestinationKind.QUEUE : DestinationKind.TOPIC;
        TopicRegistry.Entry local = topics.find(kind, d.name());
        if (local != null) {
            return Future.succeededFuture();
        }
        return topics.get(kind, d.name()).onFailure(e -> LOG.warn("could not create {} {} defined by the cluster: {}",
                kindName(d.queue()), d.name(), String.valueOf(e)));
    }

    private void removed(DestinationDefinition d) {
        DestinationKind kind = d.queue() ? DestinationKind.QUEUE : DestinationKind.TOPIC;
        TopicRegistry.Entry local = topics.find(kind, d.name());
        if (local == null) {
            return; // deleted here first, or never created here
        }
        String key = d.key();
        deletingFromCatalog.add(key);
        local.topic().compose(subscriptions::forgetDestination, e -> Future.succeededFuture())
                .compose(v -> topics.delete(kind, d.name()))
                .onSuccess(v -> deadLetters.forget(d.queue(), d.name()))
                .onFailure(e -> {
                    deletingFromCatalog.remove(key);
                    LOG.warn("could not delete {} {} removed from the cluster: {}", kindName(d.queue()), d.name(),
                            String.valueOf(e));
                });
    }

    private static DestinationDefinition definition(TopicRecord r) {
        return new DestinationDefinition(r.queue(), r.name(), r.partitions(), r.retentionMs(), r.retentionBytes());
    }

    private static String kindName(boolean queue) {
        return queue ? "queue" : "topic";
    }
}
