package io.heraldmq.server.handler;

import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.protocol.Unsubscribe;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.subscription.SubscriptionRegistry;

/** UNSUBSCRIBE: deletes a durable subscription of this connection's client id, with its stored position. */
public final class UnsubscribeHandler implements RequestHandler {
    private final SubscriptionRegistry subscriptions;

    public UnsubscribeHandler(SubscriptionRegistry subscriptions) {
        this.subscriptions = subscriptions;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        Unsubscribe request = Unsubscribe.decode(frame.body());
        int correlationId = frame.correlationId();
        subscriptions.unsubscribe(connection.clientId(), request.subscriptionName()).onComplete(ar -> {
            if (ar.failed()) {
                connection.replyFailure(correlationId, ar.cause());
            } else {
                connection.send(Ok.encode(correlationId));
            }
        });
    }
}
