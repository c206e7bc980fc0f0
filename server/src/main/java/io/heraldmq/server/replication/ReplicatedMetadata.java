package io.heraldmq.server.replication;

import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.heraldmq.server.subscription.SubscriptionRegistry.DefinitionChange;

import java.util.logging.Logger;

/**
 * Applies the metadata a follower finds in its leader's log, once committed: subscription positions and durable
 * subscription definitions go into this broker's own store, so that it resumes them if it becomes the leader.
 */
public final class ReplicatedMetadata {
    private static final Logger LOG = Logger.getLogger(ReplicatedMetadata.class.getName());

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
                    d.subscription())).onFailure(e -> LOG.warning(() -> "could not store the replicated definition of "
                    + d.subscription().id() + ": " + e));
        } else if (record instanceof ControlRecord.Deletion d) {
            subscriptions.applyReplicated(new DefinitionChange(d.topic(), d.id(), null)).onFailure(e ->
                    LOG.warning(() -> "could not delete the replicated subscription " + d.id() + ": " + e));
        }
    }
}
