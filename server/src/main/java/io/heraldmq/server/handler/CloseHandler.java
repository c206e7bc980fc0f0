package io.heraldmq.server.handler;

import io.heraldmq.protocol.Close;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.subscription.ServerConsumer;

/**
 * CLOSE: closes one consumer (answered once its unsettled deliveries are back in the subscription, with their
 * delivery counts unchanged: the client released beforehand whatever its application saw), or the connection.
 */
public final class CloseHandler implements RequestHandler {
    private final ClientIds clientIds;

    public CloseHandler(ClientIds clientIds) {
        this.clientIds = clientIds;
    }

    @Override
    public void handle(ClientConnection connection, Frame frame) {
        Close close = Close.decode(frame.body());
        int correlationId = frame.correlationId();
        if (close.what() == Close.CONNECTION) {
            // The client id is free once the client has its answer (the socket's clean-up comes later): an
            // application that closes a connection and opens another with the same id must not be refused.
            clientIds.release(connection);
            connection.send(Ok.encode(correlationId));
            connection.close();
            return;
        }
        ServerConsumer consumer = connection.removeConsumer(close.id());
        if (consumer == null) {
            connection.send(Ok.encode(correlationId));
            return;
        }
        consumer.close(true).onComplete(ar -> connection.send(Ok.encode(correlationId)));
    }
}
