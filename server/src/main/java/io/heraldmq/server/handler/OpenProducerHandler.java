package io.heraldmq.server.handler;

import io.heraldmq.protocol.Frame;
import io.heraldmq.protocol.OpenProducer;
import io.heraldmq.protocol.ProducerOpened;
import io.heraldmq.server.net.ClientConnection;
import io.heraldmq.server.net.RequestHandler;

/**
 * OPEN_PRODUCER: counts the connection's producers against {@code max.producers.per.connection}
 * ({@link ClientConnection#openProducer}). Nothing else depends on the count: a PRODUCE is handled the same either
 * way, so the send path pays nothing for it. A clustered broker counts the producers of its own clients (the frame is
 * never relayed: a producer names no destination).
 */
public final class OpenProducerHandler implements RequestHandler {
    @Override
    public void handle(ClientConnection connection, Frame frame) {
        int id = OpenProducer.decode(frame.body()).producerId();
        int open = connection.openProducer(id); // a refusal is answered as an ERROR by the caller
        connection.send(new ProducerOpened(id, open, connection.maxProducers()).encode(frame.correlationId()));
    }
}
