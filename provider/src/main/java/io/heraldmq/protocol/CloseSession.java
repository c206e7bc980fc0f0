package io.heraldmq.protocol;

import io.vertx.core.buffer.Buffer;

/**
 * CLOSE_SESSION: the client closed a session opened with OPEN_SESSION (an unknown id is ignored). One-way. A
 * connection's sessions also end with the connection. Body:
 * <pre>
 * int32 sessionId
 * </pre>
 */
public record CloseSession(int sessionId) {
    public Buffer encode(int correlationId) {
        Buffer b = Frame.start(FrameType.CLOSE_SESSION, correlationId, 4);
        b.appendInt(sessionId);
        return Frame.finish(b);
    }

    public static CloseSession decode(Buffer body) {
        Wire.Cursor c = new Wire.Cursor(body);
        CloseSession f = new CloseSession(c.readInt());
        c.expectEnd();
        return f;
    }
}
