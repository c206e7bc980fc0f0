package io.heraldmq.server.handler;

import io.heraldmq.protocol.CloseProducer;
import io.heraldmq.protocol.Frame;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;

/** CLOSE_PRODUCER, one-way: the producer no longer counts against {@code max.producers.per.connection}. */
public final class CloseProducerHandler implements RequestHandler {
    @Override
    public void handle(ClientConnection connection, Frame frame) {
        connection.closeProducer(CloseProducer.decode(frame.body()).producerId());
    }
}
