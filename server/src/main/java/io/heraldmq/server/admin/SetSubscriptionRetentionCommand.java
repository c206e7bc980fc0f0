package io.heraldmq.server.admin;

import io.heraldmq.protocol.AdminResult;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.partition.TopicRegistry;
import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.vertx.core.Future;

/**
 * SET_SUBSCRIPTION_RETENTION: how long the broker keeps what one durable subscription has not acknowledged (see
 * {@link SubscriptionRegistry#setRetention}). Stored with the subscription and applied from the partitions' next
 * retention check; the topic's own limits still have to let a segment go.
 */
public final class SetSubscriptionRetentionCommand implements AdminCommand {
    private final TopicRegistry topics;
    private final SubscriptionRegistry subscriptions;

    public SetSubscriptionRetentionCommand(TopicRegistry topics, SubscriptionRegistry subscriptions) {
        this.topics = topics;
        this.subscriptions = subscriptions;
    }

    @Override
    public Future<AdminResult> run(AdminArgs args) {
        String topic = args.required("topic");
        String subscription = args.required("subscription");
        long retentionMs = args.longValue("retention.ms", Long.MIN_VALUE);
        if (retentionMs < 1) {
            throw AdminArgs.invalid("argument 'retention.ms' must be a positive number of milliseconds"
                    + (retentionMs == Long.MIN_VALUE ? " (missing)" : ", was " + retentionMs));
        }
        if (topics.find(DestinationKind.TOPIC, topic) == null) {
            throw new ProtocolException(ErrorCode.INVALID_DESTINATION, "topic '" + topic + "' does not exist"
                    + (topics.find(DestinationKind.QUEUE, topic) != null ? " (a queue's own subscription keeps the"
                    + " broker's subscription.retention.ms; set the queue's retention instead)" : ""));
        }
        return subscriptions.setRetention(topic, subscription, retentionMs)
                .map(id -> AdminResult.of("id", "retention.ms").row(id, retentionMs));
    }
}
