package io.heraldmq.server.handler;

import io.heraldmq.protocol.Ack;
import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.Ok;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;
import io.heraldmq.server.subscription.ServerConsumer;

/**
 * ACK: settles deliveries of one consumer. Acks for a consumer that is already closed are ignored: its unsettled
 * deliveries were returned to the subscription when it closed.
 */
public final class AckHandler implements RequestHandler {
    @Override
    public void handle(ClientConnection connection, Frame frame) {
        Ack ack = Ack.decode(frame.body());
        ServerConsumer consumer = connection.consumer(ack.consumerId());
        if (consumer != null) {
            consumer.settle(ack);
        }
        if (frame.correlationId() != 0) {
            connection.send(Ok.encode(frame.correlationId()));
        }
    }
}
