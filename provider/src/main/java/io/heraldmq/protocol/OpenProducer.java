package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * OPEN_PRODUCER: the client created a producer (a {@code MessageProducer}, anonymous or not, or a JMSContext's first
 * {@code JMSProducer}: all of a context's share one). The broker counts it against
 * {@code max.producers.per.connection} and answers PRODUCER_OPENED, or ERROR RESOURCE_EXHAUSTED naming the limit
 * (the connection stays). Sends do not name the producer: a PRODUCE is handled the same whether or not its producer
 * was opened, so registering costs one round trip per producer, none per send. Opening an id that is open already
 * counts nothing and is answered the same (the client opens its producers again after failover). Body:
 * <pre>
 * int32 producerId  chosen by the client, unique among this connection's open producers
 * </pre>
 */
public record OpenProducer(int producerId) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.OPEN_PRODUCER, correlationId, 4);
        b.appendInt(producerId);
        return Frame.finish(b);
    }

    public static OpenProducer decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        OpenProducer f = new OpenProducer(c.readInt());
        c.expectEnd();
        return f;
    }
}
