package io.heraldmq.server.admin;

import io.heraldmq.protocol.AdminResult;
import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.ErrorCode;
import io.heraldmq.protocol.ProtocolException;
import io.heraldmq.server.partition.TopicRegistry;
import io.heraldmq.server.subscription.DeadLetters;
import io.heraldmq.server.subscription.SubscriptionRegistry;
import io.vertx.core.Future;

/**
 * DELETE_TOPIC: deletes a queue or topic with its log, subscriptions, positions and dead-letter settings. Refused with
 * ILLEGAL_STATE while consumers are attached, unless {@code force}: then their subscriptions stop and the consumers
 * stay open but receive nothing more (they should be closed; a later send creates the destination anew, empty).
 */
public final class DeleteTopicCommand implements AdminCommand {
    private final TopicRegistry topics;
    private final SubscriptionRegistry subscriptions;
    private final DeadLetters deadLetters;

    public DeleteTopicCommand(TopicRegistry topics, SubscriptionRegistry subscriptions, DeadLetters deadLetters) {
        this.topics = topics;
        this.subscriptions = subscriptions;
        this.deadLetters = deadLetters;
    }

    @Override
    public Future<AdminResult> run(AdminArgs args) {
        String name = args.required("name");
        DestinationKind kind = args.kind();
        boolean force = args.flag("force");
        TopicRegistry.Entry entry = topics.find(kind, name);
        if (entry == null) {
            throw new ProtocolException(ErrorCode.INVALID_DESTINATION, AdminArgs.kindName(kind) + " '" + name
                    + "' does not exist");
        }
        return entry.topic().compose(topic -> {
            if (!force && topic.consumerCount() > 0) {
                return Future.failedFuture(new ProtocolException(ErrorCode.ILLEGAL_STATE, AdminArgs.kindName(kind)
                        + " '" + name + "' has " + topic.consumerCount() + " consumer(s) attached; close them or"
                        + " delete with force"));
            }
            return subscriptions.forgetDestination(topic);
        }).compose(v -> topics.delete(kind, name)).map(v -> {
            // Its settings row went with it: a destination created later under that name starts from the defaults.
            deadLetters.forget(kind.isQueue(), name);
            return AdminResult.empty();
        });
    }
}
