package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * PRODUCER_OPENED: the answer to OPEN_PRODUCER. Body:
 * <pre>
 * int32 producerId     the producer opened
 * int32 openProducers  producers open on this connection now, this one included
 * int32 maxProducers   the broker's {@code max.producers.per.connection}; 0 = no limit
 * </pre>
 */
public record ProducerOpened(int producerId, int openProducers, int maxProducers) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.PRODUCER_OPENED, correlationId, 12);
        b.appendInt(producerId).appendInt(openProducers).appendInt(maxProducers);
        return Frame.finish(b);
    }

    public static ProducerOpened decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        ProducerOpened f = new ProducerOpened(c.readInt(), c.readInt(), c.readInt());
        c.expectEnd();
        return f;
    }
}
