package io.heraldmq.server.handler;

import io.heraldmq.protocol.DestinationKind;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.Unsubscribe;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.security.Permission;
import io.heraldmq.server.subscription.SubscriptionRegistry;

/**
 * UNSUBSCRIBE: deletes a durable subscription of this connection's client id, with its stored position. With users
 * configured the user needs {@code deleteDurable} on the subscription's topic.
 */
public final class UnsubscribeHandler implements RequestHandler {
    private final SubscriptionRegistry subscriptions;

    public UnsubscribeHandler(SubscriptionRegistry subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        Unsubscribe request = Unsubscribe.decode(frame.body());
        int correlationId = frame.correlationId();
        if (connection.access().restricted()) {
            String topic = subscriptions.topicOfDurable(connection.clientId(), request.subscriptionName());
            if (topic != null) {
                // an unknown subscription is the registry's error to report
                connection.access().check(Permission.DELETE_DURABLE, DestinationKind.TOPIC, topic);
            }
        }
        subscriptions.unsubscribe(connection.clientId(), request.subscriptionName()).onComplete(ar -> {
            if (ar.failed()) {
                connection.replyFailure(correlationId, ar.cause());
            } else {
                connection.send(Ok.encode(correlationId));
            }
        });
    }
}
