package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * CONNECTED: the broker's answer to {@link Connect}. Body:
 * <pre>
 * int16  protocolVersion  the broker's version
 * string brokerId         identifies the broker node
 * string connectionId     unique id of this connection; producers stamp it on messages for noLocal
 * int32  maxMessageBytes  largest record (encoded message) the broker accepts
 * </pre>
 */
public record Connected(short protocolVersion, String brokerId, String connectionId, int maxMessageBytes) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.CONNECTED, correlationId, 64);
        b.appendShort(protocolVersion);
        Wire.writeString(b, brokerId);
        Wire.writeString(b, connectionId);
        b.appendInt(maxMessageBytes);
        return Frame.finish(b);
    }

    public static Connected decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        Connected f = new Connected(c.readShort(), c.readString(), c.readString(), c.readInt());
        c.expectEnd();
        return f;
    }
}
