package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * CREATE_TEMP: creates a temporary queue or topic owned by this connection. The client picks the name (unique per
 * connection: it starts with the connection id from CONNECTED). Only the owning connection may consume from it; any
 * connection may send to it; it is deleted by DELETE_TEMP or when the owning connection closes or drops. Answered
 * with OK, or ERROR (INVALID_DESTINATION if the name is taken or the kind is not temporary). Body:
 * <pre>
 * byte   destinationKind  {@link DestinationKind#TEMPORARY_QUEUE} or {@link DestinationKind#TEMPORARY_TOPIC}
 * string name             not null
 * </pre>
 */
public record CreateTemp(DestinationKind kind, String name) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.CREATE_TEMP, correlationId, 48);
        b.appendByte(kind.code());
        Wire.writeString(b, name);
        return Frame.finish(b);
    }

    public static CreateTemp decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        CreateTemp f = new CreateTemp(DestinationKind.of(c.readByte()), c.readString());
        c.expectEnd();
        if (f.name == null || f.name.isEmpty()) {
            throw new ProtocolException("CREATE_TEMP without a name");
        }
        return f;
    }
}
