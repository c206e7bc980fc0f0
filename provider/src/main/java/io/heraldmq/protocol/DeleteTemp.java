package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * DELETE_TEMP: deletes a temporary destination this connection created, with its messages. Later sends to it fail
 * with INVALID_DESTINATION. Answered with OK, or ERROR: INVALID_DESTINATION (unknown, or owned by another
 * connection), ILLEGAL_STATE (a consumer is still open on it). Body:
 * <pre>
 * byte   destinationKind  {@link DestinationKind#TEMPORARY_QUEUE} or {@link DestinationKind#TEMPORARY_TOPIC}
 * string name             not null
 * </pre>
 */
public record DeleteTemp(DestinationKind kind, String name) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.DELETE_TEMP, correlationId, 48);
        b.appendByte(kind.code());
        Wire.writeString(b, name);
        return Frame.finish(b);
    }

    public static DeleteTemp decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        DeleteTemp f = new DeleteTemp(DestinationKind.of(c.readByte()), c.readString());
        c.expectEnd();
        if (f.name == null || f.name.isEmpty()) {
            throw new ProtocolException("DELETE_TEMP without a name");
        }
        return f;
    }
}
