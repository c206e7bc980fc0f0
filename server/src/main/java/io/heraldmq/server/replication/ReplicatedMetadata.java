package io.heraldmq.server.replication;

import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.heraldmq.server.subscription.SubscriptionRegistry.DefinitionChange;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;


/**
 * Applies the metadata a follower finds in its leader's log, once committed: subscription positions and durable
 * subscription definitions go into this broker's own store, so that it resumes them if it becomes the leader.
 */
public final class ReplicatedMetadata {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicatedMetadata.class);

    private final SubscriptionRegistry subscriptions;

    public ReplicatedMetadata(SubscriptionRegistry subscriptions) {
        this.subscriptions = subscriptions;
    }

    /** Makes durable everything applied so far (positions are buffered in the store). */
    io.vertx.core.Future<Void> sync() {
        return subscriptions.syncPositions();
    }

    /** @param partition the partition whose log held the record */
    void apply(int partition, ControlRecord record) {
        if (record instanceof ControlRecord.PositionChange p) {
            subscriptions.applyReplicatedPosition(p.subscription(), partition, p.position());
        } else if (record instanceof ControlRecord.Definition d) {
            subscriptions.applyReplicated(new DefinitionChange(d.subscription().topic(), d.subscription().id(),
                    d.subscription())).onFailure(e -> LOG.warn("could not store the replicated definition of {}: {}",
                            d.subscription().id(), String.valueOf(e)));
        } else if (record instanceof ControlRecord.Deletion d) {
            subscriptions.applyReplicated(new DefinitionChange(d.topic(), d.id(), null)).onFailure(e ->
                    LOG.warn("could not delete the replicated subscription {}: {}", d.id(), String.valueOf(e)));
        }
    }
}
