package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * PRODUCE_ACK: the batch is stored. Body:
 * <pre>
 * int32 partition   where the batch went
 * int64 baseOffset  offset of its first record
 * </pre>
 */
public record ProduceAck(int partition, long baseOffset) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.PRODUCE_ACK, correlationId, 12);
        b.appendInt(partition).appendLong(baseOffset);
        return Frame.finish(b);
    }

    public static ProduceAck decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        ProduceAck f = new ProduceAck(c.readInt(), c.readLong());
        c.expectEnd();
        return f;
    }
}
