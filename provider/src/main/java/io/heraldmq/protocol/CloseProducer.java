package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * CLOSE_PRODUCER: the client closed a producer opened with OPEN_PRODUCER; it no longer counts against
 * {@code max.producers.per.connection}. One-way: nothing to wait for, as sends do not depend on it (a producer the
 * broker does not know is ignored). A connection's producers also end with the connection. Body:
 * <pre>
 * int32 producerId
 * </pre>
 */
public record CloseProducer(int producerId) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.CLOSE_PRODUCER, correlationId, 4);
        b.appendInt(producerId);
        return Frame.finish(b);
    }

    public static CloseProducer decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        CloseProducer f = new CloseProducer(c.readInt());
        c.expectEnd();
        return f;
    }
}
