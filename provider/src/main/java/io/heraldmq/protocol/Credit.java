package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * CREDIT: the consumer may take this many more messages. One-way. Body:
 * <pre>
 * int32 consumerId
 * int32 messages    added to the consumer's credit
 * </pre>
 */
public record Credit(int consumerId, int messages) {
    public Buffer encode() {
        Buffer b = Frame.start(FrameType.CREDIT, 0, 8);
        b.appendInt(consumerId).appendInt(messages);
        return Frame.finish(b);
    }

    public static Credit decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        Credit f = new Credit(c.readInt(), c.readInt());
        c.expectEnd();
        if (f.messages < 0) {
            throw new ProtocolException("negative credit " + f.messages);
        }
        return f;
    }
}
